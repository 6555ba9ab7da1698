#include "auth/users_file.hpp"

#include <catch2/catch.hpp>

using kvmrtc::auth::check_user_name;
using kvmrtc::auth::check_users_file_mode;
using kvmrtc::auth::format_users;
using kvmrtc::auth::parse_users;
using kvmrtc::auth::Role;

namespace {
const std::string kHash = "$y$j9T$abcdefghijklmnop$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
}

TEST_CASE("the users file holds name, role, yescrypt hash and an optional TOTP secret", "[users]") {
  const auto parsed = parse_users("# who may drive the KVM\n\nalice:admin:" + kHash +
                                      "\nbob:viewer:" + kHash + ":JBSWY3DPEHPK3PXP\n",
                                  "users");
  REQUIRE(parsed.ok());
  REQUIRE(parsed.users.size() == 2);
  CHECK(parsed.users[0].name == "alice");
  CHECK(parsed.users[0].role == Role::kAdmin);
  CHECK(parsed.users[0].hash == kHash);
  CHECK(parsed.users[0].totp_secret.empty());
  CHECK(parsed.users[1].role == Role::kViewer);
  CHECK(parsed.users[1].totp_secret == "JBSWY3DPEHPK3PXP");
  CHECK(parse_users(format_users(parsed.users), "again").users.size() == 2);
  CHECK(format_users(parsed.users) ==
        "alice:admin:" + kHash + "\nbob:viewer:" + kHash + ":JBSWY3DPEHPK3PXP\n");
}

TEST_CASE("each bad line is an error naming file and line, and the good lines still parse",
          "[users]") {
  const auto parsed = parse_users("alice:admin:" + kHash +
                                      "\n"
                                      "bob:root:" +
                                      kHash +
                                      "\n"
                                      "carol:viewer:plaintext\n"
                                      "dave:operator\n"
                                      "eve:viewer:" +
                                      kHash +
                                      ":not-base32!\n"
                                      "alice:viewer:" +
                                      kHash +
                                      "\n"
                                      "bad name:viewer:" +
                                      kHash + "\n",
                                  "/etc/kvmrtc/users");
  REQUIRE(parsed.errors.size() == 6);
  CHECK(parsed.errors[0].to_string() ==
        "/etc/kvmrtc/users:2: user bob: unknown role 'root' (viewer, operator, admin)");
  CHECK(parsed.errors[1].line == 3);
  CHECK(parsed.errors[1].message.find("not a yescrypt hash") != std::string::npos);
  CHECK(parsed.errors[2].line == 4);
  CHECK(parsed.errors[2].message.find("found 2 field(s)") != std::string::npos);
  CHECK(parsed.errors[3].message.find("TOTP secret is not base32") != std::string::npos);
  CHECK(parsed.errors[4].message == "user alice is listed twice");
  CHECK(parsed.errors[5].line == 7);
  REQUIRE(parsed.users.size() == 1);
  // No error message repeats the hash: a log line is not a place for one.
  for (const auto& error : parsed.errors) CHECK(error.message.find(kHash) == std::string::npos);
}

TEST_CASE("user names are plain and short", "[users]") {
  CHECK_FALSE(check_user_name("alice.o-k_2"));
  CHECK(check_user_name(""));
  CHECK(check_user_name("a:b"));
  CHECK(check_user_name("émile"));
  CHECK(check_user_name(std::string(65, 'a')));
}

TEST_CASE("a users file others can read or anyone but its owner can write is refused", "[users]") {
  CHECK_FALSE(check_users_file_mode(0100600));
  CHECK_FALSE(check_users_file_mode(0100640));
  CHECK(*check_users_file_mode(0100644) ==
        "has mode 0644; a file of password hashes must be 0600 or 0640 (chmod 600 FILE)");
  CHECK(check_users_file_mode(0100660));
  CHECK(check_users_file_mode(0100602));
  CHECK(check_users_file_mode(0100666));
}
