#include "user_command.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "auth/password_hash.hpp"
#include "auth/users_store.hpp"
#include "temp_dir.hpp"

using kvmrtc::parse_user_command;
using kvmrtc::run_user_command;

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

// `kvmrtc user ARGUMENTS` with `input` as its standard input, not a terminal.
Run user(std::vector<std::string> arguments, const std::string& input = "") {
  const auto command = parse_user_command(arguments);
  REQUIRE(command.error.empty());
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  const int status = run_user_command(command, in, false, out, err);
  return {status, out.str(), err.str()};
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("user add creates the users file, mode 0600, with a yescrypt hash of the password",
          "[user-command]") {
  TempDir dir;
  const std::string file = (dir / "users").string();
  const auto added =
      user({"add", "alice", "--role", "admin", "--users-file", file}, "s3cret password\n");
  INFO(added.err);
  REQUIRE(added.status == 0);
  CHECK(mode_of(file) == 0600);
  const auto parsed = kvmrtc::auth::read_users_file(file);
  REQUIRE(parsed.ok());
  REQUIRE(parsed.users.size() == 1);
  CHECK(parsed.users[0].role == kvmrtc::auth::Role::kAdmin);
  CHECK(kvmrtc::auth::verify_password("s3cret password", parsed.users[0].hash));
  CHECK(added.out.find("s3cret") == std::string::npos);

  CHECK(user({"add", "bob", "--role", "viewer", "--users-file", file}, "bob's password\n").status ==
        0);
  CHECK(user({"list", "--users-file", file}).out == "alice admin\nbob viewer\n");
  // Only the users file is in the folder: the write left no temporary file behind.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("user passwd changes only that user's hash; del removes only that user",
          "[user-command]") {
  TempDir dir;
  const std::string file = (dir / "users").string();
  REQUIRE(user({"add", "alice", "--role", "operator", "--users-file", file}, "first password\n")
              .status == 0);
  REQUIRE(
      user({"add", "bob", "--role", "viewer", "--users-file", file}, "bob's password\n").status ==
      0);
  const std::string bob_hash = kvmrtc::auth::read_users_file(file).users[1].hash;
  REQUIRE(user({"passwd", "alice", "--users-file", file}, "second password\n").status == 0);
  auto users = kvmrtc::auth::read_users_file(file).users;
  CHECK(kvmrtc::auth::verify_password("second password", users[0].hash));
  CHECK_FALSE(kvmrtc::auth::verify_password("first password", users[0].hash));
  CHECK(users[1].hash == bob_hash);

  REQUIRE(user({"del", "alice", "--users-file", file}).status == 0);
  users = kvmrtc::auth::read_users_file(file).users;
  REQUIRE(users.size() == 1);
  CHECK(users[0].name == "bob");
  CHECK(mode_of(file) == 0600);
}

TEST_CASE("user totp stores a secret and prints its otpauth URI and a QR code", "[user-command]") {
  TempDir dir;
  const std::string file = (dir / "users").string();
  REQUIRE(
      user({"add", "alice", "--role", "admin", "--users-file", file}, "a long password\n").status ==
      0);
  const auto enrolled = user({"totp", "alice", "--users-file", file});
  REQUIRE(enrolled.status == 0);
  const std::string secret = kvmrtc::auth::read_users_file(file).users[0].totp_secret;
  REQUIRE(secret.size() == 32);
  CHECK(enrolled.out.find("otpauth://totp/kvmrtc:alice?secret=" + secret) != std::string::npos);
  CHECK(enrolled.out.find("\u2588") != std::string::npos);
  CHECK(user({"list", "--users-file", file}).out == "alice admin totp\n");
}

TEST_CASE("user refuses what it must not write, and says why", "[user-command]") {
  TempDir dir;
  const std::string file = (dir / "users").string();
  auto run = user({"add", "alice", "--role", "admin", "--users-file", file}, "short\n");
  CHECK(run.status == 1);
  CHECK(run.err.find("at least 8 characters") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(
      user({"add", "alice", "--role", "admin", "--users-file", file}, "").err.find("no password") !=
      std::string::npos);

  REQUIRE(user({"add", "alice", "--role", "admin", "--users-file", file}, "long enough\n").status ==
          0);
  run = user({"add", "alice", "--role", "viewer", "--users-file", file}, "long enough\n");
  CHECK(run.status == 1);
  CHECK(run.err.find("exists already") != std::string::npos);
  run = user({"passwd", "nobody", "--users-file", file}, "long enough\n");
  CHECK(run.status == 1);
  CHECK(run.err.find("no user nobody") != std::string::npos);
  run = user({"add", "bad:name", "--role", "viewer", "--users-file", file}, "long enough\n");
  CHECK(run.status == 1);

  // A file others can read is refused whole, not silently used or rewritten.
  REQUIRE(chmod(file.c_str(), 0644) == 0);
  run = user({"list", "--users-file", file});
  CHECK(run.status == 1);
  CHECK(run.err.find("has mode 0644") != std::string::npos);
}

TEST_CASE("user arguments: actions, roles and options are checked before anything runs",
          "[user-command]") {
  CHECK(parse_user_command({}).error == "which action? add, passwd, del, list or totp");
  CHECK(parse_user_command({"add", "alice"}).error == "add needs --role viewer|operator|admin");
  CHECK(parse_user_command({"add", "alice", "--role", "root"}).error ==
        "unknown role 'root' (viewer, operator, admin)");
  CHECK(parse_user_command({"passwd"}).error == "passwd needs exactly one user NAME");
  CHECK(parse_user_command({"list", "alice"}).error == "list takes no user name");
  CHECK(parse_user_command({"del", "alice", "--role", "admin"}).error ==
        "--role goes with add only");
  CHECK(parse_user_command({"frobnicate"}).error == "unknown action 'frobnicate'");
  CHECK(parse_user_command({"list"}).users_file == "/etc/kvmrtc/users");
  CHECK(parse_user_command({"--help"}).action == "help");
}

TEST_CASE("a users file the daemon reads as its group keeps group and mode 0640 when rewritten",
          "[user-command]") {
  TempDir dir;
  const std::string file = (dir / "users").string();
  REQUIRE(
      user({"add", "alice", "--role", "admin", "--users-file", file}, "first password\n").status ==
      0);
  // The package's layout: root:kvmrtc 0640. The caller's groups stand in for kvmrtc here.
  gid_t groups[64];
  const int count = getgroups(64, groups);
  REQUIRE(count >= 0);
  const gid_t group = count > 0 ? groups[count - 1] : getegid();
  REQUIRE(chown(file.c_str(), static_cast<uid_t>(-1), group) == 0);
  REQUIRE(chmod(file.c_str(), 0640) == 0);

  REQUIRE(user({"passwd", "alice", "--users-file", file}, "second password\n").status == 0);
  CHECK(mode_of(file) == 0640);
  struct stat info {};
  REQUIRE(stat(file.c_str(), &info) == 0);
  CHECK(info.st_gid == group);
  CHECK(kvmrtc::auth::verify_password("second password",
                                      kvmrtc::auth::read_users_file(file).users[0].hash));
  // Nothing is left beside it.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()),
                      std::filesystem::directory_iterator()) == 1);
}
