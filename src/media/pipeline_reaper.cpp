#include "media/pipeline_reaper.hpp"

#include <gst/gst.h>
#include <malloc.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "util/log.hpp"

GST_DEBUG_CATEGORY_STATIC(reaper_debug);
#define GST_CAT_DEFAULT reaper_debug

namespace kvmrtc::media {

// Shared with the reaping threads, which may outlive the reaper when a pipeline hangs.
struct PipelineReaper::Shared {
  std::mutex mutex;
  std::condition_variable down;
  std::map<std::uint64_t, std::string> pending;  // pipeline names, by reap number
  std::uint64_t next = 0;
};

// What the main loop checks after `patience`.
struct PipelineReaper::Overdue {
  std::shared_ptr<Shared> shared;
  std::uint64_t number;
  std::chrono::milliseconds patience;
};

PipelineReaper::PipelineReaper(std::chrono::milliseconds patience)
    : shared_(std::make_shared<Shared>()), patience_(patience) {
  GST_DEBUG_CATEGORY_INIT(reaper_debug, "kvmrtc-reaper", 0, "kvmrtc pipelines taken to NULL");
}

PipelineReaper::~PipelineReaper() {
  if (wait_until_pending_at_most(0, patience_)) return;
  const std::lock_guard<std::mutex> lock(shared_->mutex);
  for (const auto& [number, name] : shared_->pending) {
    log::warning("pipeline %s did not stop within %lld ms; exiting without it", name.c_str(),
                 static_cast<long long>(patience_.count()));
  }
}

void PipelineReaper::reap(ElementPtr pipeline) {
  if (!pipeline) return;
  std::uint64_t number = 0;
  {
    const std::lock_guard<std::mutex> lock(shared_->mutex);
    number = shared_->next++;
    shared_->pending.emplace(number, GST_OBJECT_NAME(pipeline.get()));
  }
  std::thread([shared = shared_, number, pipeline = std::move(pipeline)]() mutable {
    const gint64 start_us = g_get_monotonic_time();
    gst_element_set_state(pipeline.get(), GST_STATE_NULL);
    const gint64 down_us = g_get_monotonic_time();
    const std::string name = GST_OBJECT_NAME(pipeline.get());
    pipeline.reset();
    // The pipeline's memory went back to the allocator piecemeal, into the arenas of the
    // threads that streamed it, where freed pages stay resident: give them back to the system.
    malloc_trim(0);
    GST_DEBUG("%s at NULL after %.1f ms, its memory returned in %.1f ms", name.c_str(),
              static_cast<double>(down_us - start_us) / 1000.0,
              static_cast<double>(g_get_monotonic_time() - down_us) / 1000.0);
    const std::lock_guard<std::mutex> lock(shared->mutex);
    shared->pending.erase(number);
    shared->down.notify_all();
  }).detach();
  // Said on the main loop, which the hung thread does not hold up.
  g_timeout_add_full(
      G_PRIORITY_DEFAULT, static_cast<guint>(patience_.count()),
      [](gpointer data) -> gboolean {
        const auto* overdue = static_cast<Overdue*>(data);
        const std::lock_guard<std::mutex> lock(overdue->shared->mutex);
        const auto found = overdue->shared->pending.find(overdue->number);
        if (found != overdue->shared->pending.end()) {
          log::warning(
              "pipeline %s did not stop within %lld ms; abandoned (its thread stays "
              "blocked, nothing else waits for it)",
              found->second.c_str(), static_cast<long long>(overdue->patience.count()));
        }
        return G_SOURCE_REMOVE;
      },
      new Overdue{shared_, number, patience_},
      [](gpointer data) { delete static_cast<Overdue*>(data); });
}

bool PipelineReaper::wait_until_pending_at_most(std::size_t count,
                                                std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(shared_->mutex);
  return shared_->down.wait_for(lock, timeout, [&] { return shared_->pending.size() <= count; });
}

}  // namespace kvmrtc::media
