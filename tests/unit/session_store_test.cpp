#include "auth/session_store.hpp"

#include <glib.h>

#include <catch2/catch.hpp>
#include <set>

using kvmrtc::auth::Role;
using kvmrtc::auth::session_id_of;
using kvmrtc::auth::SessionStore;

namespace {
constexpr std::int64_t kIdle = 600;
constexpr std::int64_t kLifetime = 3600;

// The store's clock counts milliseconds; most tests think in seconds.
constexpr std::int64_t sec(std::int64_t seconds) {
  return seconds * 1000;
}
}  // namespace

TEST_CASE("a token is 256 random bits in hex, and the store keeps only its hash", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i)
    tokens.insert(store.create("alice", Role::kOperator, "10.0.0.5", sec(0)));
  CHECK(tokens.size() == 100);
  for (const auto& token : tokens) {
    REQUIRE(token.size() == 64);
    CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
    const auto session = store.use(token, sec(1));
    REQUIRE(session);
    CHECK(session->id == session_id_of(token));
    CHECK(session->id != token);
    CHECK(session->user == "alice");
    CHECK(session->role == Role::kOperator);
    CHECK(session->address == "10.0.0.5");
    // Knowing the stored id is not knowing the token.
    CHECK_FALSE(store.use(session->id, sec(1)));
  }
}

TEST_CASE("a guessed, truncated or altered token is no session", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", sec(0));
  CHECK_FALSE(store.use("", sec(1)));
  CHECK_FALSE(store.use(std::string(64, '0'), sec(1)));
  CHECK_FALSE(store.use(token.substr(0, 63), sec(1)));
  CHECK_FALSE(store.use(token + "0", sec(1)));
  std::string upper = token;
  for (auto& c : upper) c = static_cast<char>(g_ascii_toupper(c));
  CHECK_FALSE(store.use(upper, sec(1)));
  std::string flipped = token;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  CHECK_FALSE(store.use(flipped, sec(1)));
  CHECK(store.use(token, sec(1)));
}

TEST_CASE("a session ends when idle too long, however it was used before", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", sec(1000));
  CHECK(store.use(token, sec(1000 + kIdle - 1)));
  // Used just now: idle counts from the last use.
  CHECK(store.use(token, sec(1000 + 2 * kIdle - 2)));
  CHECK(store.expire(sec(1000 + 2 * kIdle - 1)).empty());
  CHECK_FALSE(store.use(token, sec(1000 + 3 * kIdle)));
  const auto ended = store.expire(sec(1000 + 3 * kIdle));
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.user == "alice");
  CHECK(ended[0].reason == "expired");
  CHECK(store.size() == 0);
}

TEST_CASE("a session ends at its lifetime even while in use", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", sec(0));
  for (std::int64_t now = 0; now < kLifetime; now += kIdle / 2) {
    INFO(now);
    REQUIRE(store.use(token, sec(now)));
  }
  CHECK_FALSE(store.use(token, sec(kLifetime)));
  CHECK(store.expire(sec(kLifetime)).size() == 1);
}

TEST_CASE("a session made late in a second lasts its whole lifetime and idle time", "[sessions]") {
  constexpr std::int64_t kLateInASecond = sec(100) + 900;
  SessionStore store(kIdle, kLifetime);
  const std::string idle = store.create("alice", Role::kAdmin, "10.0.0.5", kLateInASecond);
  const std::string busy = store.create("bob", Role::kAdmin, "10.0.0.6", kLateInASecond);
  for (std::int64_t now = kLateInASecond; now < kLateInASecond + sec(kLifetime);
       now += sec(kIdle / 2)) {
    store.touch({session_id_of(busy)}, now);
  }
  CHECK(store.expire(kLateInASecond + sec(kIdle) - 1).empty());
  const auto idle_ended = store.expire(kLateInASecond + sec(kIdle));
  REQUIRE(idle_ended.size() == 1);
  CHECK(idle_ended[0].session.user == "alice");
  CHECK(store.use(busy, kLateInASecond + sec(kLifetime) - 1));
  CHECK_FALSE(store.use(busy, kLateInASecond + sec(kLifetime)));
}

TEST_CASE("an open page keeps its session from going idle", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string watched = store.create("alice", Role::kViewer, "10.0.0.5", sec(0));
  const std::string left = store.create("bob", Role::kViewer, "10.0.0.6", sec(0));
  const std::string watched_id = session_id_of(watched);
  for (std::int64_t now = 1; now <= kIdle + 5; ++now) store.touch({watched_id}, sec(now));
  const auto ended = store.expire(sec(kIdle + 5));
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.user == "bob");
  CHECK(store.use(watched, sec(kIdle + 6)));
  CHECK_FALSE(store.use(left, sec(kIdle + 6)));
}

TEST_CASE("logout ends one session; a credential change ends all of that user's", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string alice_phone = store.create("alice", Role::kAdmin, "10.0.0.5", sec(0));
  const std::string alice_laptop = store.create("alice", Role::kAdmin, "10.0.0.7", sec(0));
  const std::string bob = store.create("bob", Role::kOperator, "10.0.0.6", sec(0));

  const auto logged_out = store.end(alice_phone);
  REQUIRE(logged_out);
  CHECK(logged_out->reason == "logout");
  CHECK_FALSE(store.use(alice_phone, sec(1)));
  CHECK_FALSE(store.end(alice_phone));  // a second logout with the same cookie ends nothing
  CHECK(store.use(alice_laptop, sec(1)));

  const auto ended = store.end_user("alice", "password-changed");
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.address == "10.0.0.7");
  CHECK(ended[0].reason == "password-changed");
  CHECK_FALSE(store.use(alice_laptop, sec(2)));
  CHECK(store.use(bob, sec(2)));
}
