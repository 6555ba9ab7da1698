#include "auth/users_file.hpp"

#include <glib.h>
#include <sys/stat.h>

#include <algorithm>
#include <sstream>

namespace kvmrtc::auth {
namespace {

constexpr std::size_t kMaxNameLength = 64;

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t colon = line.find(':', start);
    fields.push_back(line.substr(start, colon - start));
    if (colon == std::string::npos) return fields;
    start = colon + 1;
  }
}

bool is_base32(const std::string& text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
  });
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kViewer:
      break;
  }
  return "viewer";
}

std::optional<Role> role_from_name(const std::string& name) {
  for (const Role role : {Role::kViewer, Role::kOperator, Role::kAdmin}) {
    if (name == role_name(role)) return role;
  }
  return std::nullopt;
}

std::string UsersError::to_string() const {
  return origin + ":" + std::to_string(line) + ": " + message;
}

std::optional<std::string> check_user_name(const std::string& name) {
  if (name.empty()) return std::string("a user name must not be empty");
  if (name.size() > kMaxNameLength) {
    return "the user name is longer than " + std::to_string(kMaxNameLength) + " characters";
  }
  const bool plain = std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return g_ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
  });
  if (!plain) return "'" + name + "' has a character other than letters, digits, '.', '_', '-'";
  return std::nullopt;
}

UsersParse parse_users(const std::string& text, const std::string& origin) {
  UsersParse result;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const auto fail = [&](const std::string& message) {
      result.errors.push_back({origin, number, message});
    };
    const auto fields = split_fields(line);
    if (fields.size() < 3 || fields.size() > 4) {
      fail("expected name:role:hash[:totp-secret], found " + std::to_string(fields.size()) +
           " field(s)");
      continue;
    }
    if (const auto problem = check_user_name(fields[0])) {
      fail(*problem);
      continue;
    }
    const auto role = role_from_name(fields[1]);
    if (!role) {
      fail("user " + fields[0] + ": unknown role '" + fields[1] + "' (viewer, operator, admin)");
      continue;
    }
    if (fields[2].rfind("$y$", 0) != 0) {
      fail("user " + fields[0] + ": the password hash is not a yescrypt hash ($y$…)");
      continue;
    }
    if (fields.size() == 4 && !is_base32(fields[3])) {
      fail("user " + fields[0] + ": the TOTP secret is not base32 (A–Z, 2–7)");
      continue;
    }
    const bool repeated = std::any_of(result.users.begin(), result.users.end(),
                                      [&](const User& user) { return user.name == fields[0]; });
    if (repeated) {
      fail("user " + fields[0] + " is listed twice");
      continue;
    }
    result.users.push_back({fields[0], *role, fields[2], fields.size() == 4 ? fields[3] : ""});
  }
  return result;
}

std::string format_users(const std::vector<User>& users) {
  std::string text;
  for (const auto& user : users) {
    text += user.name + ":" + role_name(user.role) + ":" + user.hash;
    if (!user.totp_secret.empty()) text += ":" + user.totp_secret;
    text += "\n";
  }
  return text;
}

std::optional<std::string> check_users_file_mode(mode_t mode) {
  const mode_t permissions = mode & 07777;
  if (permissions == 0600 || permissions == 0640) return std::nullopt;
  char octal[8];
  g_snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(permissions));
  return std::string("has mode ") + octal +
         "; a file of password hashes must be 0600 or 0640 (chmod 600 FILE)";
}

}  // namespace kvmrtc::auth
