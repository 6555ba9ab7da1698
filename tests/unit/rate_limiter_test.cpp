#include "util/rate_limiter.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using kvmrtc::RateLimiter;
using std::chrono::milliseconds;

namespace {

const RateLimiter::Clock::time_point kStart{std::chrono::hours(1000)};

int allowed_at(RateLimiter& limiter, RateLimiter::Clock::time_point at, int tries) {
  int allowed = 0;
  for (int i = 0; i < tries; ++i) allowed += limiter.allow(at) ? 1 : 0;
  return allowed;
}

}  // namespace

TEST_CASE("a burst gets one second's worth, then the rate", "[limits]") {
  RateLimiter limiter(10);
  CHECK(allowed_at(limiter, kStart, 25) == 10);
  CHECK(limiter.take_dropped() == 15);
  CHECK(limiter.take_dropped() == 0);
  CHECK(allowed_at(limiter, kStart + milliseconds(500), 25) == 5);
  CHECK(allowed_at(limiter, kStart + milliseconds(10500), 25) == 10);  // no more than a second's
  CHECK(limiter.dropped_total() == 15 + 20 + 15);
}

TEST_CASE("a lower rate applies at once", "[limits]") {
  RateLimiter limiter(100);
  limiter.set_rate(2);
  CHECK(allowed_at(limiter, kStart, 10) == 2);
  CHECK(allowed_at(limiter, kStart + milliseconds(1000), 10) == 2);
}
