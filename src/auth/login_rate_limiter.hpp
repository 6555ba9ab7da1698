// Failed logins slow down whoever makes them (pure: the caller passes the time, in ms, so a
// lock lasts the whole seconds it announces rather than what is left of the current second). One
// limiter counts by client address, another by user name, so neither many names from one address
// nor one name from many addresses gets more than a few guesses. An attempt counts as a failure
// from the moment it starts, so guesses sent all at once are limited as if sent one by one; a
// success forgives them.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace kvmrtc::auth {

class LoginRateLimiter {
 public:
  // `free_failures` failures in a row cost nothing; the next locks the key for 1 s, and each
  // one after doubles the lock, up to `max_lock_s`.
  LoginRateLimiter(int free_failures, std::int64_t max_lock_s = 15 * 60,
                   std::size_t max_keys = 4096);

  // Seconds until `key` may try again; 0 when it may now.
  std::int64_t wait_s(const std::string& key, std::int64_t now_ms) const;
  // Counts an attempt as failed (until forgiven); returns the lock it starts in seconds, 0 for
  // none.
  std::int64_t count_attempt(const std::string& key, std::int64_t now_ms);
  void forgive(const std::string& key);

 private:
  struct Record {
    int failures = 0;
    std::int64_t last_failure_ms = 0;
    std::int64_t locked_until_ms = 0;
  };
  void make_room(std::int64_t now_ms);

  int free_failures_;
  std::int64_t max_lock_s_;
  std::size_t max_keys_;
  std::map<std::string, Record> records_;
};

}  // namespace kvmrtc::auth
