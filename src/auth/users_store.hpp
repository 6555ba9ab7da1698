// The users file on disk: read with its mode checked, replaced atomically.
#pragma once

#include <string>
#include <vector>

#include "auth/users_file.hpp"

namespace kvmrtc::auth {

inline constexpr const char* kDefaultUsersFile = "/etc/kvmrtc/users";

// The file's users; errors name the file, and the line where one is at fault. A file whose
// mode lets others read or write it is refused whole.
UsersParse read_users_file(const std::string& path);

// Writes a new file beside the old one and renames it over: a reader sees the old users or the
// new ones, never half of either. A new file is mode 0600; a replaced one keeps its owner,
// group and mode (0600 or 0640).
bool write_users_file(const std::string& path, const std::vector<User>& users, std::string& error);

}  // namespace kvmrtc::auth
