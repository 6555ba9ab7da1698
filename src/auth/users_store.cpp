#include "auth/users_store.hpp"

#include <fcntl.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "util/ref_ptr.hpp"

namespace kvmrtc::auth {

UsersParse read_users_file(const std::string& path) {
  UsersParse result;
  GStatBuf info;
  if (g_stat(path.c_str(), &info) != 0) {
    result.errors.push_back({path, 0, std::string("cannot read it: ") + g_strerror(errno)});
    return result;
  }
  if (const auto problem = check_users_file_mode(info.st_mode)) {
    result.errors.push_back({path, 0, *problem});
    return result;
  }
  gchar* raw_text = nullptr;
  gsize length = 0;
  GError* raw_error = nullptr;
  if (!g_file_get_contents(path.c_str(), &raw_text, &length, &raw_error)) {
    ErrorPtr error(raw_error);
    result.errors.push_back({path, 0, error->message});
    return result;
  }
  CharPtr text(raw_text);
  return parse_users(std::string(text.get(), length), path);
}

namespace {

// Closes a descriptor on every path out.
struct OwnedFd {
  int fd;
  ~OwnedFd() {
    if (fd >= 0) close(fd);
  }
};

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t written = write(fd, text.data() + done, text.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    done += static_cast<std::size_t>(written);
  }
  return true;
}

}  // namespace

bool write_users_file(const std::string& path, const std::vector<User>& users, std::string& error) {
  const std::string text = format_users(users);
  // A file that exists keeps its owner, group and mode: an installed daemon reads it as group
  // kvmrtc (root:kvmrtc 0640), which a new file of root's would lose it.
  GStatBuf existing;
  const bool replacing = g_stat(path.c_str(), &existing) == 0;
  const mode_t mode =
      replacing && !check_users_file_mode(existing.st_mode) ? existing.st_mode & 07777 : 0600;
  std::string temp = path + ".XXXXXX";
  OwnedFd file{g_mkstemp_full(temp.data(), O_WRONLY | O_CLOEXEC, 0600)};
  if (file.fd < 0) {
    error = "cannot create a file beside " + path + ": " + g_strerror(errno);
    return false;
  }
  if (replacing && fchown(file.fd, existing.st_uid, existing.st_gid) != 0) {
    error = "cannot give the new " + path + " the old one's owner and group: " + g_strerror(errno);
    g_unlink(temp.c_str());
    return false;
  }
  if (fchmod(file.fd, mode) != 0 || !write_all(file.fd, text) || fsync(file.fd) != 0) {
    error = "cannot write " + temp + ": " + g_strerror(errno);
    g_unlink(temp.c_str());
    return false;
  }
  if (g_rename(temp.c_str(), path.c_str()) != 0) {
    error = "cannot replace " + path + ": " + g_strerror(errno);
    g_unlink(temp.c_str());
    return false;
  }
  return true;
}

}  // namespace kvmrtc::auth
