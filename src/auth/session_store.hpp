// Login sessions (pure: the caller passes the time, in milliseconds, so that no session ends
// before its limit; counted in whole seconds, one made late in a second ended up to a second
// early). A browser holds a token of 256 random bits; the store keeps only the token's SHA-256,
// so a copy of its memory lets nobody in, and a lookup's timing says nothing about how much of a
// guessed token was right.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/users_file.hpp"

namespace kvmrtc::auth {

struct Session {
  std::string id;  // the token's SHA-256 in hex: names the session in logs and to the sockets
  std::string user;
  Role role = Role::kViewer;
  std::string address;  // the client's, at login
  std::int64_t created_ms = 0;
  std::int64_t last_used_ms = 0;
};

struct EndedSession {
  Session session;
  std::string reason;  // logout, expired, password-changed, role-changed, removed
};

class SessionStore {
 public:
  SessionStore(std::int64_t idle_timeout_s, std::int64_t lifetime_s);

  // A new session; returns the token the browser keeps (64 hex digits).
  std::string create(const std::string& user, Role role, const std::string& address,
                     std::int64_t now_ms);
  // The live session of `token`, marked used at `now_ms`; nothing for an unknown, malformed or
  // expired token.
  std::optional<Session> use(const std::string& token, std::int64_t now_ms);
  // Marks the sessions in use (a page is open with them) without a request.
  void touch(const std::vector<std::string>& ids, std::int64_t now_ms);
  std::optional<EndedSession> end(const std::string& token);
  std::vector<EndedSession> end_user(const std::string& user, const std::string& reason);
  // Removes and returns every session idle or old enough to have ended by `now_ms`.
  std::vector<EndedSession> expire(std::int64_t now_ms);
  std::size_t size() const { return sessions_.size(); }
  std::int64_t lifetime_s() const { return lifetime_s_; }
  // New limits (a config reload), which every session is measured against from now on: a
  // shorter lifetime ends older sessions at the next expire().
  void set_limits(std::int64_t idle_timeout_s, std::int64_t lifetime_s);

 private:
  bool expired(const Session& session, std::int64_t now_ms) const;

  std::int64_t idle_timeout_s_;
  std::int64_t lifetime_s_;
  std::map<std::string, Session> sessions_;  // by id
};

// The id a token maps to, or empty when the text is not a token this store makes.
std::string session_id_of(const std::string& token);

}  // namespace kvmrtc::auth
