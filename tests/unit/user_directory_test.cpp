#include "auth/user_directory.hpp"

#include <glib/gstdio.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "auth/totp.hpp"
#include "auth/users_store.hpp"
#include "temp_dir.hpp"

using kvmrtc::auth::credential_changes;
using kvmrtc::auth::CredentialChange;
using kvmrtc::auth::Role;
using kvmrtc::auth::User;
using kvmrtc::auth::UserDirectory;

namespace {

const std::string kHashA = "$y$j9T$aaaaaaaaaaaaaaaa$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const std::string kHashB = "$y$j9T$bbbbbbbbbbbbbbbb$BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

// Runs the main context until `done` holds, or fails after a few seconds.
template <typename Predicate>
void iterate_until(Predicate done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    g_main_context_iteration(nullptr, FALSE);
    g_usleep(1000);
  }
  REQUIRE(done());
}

}  // namespace

TEST_CASE("a changed password, role or second factor, and a removal, are told", "[users]") {
  const std::vector<User> before = {{"alice", Role::kAdmin, kHashA, ""},
                                    {"bob", Role::kOperator, kHashA, ""},
                                    {"carol", Role::kViewer, kHashA, ""},
                                    {"dave", Role::kViewer, kHashA, ""},
                                    {"erin", Role::kViewer, kHashA, ""}};
  const std::vector<User> after = {{"alice", Role::kAdmin, kHashB, ""},
                                   {"bob", Role::kViewer, kHashA, ""},
                                   {"carol", Role::kViewer, kHashA, "JBSWY3DPEHPK3PXP"},
                                   {"erin", Role::kViewer, kHashA, ""},
                                   {"frank", Role::kAdmin, kHashA, ""}};
  const auto changes = credential_changes(before, after);
  REQUIRE(changes.size() == 4);
  CHECK((changes[0].user == "alice" && changes[0].reason == "password-changed"));
  CHECK((changes[1].user == "bob" && changes[1].reason == "role-changed"));
  CHECK((changes[2].user == "carol" && changes[2].reason == "totp-changed"));
  CHECK((changes[3].user == "dave" && changes[3].reason == "removed"));
}

TEST_CASE("the daemon follows the users file as it is replaced", "[users]") {
  TempDir dir;
  const std::string path = (dir / "users").string();
  std::string error;
  REQUIRE(kvmrtc::auth::write_users_file(
      path, {{"alice", Role::kAdmin, kHashA, ""}, {"bob", Role::kOperator, kHashA, ""}}, error));
  UserDirectory users(path);
  REQUIRE(users.load().ok());
  CHECK(users.size() == 2);
  std::vector<CredentialChange> told;
  users.watch([&](const CredentialChange& change) { told.push_back(change); });

  REQUIRE(kvmrtc::auth::write_users_file(
      path, {{"alice", Role::kAdmin, kHashB, ""}, {"bob", Role::kOperator, kHashA, ""}}, error));
  iterate_until([&] { return !told.empty(); });
  REQUIRE(told.size() == 1);
  CHECK(told[0].user == "alice");
  CHECK(told[0].reason == "password-changed");
  CHECK(users.find("alice")->hash == kHashB);

  // A file others may read is refused, and the users read before stay.
  g_chmod(path.c_str(), 0644);
  g_usleep(200 * 1000);
  for (int i = 0; i < 100; ++i) g_main_context_iteration(nullptr, FALSE);
  CHECK(users.size() == 2);
  CHECK(told.size() == 1);

  g_remove(path.c_str());
  iterate_until([&] { return told.size() == 3; });
  CHECK(users.size() == 0);
  CHECK_FALSE(users.find("bob"));
}

TEST_CASE("a missing users file is no users, a world-readable one an error", "[users]") {
  TempDir dir;
  UserDirectory missing((dir / "none").string());
  CHECK(missing.load().ok());
  CHECK(missing.size() == 0);
  const std::string open = dir.write("open", "alice:admin:" + kHashA + "\n");
  g_chmod(open.c_str(), 0644);
  UserDirectory refused(open);
  CHECK_FALSE(refused.load().ok());
}

TEST_CASE("a TOTP code logs in once", "[users][totp]") {
  TempDir dir;
  UserDirectory users((dir / "users").string());
  const std::string secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";  // RFC 6238's key
  const User alice{"alice", Role::kAdmin, kHashA, secret};
  const std::int64_t now = 1111111109;                        // RFC 6238: 07081804
  CHECK(users.accept_totp(alice, "07081804", now) == false);  // 8 digits: not our length
  const auto key = kvmrtc::auth::base32_decode(secret);
  const std::string code = kvmrtc::auth::hotp(*key, now / 30);
  CHECK(users.accept_totp(alice, code, now));
  CHECK_FALSE(users.accept_totp(alice, code, now));
  CHECK_FALSE(users.accept_totp(alice, code, now + 10));
  const std::string next = kvmrtc::auth::hotp(*key, now / 30 + 1);
  CHECK(users.accept_totp(alice, next, now + 30));
}
