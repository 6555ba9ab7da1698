// `kvmrtc user add|passwd|del|list|totp`: the users file from the command line.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace kvmrtc {

struct UserCommandLine {
  std::string action;  // add, passwd, del, list, totp
  std::string name;    // the user (all but list)
  std::string role;    // add: viewer, operator, admin
  std::string users_file;
  std::string error;  // set when the arguments do not parse
};

// `arguments` follow "user" (pure).
UserCommandLine parse_user_command(const std::vector<std::string>& arguments);
const char* user_usage_text();

// Runs it. The password comes from `input`: asked twice without echo when it is a terminal,
// else its first line. Messages go to `out` and `err`; returns the exit status.
int run_user_command(const UserCommandLine& command, std::istream& input, bool input_is_terminal,
                     std::ostream& out, std::ostream& err);

}  // namespace kvmrtc
