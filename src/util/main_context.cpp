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

void run_on_main(std::function<void()> work) {
  g_main_context_invoke_full(nullptr, G_PRIORITY_DEFAULT, run_once, new Work(std::move(work)),
                             free_work);
}

void later_on_main(std::function<void()> work) {
  g_idle_add_full(G_PRIORITY_DEFAULT, run_once, new Work(std::move(work)), free_work);
}

}  // namespace kvmrtc
