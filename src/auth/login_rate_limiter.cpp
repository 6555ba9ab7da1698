#include "auth/login_rate_limiter.hpp"

#include <algorithm>

namespace kvmrtc::auth {
namespace {

// A key that has not failed for this long starts again from nothing.
constexpr std::int64_t kForgetAfterMs = 60 * 60 * 1000;

}  // namespace

LoginRateLimiter::LoginRateLimiter(int free_failures, std::int64_t max_lock_s, std::size_t max_keys)
    : free_failures_(free_failures), max_lock_s_(max_lock_s), max_keys_(max_keys) {}

std::int64_t LoginRateLimiter::wait_s(const std::string& key, std::int64_t now_ms) const {
  const auto found = records_.find(key);
  if (found == records_.end()) return 0;
  const std::int64_t left_ms = found->second.locked_until_ms - now_ms;
  return left_ms <= 0 ? 0 : (left_ms + 999) / 1000;
}

std::int64_t LoginRateLimiter::count_attempt(const std::string& key, std::int64_t now_ms) {
  if (records_.find(key) == records_.end()) make_room(now_ms);
  Record& record = records_[key];
  if (now_ms - record.last_failure_ms >= kForgetAfterMs) record = Record{};
  record.failures += 1;
  record.last_failure_ms = now_ms;
  const int over = record.failures - free_failures_;
  if (over < 0) return 0;
  // 1 s, 2 s, 4 s, …: a shift past the cap would overflow, so the cap applies first.
  const std::int64_t lock =
      over >= 30 ? max_lock_s_ : std::min(max_lock_s_, std::int64_t{1} << over);
  record.locked_until_ms = now_ms + lock * 1000;
  return lock;
}

void LoginRateLimiter::forgive(const std::string& key) {
  records_.erase(key);
}

void LoginRateLimiter::make_room(std::int64_t now_ms) {
  if (records_.size() < max_keys_) return;
  for (auto it = records_.begin(); it != records_.end();) {
    it = now_ms - it->second.last_failure_ms >= kForgetAfterMs ? records_.erase(it) : std::next(it);
  }
  if (records_.size() < max_keys_) return;
  // Full of recent failures: the one that failed longest ago, and is not locked, goes first.
  const auto oldest = std::min_element(records_.begin(), records_.end(), [&](auto& a, auto& b) {
    const bool a_locked = a.second.locked_until_ms > now_ms;
    const bool b_locked = b.second.locked_until_ms > now_ms;
    if (a_locked != b_locked) return !a_locked;
    return a.second.last_failure_ms < b.second.last_failure_ms;
  });
  records_.erase(oldest);
}

}  // namespace kvmrtc::auth
