#include "user_command.hpp"

#include <qrencode.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "auth/password_hash.hpp"
#include "auth/totp.hpp"
#include "auth/users_store.hpp"

namespace kvmrtc {
namespace {

constexpr std::size_t kMinPasswordLength = 8;

// Turns the terminal's echo off while it lives.
class NoEcho {
 public:
  NoEcho() : active_(tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  ~NoEcho() {
    if (active_) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  NoEcho(const NoEcho&) = delete;
  NoEcho& operator=(const NoEcho&) = delete;

 private:
  termios saved_{};
  bool active_;
};

std::optional<std::string> read_password(const std::string& user, std::istream& input,
                                         bool input_is_terminal, std::ostream& err) {
  std::string password;
  if (!input_is_terminal) {
    if (!std::getline(input, password)) {
      err << "kvmrtc: no password on standard input (one line)\n";
      return std::nullopt;
    }
  } else {
    std::string again;
    NoEcho quiet;
    err << "Password for " << user << ": " << std::flush;
    std::getline(input, password);
    err << "\nAgain: " << std::flush;
    std::getline(input, again);
    err << "\n";
    if (password != again) {
      err << "kvmrtc: the two passwords differ; nothing changed\n";
      return std::nullopt;
    }
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < kMinPasswordLength) {
    err << "kvmrtc: a password needs at least " << kMinPasswordLength
        << " characters; nothing changed\n";
    return std::nullopt;
  }
  return password;
}

// The users of a file that may not exist yet (add creates it).
std::optional<std::vector<auth::User>> load(const std::string& path, bool may_be_missing,
                                            std::ostream& err) {
  if (may_be_missing && access(path.c_str(), F_OK) != 0) return std::vector<auth::User>{};
  auto parsed = auth::read_users_file(path);
  if (!parsed.ok()) {
    for (const auto& error : parsed.errors) err << "kvmrtc: " << error.to_string() << "\n";
    return std::nullopt;
  }
  return parsed.users;
}

bool save(const std::string& path, const std::vector<auth::User>& users, std::ostream& err) {
  std::string error;
  if (auth::write_users_file(path, users, error)) return true;
  err << "kvmrtc: cannot write " << path << ": " << error << "\n";
  return false;
}

// Two terminal rows of modules per line of text, in Unicode half blocks, with the quiet zone
// a scanner needs.
void print_qr_code(const std::string& text, std::ostream& out) {
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == nullptr) return;
  const int margin = 2;
  const int size = code->width + 2 * margin;
  const auto dark = [&](int x, int y) {
    x -= margin;
    y -= margin;
    if (x < 0 || y < 0 || x >= code->width || y >= code->width) return false;
    return (code->data[y * code->width + x] & 1) != 0;
  };
  // Light modules are printed dark-on-light terminals' way round: a block is a light module.
  for (int y = 0; y < size; y += 2) {
    for (int x = 0; x < size; ++x) {
      const bool top = !dark(x, y);
      const bool bottom = y + 1 < size && !dark(x, y + 1);
      out << (top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ");
    }
    out << "\n";
  }
  QRcode_free(code);
}

}  // namespace

const char* user_usage_text() {
  return "Usage: kvmrtc user add NAME --role viewer|operator|admin [--users-file FILE]\n"
         "       kvmrtc user passwd NAME [--users-file FILE]\n"
         "       kvmrtc user del NAME [--users-file FILE]\n"
         "       kvmrtc user list [--users-file FILE]\n"
         "       kvmrtc user totp NAME [--users-file FILE]\n"
         "\n"
         "The users file defaults to /etc/kvmrtc/users. A password is asked twice without echo\n"
         "on a terminal, or read as one line from standard input.\n";
}

UserCommandLine parse_user_command(const std::vector<std::string>& arguments) {
  UserCommandLine line;
  line.users_file = auth::kDefaultUsersFile;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--help" || argument == "-h") {
      line.action = "help";
      return line;
    }
    if (argument == "--role" || argument == "--users-file") {
      if (i + 1 >= arguments.size()) {
        line.error = argument + " needs a value";
        return line;
      }
      (argument == "--role" ? line.role : line.users_file) = arguments[++i];
    } else if (argument.rfind("--", 0) == 0) {
      line.error = "unknown option '" + argument + "'";
      return line;
    } else {
      positional.push_back(argument);
    }
  }
  const std::vector<std::string> actions = {"add", "passwd", "del", "list", "totp"};
  if (positional.empty() ||
      std::find(actions.begin(), actions.end(), positional[0]) == actions.end()) {
    line.error = positional.empty() ? "which action? add, passwd, del, list or totp"
                                    : "unknown action '" + positional[0] + "'";
    return line;
  }
  line.action = positional[0];
  const std::size_t wanted = line.action == "list" ? 1 : 2;
  if (positional.size() != wanted) {
    line.error = line.action == "list" ? "list takes no user name"
                                       : line.action + " needs exactly one user NAME";
    return line;
  }
  if (wanted == 2) line.name = positional[1];
  if (line.action == "add" && !auth::role_from_name(line.role)) {
    line.error = line.role.empty() ? "add needs --role viewer|operator|admin"
                                   : "unknown role '" + line.role + "' (viewer, operator, admin)";
  } else if (line.action != "add" && !line.role.empty()) {
    line.error = "--role goes with add only";
  }
  return line;
}

int run_user_command(const UserCommandLine& command, std::istream& input, bool input_is_terminal,
                     std::ostream& out, std::ostream& err) {
  if (command.action == "help") {
    out << user_usage_text();
    return 0;
  }
  const std::string& path = command.users_file;
  auto users = load(path, command.action == "add", err);
  if (!users) return 1;
  if (command.action == "list") {
    for (const auto& user : *users) {
      out << user.name << " " << auth::role_name(user.role)
          << (user.totp_secret.empty() ? "" : " totp") << "\n";
    }
    return 0;
  }
  const auto found = std::find_if(users->begin(), users->end(), [&](const auth::User& user) {
    return user.name == command.name;
  });
  if (command.action == "add") {
    if (const auto problem = auth::check_user_name(command.name)) {
      err << "kvmrtc: " << *problem << "\n";
      return 1;
    }
    if (found != users->end()) {
      err << "kvmrtc: " << command.name << " exists already; change it with passwd\n";
      return 1;
    }
  } else if (found == users->end()) {
    err << "kvmrtc: no user " << command.name << " in " << path << "\n";
    return 1;
  }

  if (command.action == "del") {
    users->erase(found);
    if (!save(path, *users, err)) return 1;
    out << "removed " << command.name << "\n";
    return 0;
  }
  if (command.action == "totp") {
    found->totp_secret = auth::new_totp_secret();
    if (!save(path, *users, err)) return 1;
    const std::string uri = auth::otpauth_uri("kvmrtc", command.name, found->totp_secret);
    out << "Scan this with an authenticator app, or enter the secret " << found->totp_secret
        << ":\n"
        << uri << "\n";
    print_qr_code(uri, out);
    return 0;
  }

  const auto password = read_password(command.name, input, input_is_terminal, err);
  if (!password) return 1;
  std::string error;
  const auto hash = auth::hash_password(*password, error);
  if (!hash) {
    err << "kvmrtc: " << error << "\n";
    return 1;
  }
  if (command.action == "add") {
    users->push_back({command.name, *auth::role_from_name(command.role), *hash, ""});
  } else {
    found->hash = *hash;
  }
  if (!save(path, *users, err)) return 1;
  out << (command.action == "add" ? "added " : "changed the password of ") << command.name << "\n";
  return 0;
}

}  // namespace kvmrtc
