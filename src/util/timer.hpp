// A main-context timeout that is removed when its owner goes, so a callback never outlives the
// object it points to.
#pragma once

#include <glib.h>

#include <chrono>
#include <functional>

namespace kvmrtc {

class Timer {
 public:
  Timer() = default;
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // Calls `tick` every `interval` until cancelled (repeat) or once (single shot).
  void start_repeating(std::chrono::milliseconds interval, std::function<void()> tick);
  void start_once(std::chrono::milliseconds delay, std::function<void()> fire);
  void cancel();
  bool active() const { return source_id_ != 0; }

 private:
  void start(std::chrono::milliseconds interval, bool repeat, std::function<void()> callback);

  guint source_id_ = 0;
  bool repeat_ = false;
  std::function<void()> callback_;
};

}  // namespace kvmrtc
