#include "util/rate_limiter.hpp"

#include <algorithm>

namespace kvmrtc {

bool RateLimiter::allow(Clock::time_point now) {
  if (started_) {
    const std::chrono::duration<double> elapsed = now - last_;
    tokens_ = std::min<double>(per_second_, tokens_ + elapsed.count() * per_second_);
  }
  started_ = true;
  last_ = now;
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  ++dropped_;
  ++dropped_total_;
  return false;
}

std::uint64_t RateLimiter::take_dropped() {
  const std::uint64_t dropped = dropped_;
  dropped_ = 0;
  return dropped;
}

void RateLimiter::set_rate(int per_second) {
  per_second_ = per_second;
  tokens_ = std::min<double>(tokens_, per_second);
}

}  // namespace kvmrtc
