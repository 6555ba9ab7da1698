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
}  // namespace

TEST_CASE("a token is 256 random bits in hex, and the store keeps only its hash", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i)
    tokens.insert(store.create("alice", Role::kOperator, "10.0.0.5", 0));
  CHECK(tokens.size() == 100);
  for (const auto& token : tokens) {
    REQUIRE(token.size() == 64);
    CHECK(token.find_first_not_of("0123456789abcdef") == std::string::npos);
    const auto session = store.use(token, 1);
    REQUIRE(session);
    CHECK(session->id == session_id_of(token));
    CHECK(session->id != token);
    CHECK(session->user == "alice");
    CHECK(session->role == Role::kOperator);
    CHECK(session->address == "10.0.0.5");
    // Knowing the stored id is not knowing the token.
    CHECK_FALSE(store.use(session->id, 1));
  }
}

TEST_CASE("a guessed, truncated or altered token is no session", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", 0);
  CHECK_FALSE(store.use("", 1));
  CHECK_FALSE(store.use(std::string(64, '0'), 1));
  CHECK_FALSE(store.use(token.substr(0, 63), 1));
  CHECK_FALSE(store.use(token + "0", 1));
  std::string upper = token;
  for (auto& c : upper) c = static_cast<char>(g_ascii_toupper(c));
  CHECK_FALSE(store.use(upper, 1));
  std::string flipped = token;
  flipped[10] = flipped[10] == 'a' ? 'b' : 'a';
  CHECK_FALSE(store.use(flipped, 1));
  CHECK(store.use(token, 1));
}

TEST_CASE("a session ends when idle too long, however it was used before", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", 1000);
  CHECK(store.use(token, 1000 + kIdle - 1));
  // Used just now: idle counts from the last use.
  CHECK(store.use(token, 1000 + 2 * kIdle - 2));
  CHECK(store.expire(1000 + 2 * kIdle - 1).empty());
  CHECK_FALSE(store.use(token, 1000 + 3 * kIdle));
  const auto ended = store.expire(1000 + 3 * kIdle);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.user == "alice");
  CHECK(ended[0].reason == "expired");
  CHECK(store.size() == 0);
}

TEST_CASE("a session ends at its lifetime even while in use", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string token = store.create("alice", Role::kAdmin, "10.0.0.5", 0);
  for (std::int64_t now = 0; now < kLifetime; now += kIdle / 2) {
    INFO(now);
    REQUIRE(store.use(token, now));
  }
  CHECK_FALSE(store.use(token, kLifetime));
  CHECK(store.expire(kLifetime).size() == 1);
}

TEST_CASE("an open page keeps its session from going idle", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string watched = store.create("alice", Role::kViewer, "10.0.0.5", 0);
  const std::string left = store.create("bob", Role::kViewer, "10.0.0.6", 0);
  const std::string watched_id = session_id_of(watched);
  for (std::int64_t now = 1; now <= kIdle + 5; ++now) store.touch({watched_id}, now);
  const auto ended = store.expire(kIdle + 5);
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.user == "bob");
  CHECK(store.use(watched, kIdle + 6));
  CHECK_FALSE(store.use(left, kIdle + 6));
}

TEST_CASE("logout ends one session; a credential change ends all of that user's", "[sessions]") {
  SessionStore store(kIdle, kLifetime);
  const std::string alice_phone = store.create("alice", Role::kAdmin, "10.0.0.5", 0);
  const std::string alice_laptop = store.create("alice", Role::kAdmin, "10.0.0.7", 0);
  const std::string bob = store.create("bob", Role::kOperator, "10.0.0.6", 0);

  const auto logged_out = store.end(alice_phone);
  REQUIRE(logged_out);
  CHECK(logged_out->reason == "logout");
  CHECK_FALSE(store.use(alice_phone, 1));
  CHECK_FALSE(store.end(alice_phone));  // a second logout with the same cookie ends nothing
  CHECK(store.use(alice_laptop, 1));

  const auto ended = store.end_user("alice", "password-changed");
  REQUIRE(ended.size() == 1);
  CHECK(ended[0].session.address == "10.0.0.7");
  CHECK(ended[0].reason == "password-changed");
  CHECK_FALSE(store.use(alice_laptop, 2));
  CHECK(store.use(bob, 2));
}
