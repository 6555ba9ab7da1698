#include "auth/session_store.hpp"

#include <glib.h>
#include <sys/random.h>

#include <array>
#include <stdexcept>

#include "util/ref_ptr.hpp"

namespace kvmrtc::auth {
namespace {

constexpr std::size_t kTokenBytes = 32;

std::string hex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (std::size_t i = 0; i < size; ++i) {
    text += kDigits[bytes[i] >> 4];
    text += kDigits[bytes[i] & 15];
  }
  return text;
}

std::string new_token() {
  std::array<std::uint8_t, kTokenBytes> bytes{};
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    // The kernel's generator does not fail once seeded; a token from anything weaker is worse
    // than no login.
    if (got < 0 && errno != EINTR) throw std::runtime_error("getrandom failed");
    if (got > 0) filled += static_cast<std::size_t>(got);
  }
  return hex(bytes.data(), bytes.size());
}

}  // namespace

std::string session_id_of(const std::string& token) {
  if (token.size() != kTokenBytes * 2) return "";
  for (const char c : token) {
    if (!g_ascii_isxdigit(c) || g_ascii_isupper(c)) return "";
  }
  CharPtr digest(g_compute_checksum_for_string(G_CHECKSUM_SHA256, token.data(),
                                               static_cast<gssize>(token.size())));
  return digest.get();
}

SessionStore::SessionStore(std::int64_t idle_timeout_s, std::int64_t lifetime_s)
    : idle_timeout_s_(idle_timeout_s), lifetime_s_(lifetime_s) {}

std::string SessionStore::create(const std::string& user, Role role, const std::string& address,
                                 std::int64_t now_ms) {
  const std::string token = new_token();
  const std::string id = session_id_of(token);
  sessions_[id] = Session{id, user, role, address, now_ms, now_ms};
  return token;
}

void SessionStore::set_limits(std::int64_t idle_timeout_s, std::int64_t lifetime_s) {
  idle_timeout_s_ = idle_timeout_s;
  lifetime_s_ = lifetime_s;
}

bool SessionStore::expired(const Session& session, std::int64_t now_ms) const {
  return now_ms - session.last_used_ms >= idle_timeout_s_ * 1000 ||
         now_ms - session.created_ms >= lifetime_s_ * 1000;
}

std::optional<Session> SessionStore::use(const std::string& token, std::int64_t now_ms) {
  const auto found = sessions_.find(session_id_of(token));
  if (found == sessions_.end() || expired(found->second, now_ms)) return std::nullopt;
  found->second.last_used_ms = now_ms;
  return found->second;
}

void SessionStore::touch(const std::vector<std::string>& ids, std::int64_t now_ms) {
  for (const auto& id : ids) {
    const auto found = sessions_.find(id);
    if (found != sessions_.end() && !expired(found->second, now_ms)) {
      found->second.last_used_ms = now_ms;
    }
  }
}

std::optional<EndedSession> SessionStore::end(const std::string& token) {
  const auto found = sessions_.find(session_id_of(token));
  if (found == sessions_.end()) return std::nullopt;
  EndedSession ended{std::move(found->second), "logout"};
  sessions_.erase(found);
  return ended;
}

std::vector<EndedSession> SessionStore::end_user(const std::string& user,
                                                 const std::string& reason) {
  std::vector<EndedSession> ended;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (it->second.user == user) {
      ended.push_back({std::move(it->second), reason});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return ended;
}

std::vector<EndedSession> SessionStore::expire(std::int64_t now_ms) {
  std::vector<EndedSession> ended;
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (expired(it->second, now_ms)) {
      ended.push_back({std::move(it->second), "expired"});
      it = sessions_.erase(it);
    } else {
      ++it;
    }
  }
  return ended;
}

}  // namespace kvmrtc::auth
