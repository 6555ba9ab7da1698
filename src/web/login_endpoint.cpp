#include "web/login_endpoint.hpp"

#include <optional>

#include "auth/password_hash.hpp"
#include "util/background.hpp"
#include "util/ref_ptr.hpp"
#include "web/auth_messages.hpp"
#include "web/cookies.hpp"
#include "web/http_reply.hpp"

namespace kvmrtc::web {
namespace {

// Each check holds a yescrypt working area of megabytes: logins from many addresses at once
// wait their turn instead of taking the board's memory.
constexpr int kMaxConcurrentChecks = 4;
// libsoup 3.2 names no status 429.
constexpr guint kTooManyRequests = 429;

std::string request_body(SoupServerMessage* message) {
  Owned<GBytes, g_bytes_unref> bytes(
      soup_message_body_flatten(soup_server_message_get_request_body(message)));
  gsize size = 0;
  const auto* data = static_cast<const char*>(g_bytes_get_data(bytes.get(), &size));
  return std::string(data != nullptr ? data : "", size);
}

void refuse_for_now(SoupServerMessage* message, guint status, const std::string& why,
                    std::int64_t retry_after_s) {
  respond_json(message, status, retry_json(why, static_cast<long>(retry_after_s)));
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "Retry-After",
                               std::to_string(retry_after_s).c_str());
}

}  // namespace

struct LoginEndpoint::Attempt {
  GObjectPtr<SoupServerMessage> message;  // paused while the password is checked
  LoginRequest request;
  std::string address;
  std::optional<auth::User> user;
  bool password_ok = false;
};

void LoginEndpoint::login(SoupServerMessage* message, bool tls) {
  if (g_strcmp0(soup_server_message_get_method(message), "POST") != 0) {
    respond_json(message, SOUP_STATUS_METHOD_NOT_ALLOWED, error_json("log in with POST"));
    return;
  }
  if (!access_.login_required()) {
    respond_json(message, SOUP_STATUS_BAD_REQUEST,
                 error_json("this kvmrtc has no login ([auth] mode=none)"));
    return;
  }
  std::string problem;
  auto request = parse_login_request(request_body(message), problem);
  if (!request) {
    respond_json(message, SOUP_STATUS_BAD_REQUEST, error_json(problem));
    return;
  }
  auto attempt = std::make_shared<Attempt>();
  attempt->request = std::move(*request);
  attempt->address = peer_address(message);
  const std::string& name = attempt->request.user;
  // A locked name or address is refused before its password is looked at: a guess made
  // during the lock learns nothing, not even by its timing.
  if (const std::int64_t wait = access_.wait_s(name, attempt->address); wait > 0) {
    access_.record_login(name, attempt->address, "locked-out");
    refuse_for_now(message, kTooManyRequests,
                   "too many failed logins: try again in " + std::to_string(wait) + " s", wait);
    return;
  }
  if (checking_ >= kMaxConcurrentChecks) {
    refuse_for_now(message, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy: try again in 1 s", 1);
    return;
  }
  access_.count_attempt(name, attempt->address);
  attempt->user = access_.users().find(name);
  ++checking_;
  attempt->message = add_ref(message);
  soup_server_message_pause(message);
  run_in_background(
      [attempt] {
        if (attempt->user) {
          attempt->password_ok =
              auth::verify_password(attempt->request.password, attempt->user->hash);
        } else {
          auth::verify_against_nobody(attempt->request.password);
        }
      },
      [this, attempt, tls, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        --checking_;
        finish(attempt->message.get(), *attempt, tls);
        soup_server_message_unpause(attempt->message.get());
      });
}

void LoginEndpoint::finish(SoupServerMessage* message, const Attempt& attempt, bool tls) {
  const std::string& name = attempt.request.user;
  const auto now = access_.users().find(name);
  // The users file may have changed while the password was being checked.
  const bool still_valid = now && attempt.user && now->hash == attempt.user->hash;
  if (!attempt.password_ok || !still_valid) {
    access_.record_login(name, attempt.address, attempt.user ? "bad-password" : "unknown-user");
    respond_json(message, SOUP_STATUS_UNAUTHORIZED, error_json("wrong user name or password"));
    return;
  }
  if (!now->totp_secret.empty()) {
    if (attempt.request.totp.empty()) {
      access_.record_login(name, attempt.address, "totp-needed");
      respond_json(message, SOUP_STATUS_UNAUTHORIZED,
                   totp_required_json("enter the code from your authenticator app"));
      return;
    }
    const std::int64_t unix_time = g_get_real_time() / G_USEC_PER_SEC;
    if (!access_.users().accept_totp(*now, attempt.request.totp, unix_time)) {
      access_.record_login(name, attempt.address, "bad-totp");
      respond_json(message, SOUP_STATUS_UNAUTHORIZED,
                   totp_required_json("wrong or already used code"));
      return;
    }
  }
  access_.forgive(name, attempt.address);
  const std::string token = access_.open_session(*now, attempt.address);
  access_.record_login(name, attempt.address, "ok");
  respond_json(message, SOUP_STATUS_OK, identity_json(name, auth::role_name(now->role)));
  soup_message_headers_append(
      soup_server_message_get_response_headers(message), "Set-Cookie",
      session_cookie(token, tls, static_cast<long>(access_.session_lifetime_s())).c_str());
}

void LoginEndpoint::logout(SoupServerMessage* message, const std::string& token, bool tls) {
  if (g_strcmp0(soup_server_message_get_method(message), "POST") != 0) {
    respond_json(message, SOUP_STATUS_METHOD_NOT_ALLOWED, error_json("log out with POST"));
    return;
  }
  if (const auto identity = access_.identify(token, peer_address(message));
      identity && !identity->session_id.empty()) {
    log_auth_event("logout", identity->user, identity->address, "ok");
    access_.end_session(token);
  }
  respond_json(message, SOUP_STATUS_OK, "{\"ok\":true}");
  soup_message_headers_append(soup_server_message_get_response_headers(message), "Set-Cookie",
                              cleared_session_cookie(tls).c_str());
}

void LoginEndpoint::session(SoupServerMessage* message, const Identity& identity) {
  respond_json(message, SOUP_STATUS_OK,
               session_json(identity.user, auth::role_name(identity.role), access_.mode()));
}

}  // namespace kvmrtc::web
