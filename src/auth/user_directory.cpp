#include "auth/user_directory.hpp"

#include <algorithm>

#include "auth/totp.hpp"
#include "auth/users_store.hpp"
#include "util/background.hpp"
#include "util/log.hpp"

namespace kvmrtc::auth {
namespace {

const User* named(const std::vector<User>& users, const std::string& name) {
  const auto found =
      std::find_if(users.begin(), users.end(), [&](const User& user) { return user.name == name; });
  return found != users.end() ? &*found : nullptr;
}

// A missing file is an empty one: deleting the file removes every user.
UsersParse read_or_empty(const std::string& path) {
  if (!g_file_test(path.c_str(), G_FILE_TEST_EXISTS)) return {};
  return read_users_file(path);
}

}  // namespace

std::vector<CredentialChange> credential_changes(const std::vector<User>& before,
                                                 const std::vector<User>& after) {
  std::vector<CredentialChange> changes;
  for (const auto& old_user : before) {
    const User* new_user = named(after, old_user.name);
    if (new_user == nullptr) {
      changes.push_back({old_user.name, "removed"});
    } else if (new_user->hash != old_user.hash) {
      changes.push_back({old_user.name, "password-changed"});
    } else if (new_user->role != old_user.role) {
      changes.push_back({old_user.name, "role-changed"});
    } else if (new_user->totp_secret != old_user.totp_secret) {
      changes.push_back({old_user.name, "totp-changed"});
    }
  }
  return changes;
}

UserDirectory::UserDirectory(std::string path) : path_(std::move(path)) {}

UserDirectory::~UserDirectory() {
  *alive_ = false;
  if (monitor_) g_signal_handlers_disconnect_by_data(monitor_.get(), this);
}

UsersParse UserDirectory::load() {
  UsersParse parsed = read_or_empty(path_);
  if (parsed.ok()) users_ = parsed.users;
  return parsed;
}

void UserDirectory::watch(Changed changed) {
  changed_ = std::move(changed);
  monitor();
}

void UserDirectory::follow(std::string path) {
  path_ = std::move(path);
  monitor();
  reload();
}

void UserDirectory::monitor() {
  GObjectPtr<GFile> file(g_file_new_for_path(path_.c_str()));
  GError* raw_error = nullptr;
  monitor_.reset(g_file_monitor_file(file.get(), G_FILE_MONITOR_WATCH_MOVES, nullptr, &raw_error));
  if (!monitor_) {
    ErrorPtr error(raw_error);
    log::error("cannot follow changes to %s (%s): restart kvmrtc after changing users",
               path_.c_str(), error->message);
    return;
  }
  g_signal_connect(
      monitor_.get(), "changed",
      G_CALLBACK(+[](GFileMonitor*, GFile*, GFile*, GFileMonitorEvent event, gpointer data) {
        // A write in progress is read when it is done; every other event (a
        // rename over the file, a new mode, a removal) is a new file to read.
        if (event == G_FILE_MONITOR_EVENT_CHANGED || event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT ||
            event == G_FILE_MONITOR_EVENT_UNMOUNTED) {
          return;
        }
        static_cast<UserDirectory*>(data)->reload();
      }),
      this);
}

void UserDirectory::reload() {
  if (reloading_) {
    reload_again_ = true;
    return;
  }
  reloading_ = true;
  auto parsed = std::make_shared<UsersParse>();
  run_in_background([parsed, path = path_] { *parsed = read_or_empty(path); },
                    [this, parsed, alive = std::weak_ptr<bool>(alive_)] {
                      if (alive.expired()) return;
                      reloading_ = false;
                      apply(*parsed);
                      if (reload_again_) {
                        reload_again_ = false;
                        reload();
                      }
                    });
}

void UserDirectory::apply(const UsersParse& parsed) {
  if (!parsed.ok()) {
    for (const auto& error : parsed.errors) {
      log::error("users file: %s; the users read before stay in force", error.to_string().c_str());
    }
    return;
  }
  const auto changes = credential_changes(users_, parsed.users);
  users_ = parsed.users;
  log::info("users file %s reread: %zu users", path_.c_str(), users_.size());
  for (const auto& change : changes) {
    if (change.reason != "role-changed") last_totp_step_.erase(change.user);
    if (changed_) changed_(change);
  }
}

std::optional<User> UserDirectory::find(const std::string& name) const {
  const User* user = named(users_, name);
  if (user == nullptr) return std::nullopt;
  return *user;
}

bool UserDirectory::accept_totp(const User& user, const std::string& code, std::int64_t unix_time) {
  const auto key = base32_decode(user.totp_secret);
  if (!key) return false;
  const auto last = last_totp_step_.find(user.name);
  const auto step =
      verify_totp(*key, code, unix_time,
                  last != last_totp_step_.end() ? std::optional(last->second) : std::nullopt);
  if (!step) return false;
  last_totp_step_[user.name] = *step;
  return true;
}

}  // namespace kvmrtc::auth
