#include "auth/login_rate_limiter.hpp"

#include <catch2/catch.hpp>

using kvmrtc::auth::LoginRateLimiter;

TEST_CASE("five failures are free; then the lock starts at 1 s and doubles", "[ratelimit]") {
  LoginRateLimiter limiter(5);
  std::int64_t now = 100'000;
  for (int i = 0; i < 4; ++i) {
    CHECK(limiter.wait_s("alice", now) == 0);
    CHECK(limiter.count_attempt("alice", now) == 0);
  }
  CHECK(limiter.count_attempt("alice", now) == 1);
  CHECK(limiter.wait_s("alice", now) == 1);
  CHECK(limiter.wait_s("bob", now) == 0);  // other names are not slowed down
  std::int64_t expected = 2;
  for (int i = 0; i < 6; ++i) {
    now += limiter.wait_s("alice", now) * 1000;
    REQUIRE(limiter.wait_s("alice", now) == 0);
    CHECK(limiter.count_attempt("alice", now) == expected);
    expected *= 2;
  }
}

TEST_CASE("the lock stops growing at its cap", "[ratelimit]") {
  LoginRateLimiter limiter(1, 900);
  std::int64_t now = 0;
  std::int64_t lock = 0;
  for (int i = 0; i < 80; ++i) {
    now += limiter.wait_s("alice", now) * 1000;
    lock = limiter.count_attempt("alice", now);
  }
  CHECK(lock == 900);
}

TEST_CASE("a success forgives; an hour without failures forgets", "[ratelimit]") {
  LoginRateLimiter limiter(3);
  for (int i = 0; i < 3; ++i) limiter.count_attempt("10.0.0.5", 10);
  CHECK(limiter.wait_s("10.0.0.5", 10) == 1);
  limiter.forgive("10.0.0.5");
  CHECK(limiter.wait_s("10.0.0.5", 10) == 0);
  CHECK(limiter.count_attempt("10.0.0.5", 10) == 0);

  for (int i = 0; i < 2; ++i) limiter.count_attempt("10.0.0.6", 10);
  // Two failures an hour ago and one now are one failure, not a third in a row.
  CHECK(limiter.count_attempt("10.0.0.6", 10 + 3'600'000) == 0);
}

TEST_CASE("many other keys cannot push a locked one out", "[ratelimit]") {
  LoginRateLimiter limiter(1, 900, 16);
  CHECK(limiter.count_attempt("victim", 0) == 1);
  for (int i = 0; i < 1000; ++i) limiter.count_attempt("spray-" + std::to_string(i), 0);
  CHECK(limiter.wait_s("victim", 0) == 1);
}

TEST_CASE("a lock lasts the whole seconds it announces", "[ratelimit]") {
  LoginRateLimiter limiter(1);
  CHECK(limiter.count_attempt("alice", 10'900) == 1);
  CHECK(limiter.wait_s("alice", 11'000) == 1);
  CHECK(limiter.wait_s("alice", 11'899) == 1);
  CHECK(limiter.wait_s("alice", 11'900) == 0);
  CHECK(limiter.count_attempt("alice", 11'950) == 2);
  CHECK(limiter.wait_s("alice", 12'000) == 2);
  CHECK(limiter.wait_s("alice", 12'951) == 1);
}
