// A token bucket: at most `per_second` events a second on average, with bursts of up to one
// second's worth. Used where one client could otherwise flood the daemon (input messages) or its
// log (rejected messages). Main loop only.
#pragma once

#include <chrono>
#include <cstdint>

namespace kvmrtc {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(int per_second) : per_second_(per_second), tokens_(per_second) {}

  // Whether one more event may happen at `now`; one that may not is counted as dropped.
  bool allow(Clock::time_point now = Clock::now());
  // Events refused since the last call, for a "N more were dropped" note.
  std::uint64_t take_dropped();
  std::uint64_t dropped_total() const { return dropped_total_; }
  void set_rate(int per_second);

 private:
  int per_second_;
  double tokens_;
  Clock::time_point last_{};
  bool started_ = false;
  std::uint64_t dropped_ = 0;
  std::uint64_t dropped_total_ = 0;
};

}  // namespace kvmrtc
