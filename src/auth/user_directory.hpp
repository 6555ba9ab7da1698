// The users the daemon knows, from the users file, followed as the file changes: `kvmrtc user`
// (or an editor) changes it and the daemon notices by itself, no signal needed. A change to a
// user's password, role or second factor, and the user's removal, are told to the owner, which
// ends that user's sessions.
#pragma once

#include <gio/gio.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/users_file.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::auth {

struct CredentialChange {
  std::string user;
  std::string reason;  // password-changed, role-changed, totp-changed, removed
};

// What changed for each user of `before` (pure). Users only in `after` are new: no session of
// theirs can exist.
std::vector<CredentialChange> credential_changes(const std::vector<User>& before,
                                                 const std::vector<User>& after);

class UserDirectory {
 public:
  using Changed = std::function<void(const CredentialChange& change)>;

  explicit UserDirectory(std::string path);
  ~UserDirectory();
  UserDirectory(const UserDirectory&) = delete;
  UserDirectory& operator=(const UserDirectory&) = delete;

  // Reads the file; the daemon calls it once before its main loop runs. A missing file is no
  // error (nobody can log in until a user is added); an unreadable or malformed one is.
  UsersParse load();
  // Follows the file from now on, on the main context.
  void watch(Changed changed);
  // Follows another file (a config reload), read at once: its users replace these, and each
  // user it lacks or changes is told to the owner as for an edit of the file.
  void follow(std::string path);

  std::optional<User> find(const std::string& name) const;
  std::size_t size() const { return users_.size(); }
  const std::string& path() const { return path_; }

  // Whether `code` is `name`'s current TOTP code (a code is accepted once only).
  bool accept_totp(const User& user, const std::string& code, std::int64_t unix_time);

 private:
  void monitor();
  void reload();
  void apply(const UsersParse& parsed);

  std::string path_;
  std::vector<User> users_;
  std::map<std::string, std::int64_t> last_totp_step_;  // by user name
  Changed changed_;
  GObjectPtr<GFileMonitor> monitor_;
  bool reloading_ = false;
  bool reload_again_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kvmrtc::auth
