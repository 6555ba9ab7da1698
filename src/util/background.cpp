#include "util/background.hpp"

#include <gio/gio.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc {
namespace {

struct Job {
  std::function<void()> work;
  std::function<void()> done;
};

}  // namespace

void run_in_background(std::function<void()> work, std::function<void()> done) {
  auto* job = new Job{std::move(work), std::move(done)};
  // The callback runs on the main context: the one current when the task is made.
  GObjectPtr<GTask> task(g_task_new(
      nullptr, nullptr,
      [](GObject*, GAsyncResult* result, gpointer) {
        auto* finished = static_cast<Job*>(g_task_get_task_data(G_TASK(result)));
        finished->done();
      },
      nullptr));
  g_task_set_task_data(task.get(), job, [](gpointer data) { delete static_cast<Job*>(data); });
  g_task_run_in_thread(task.get(), [](GTask* running, gpointer, gpointer data, GCancellable*) {
    static_cast<Job*>(data)->work();
    g_task_return_boolean(running, TRUE);
  });
}

}  // namespace kvmrtc
