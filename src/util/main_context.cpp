#include "util/main_context.hpp"

namespace kvmrtc {
namespace {

using Work = std::function<void()>;

gboolean run_once(gpointer data) {
  (*static_cast<Work*>(data))();
  return G_SOURCE_REMOVE;
}

void free_work(gpointer data) {
  delete static_cast<Work*>(data);
}

}  // namespace

// Not g_main_context_invoke: while no thread owns the context (before the main loop runs, and
// after it returned at shutdown) it takes the context and runs the work on the calling streaming
// thread, racing the main thread that is tearing the same objects down.
void run_on_main(std::function<void()> work) {
  if (g_main_context_is_owner(g_main_context_default())) {
    work();
    return;
  }
  later_on_main(std::move(work));
}

void later_on_main(std::function<void()> work) {
  g_idle_add_full(G_PRIORITY_DEFAULT, run_once, new Work(std::move(work)), free_work);
}

}  // namespace kvmrtc
