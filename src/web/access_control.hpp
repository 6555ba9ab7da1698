// Who is logged in: the users, their sessions, the limits on failed logins, and the end of
// sessions. A session ends on logout, on expiry, and when its user's password, role or second
// factor changes or the user is removed; the sockets opened with it are closed at once (within
// the second of the sweep for expiry).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "auth/login_rate_limiter.hpp"
#include "auth/session_store.hpp"
#include "auth/user_directory.hpp"
#include "config/config.hpp"
#include "util/timer.hpp"

namespace kvmrtc::web {

struct Identity {
  std::string session_id;  // empty without login ([auth] mode=none)
  std::string user;
  auth::Role role = auth::Role::kViewer;
  std::string address;

  bool may_type() const { return role != auth::Role::kViewer; }
};

class AccessControl {
 public:
  using SessionsEnded = std::function<void(const std::vector<std::string>& session_ids)>;
  using SessionsInUse = std::function<std::vector<std::string>()>;

  explicit AccessControl(const config::AuthSettings& settings);

  // Reads the users file and follows it; false with `error` when it cannot be used.
  bool start(std::string& error);
  // `ended`: close what was opened with these sessions; `in_use`: the sessions pages hold open,
  // which are not idle.
  void on_sessions_ended(SessionsEnded ended, SessionsInUse in_use);

  // New session limits and users file (a config reload; the login mode needs a restart): every
  // session is held to the new limits, and a user the new file lacks or changes is logged out.
  void apply(const config::AuthSettings& settings);

  bool login_required() const { return login_required_; }
  const char* mode() const { return login_required_ ? "password" : "none"; }
  // The identity a request's session token stands for; without login, everyone is an admin.
  std::optional<Identity> identify(const std::string& token, const std::string& address);

  // Seconds `user` from `address` must wait before trying to log in; 0: may try now.
  std::int64_t wait_s(const std::string& user, const std::string& address) const;
  // Counts a login attempt as failed until forgiven; logs a lockout that it starts.
  void count_attempt(const std::string& user, const std::string& address);
  void forgive(const std::string& user, const std::string& address);

  // Logs a login attempt's outcome as one auth line and counts it for /metrics: "ok" is a
  // login, "totp-needed" (the first of two steps) neither a login nor a failure.
  void record_login(const std::string& user, const std::string& address,
                    const std::string& outcome);
  struct LoginCounts {
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
  };
  const LoginCounts& login_counts() const { return login_counts_; }

  auth::UserDirectory& users() { return users_; }
  // A new session for `user`; returns its token.
  std::string open_session(const auth::User& user, const std::string& address);
  void end_session(const std::string& token);
  std::int64_t session_lifetime_s() const { return sessions_.lifetime_s(); }

 private:
  void sweep();
  void close(const std::vector<auth::EndedSession>& ended);

  bool login_required_;
  auth::UserDirectory users_;
  auth::SessionStore sessions_;
  auth::LoginRateLimiter by_user_;
  auth::LoginRateLimiter by_address_;
  LoginCounts login_counts_;
  SessionsEnded ended_;
  SessionsInUse in_use_;
  Timer sweep_timer_;
};

// The monotonic clock in milliseconds, which does not jump with the wall clock: for sessions
// and login locks.
std::int64_t monotonic_ms();

// "auth: event=login user=alice address=127.0.0.1 outcome=ok": one line a log search finds.
void log_auth_event(const char* event, const std::string& user, const std::string& address,
                    const std::string& outcome);

}  // namespace kvmrtc::web
