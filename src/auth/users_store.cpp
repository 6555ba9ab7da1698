#include "auth/users_store.hpp"

#include <glib.h>
#include <glib/gstdio.h>

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

bool write_users_file(const std::string& path, const std::vector<User>& users, std::string& error) {
  const std::string text = format_users(users);
  GError* raw_error = nullptr;
  if (!g_file_set_contents_full(path.c_str(), text.data(), static_cast<gssize>(text.size()),
                                G_FILE_SET_CONTENTS_CONSISTENT, 0600, &raw_error)) {
    ErrorPtr failure(raw_error);
    error = failure->message;
    return false;
  }
  return true;
}

}  // namespace kvmrtc::auth
