#include "web/access_control.hpp"

#include <glib.h>

#include <chrono>

#include "util/log.hpp"

namespace kvmrtc::web {
namespace {

// Failures in a row that cost nothing: a user who mistypes a few times is not slowed down, and
// an address behind which several people log in gets a few more.
constexpr int kFreeFailuresPerUser = 5;
constexpr int kFreeFailuresPerAddress = 10;

// A name as it may go into a log line: one token, nothing that would forge a second field or
// line.
std::string loggable(const std::string& text) {
  std::string safe;
  for (const char c : text.substr(0, 64)) {
    safe += g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':' ? c : '?';
  }
  return safe.empty() ? "-" : safe;
}

}  // namespace

std::int64_t monotonic_ms() {
  return g_get_monotonic_time() / 1000;
}

void log_auth_event(const char* event, const std::string& user, const std::string& address,
                    const std::string& outcome) {
  log::info({0, address, loggable(user)}, "auth: event=%s user=%s address=%s outcome=%s", event,
            loggable(user).c_str(), loggable(address).c_str(), outcome.c_str());
}

AccessControl::AccessControl(const config::AuthSettings& settings)
    : login_required_(settings.mode == "password"),
      users_(settings.users_file),
      sessions_(settings.idle_timeout_s, settings.session_lifetime_s),
      by_user_(kFreeFailuresPerUser),
      by_address_(kFreeFailuresPerAddress) {}

bool AccessControl::start(std::string& error) {
  if (!login_required_) return true;
  const auto parsed = users_.load();
  if (!parsed.ok()) {
    error = "users file: " + parsed.errors.front().to_string();
    return false;
  }
  if (users_.size() == 0) {
    log::warning(
        "no users in %s: nobody can log in until one is added (kvmrtc user add NAME --role "
        "admin --users-file %s)",
        users_.path().c_str(), users_.path().c_str());
  } else {
    log::info("%zu users from %s", users_.size(), users_.path().c_str());
  }
  users_.watch([this](const auth::CredentialChange& change) {
    close(sessions_.end_user(change.user, change.reason));
  });
  sweep_timer_.start_repeating(std::chrono::seconds(1), [this] { sweep(); });
  return true;
}

void AccessControl::record_login(const std::string& user, const std::string& address,
                                 const std::string& outcome) {
  const bool ok = outcome == "ok";
  log_auth_event(ok ? "login" : "failure", user, address, outcome);
  if (ok) {
    ++login_counts_.ok;
  } else if (outcome != "totp-needed") {
    ++login_counts_.failed;
  }
}

void AccessControl::apply(const config::AuthSettings& settings) {
  sessions_.set_limits(settings.idle_timeout_s, settings.session_lifetime_s);
  if (login_required_ && settings.users_file != users_.path()) {
    log::info("users now from %s", settings.users_file.c_str());
    users_.follow(settings.users_file);
  }
}

void AccessControl::on_sessions_ended(SessionsEnded ended, SessionsInUse in_use) {
  ended_ = std::move(ended);
  in_use_ = std::move(in_use);
}

std::optional<Identity> AccessControl::identify(const std::string& token,
                                                const std::string& address) {
  if (!login_required_) return Identity{"", "", auth::Role::kAdmin, address};
  const auto session = sessions_.use(token, monotonic_ms());
  if (!session) return std::nullopt;
  return Identity{session->id, session->user, session->role, address};
}

std::int64_t AccessControl::wait_s(const std::string& user, const std::string& address) const {
  const std::int64_t now = monotonic_ms();
  return std::max(by_user_.wait_s(user, now), by_address_.wait_s(address, now));
}

void AccessControl::count_attempt(const std::string& user, const std::string& address) {
  const std::int64_t now = monotonic_ms();
  const std::int64_t user_lock = by_user_.count_attempt(user, now);
  const std::int64_t address_lock = by_address_.count_attempt(address, now);
  const std::int64_t lock = std::max(user_lock, address_lock);
  if (lock > 0) {
    log_auth_event("lockout", user, address,
                   std::string(user_lock >= address_lock ? "user" : "address") + "-locked-for-" +
                       std::to_string(lock) + "s");
  }
}

void AccessControl::forgive(const std::string& user, const std::string& address) {
  by_user_.forgive(user);
  by_address_.forgive(address);
}

std::string AccessControl::open_session(const auth::User& user, const std::string& address) {
  return sessions_.create(user.name, user.role, address, monotonic_ms());
}

void AccessControl::end_session(const std::string& token) {
  if (const auto ended = sessions_.end(token)) close({*ended});
}

void AccessControl::sweep() {
  if (in_use_) sessions_.touch(in_use_(), monotonic_ms());
  const auto ended = sessions_.expire(monotonic_ms());
  if (!ended.empty()) close(ended);
}

void AccessControl::close(const std::vector<auth::EndedSession>& ended) {
  std::vector<std::string> ids;
  for (const auto& [session, reason] : ended) {
    log_auth_event("session-end", session.user, session.address, reason);
    ids.push_back(session.id);
  }
  if (ended_ && !ids.empty()) ended_(ids);
}

}  // namespace kvmrtc::web
