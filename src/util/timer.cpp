#include "util/timer.hpp"

namespace kvmrtc {

void Timer::start_repeating(std::chrono::milliseconds interval, std::function<void()> tick) {
  start(interval, true, std::move(tick));
}

void Timer::start_once(std::chrono::milliseconds delay, std::function<void()> fire) {
  start(delay, false, std::move(fire));
}

void Timer::start(std::chrono::milliseconds interval, bool repeat, std::function<void()> callback) {
  cancel();
  repeat_ = repeat;
  callback_ = std::move(callback);
  source_id_ = g_timeout_add(
      static_cast<guint>(interval.count()),
      [](gpointer data) -> gboolean {
        auto* self = static_cast<Timer*>(data);
        const bool keep = self->repeat_;
        if (!keep) self->source_id_ = 0;
        // Copy first: the callback may restart or destroy this timer.
        auto callback = self->callback_;
        callback();
        return keep ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
      },
      this);
}

void Timer::cancel() {
  if (source_id_ != 0) g_source_remove(source_id_);
  source_id_ = 0;
}

}  // namespace kvmrtc
