// The users file (`[auth] users-file=`): one line per user, `name:role:hash[:totp-secret]`,
// the hash a yescrypt string as in /etc/shadow. Parsing and writing are pure; the file's
// mode is checked by the caller that reads it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace kvmrtc::auth {

// viewer watches; operator also types, clicks and pastes; admin also changes settings and users.
enum class Role { kViewer, kOperator, kAdmin };

const char* role_name(Role role);
std::optional<Role> role_from_name(const std::string& name);

struct User {
  std::string name;
  Role role = Role::kViewer;
  std::string hash;         // yescrypt: $y$…
  std::string totp_secret;  // base32, empty without a second factor
};

struct UsersError {
  std::string origin;
  int line = 0;
  std::string message;

  std::string to_string() const;  // "FILE:LINE: what is wrong"
};

struct UsersParse {
  std::vector<User> users;
  std::vector<UsersError> errors;  // empty when the file is valid

  bool ok() const { return errors.empty(); }
};

// Blank lines and lines starting with '#' are skipped.
UsersParse parse_users(const std::string& text, const std::string& origin);
std::string format_users(const std::vector<User>& users);

// Why a name cannot be a user's (empty, too long, or a character other than letters, digits,
// '.', '_', '-'), or nothing.
std::optional<std::string> check_user_name(const std::string& name);

// Why a users file with this mode must not be used, or nothing: it holds password hashes, so
// it is 0600 or 0640 and nobody else may write it.
std::optional<std::string> check_users_file_mode(mode_t mode);

}  // namespace kvmrtc::auth
