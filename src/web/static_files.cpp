#include "web/static_files.hpp"

#include <glib.h>

#include <filesystem>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

std::string content_type_for(const std::string& path) {
  const std::string extension = std::filesystem::path(path).extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".js" || extension == ".mjs") return "text/javascript; charset=utf-8";
  if (extension == ".css") return "text/css; charset=utf-8";
  if (extension == ".json") return "application/json";
  if (extension == ".svg") return "image/svg+xml";
  if (extension == ".png") return "image/png";
  if (extension == ".ico") return "image/x-icon";
  return "application/octet-stream";
}

StaticFiles StaticFiles::load(const std::string& root, std::string& error) {
  StaticFiles files;
  std::error_code status;
  std::filesystem::recursive_directory_iterator walk(root, status);
  // A file that cannot be read must stop the start with its name, not be served empty.
  for (; !status && walk != std::filesystem::recursive_directory_iterator();
       walk.increment(status)) {
    if (!walk->is_regular_file(status) || status) continue;
    gchar* contents = nullptr;
    gsize length = 0;
    GError* raw_error = nullptr;
    if (!g_file_get_contents(walk->path().c_str(), &contents, &length, &raw_error)) {
      ErrorPtr failure(raw_error);
      error = std::string("cannot read the frontend file ") + failure->message;
      return files;
    }
    CharPtr owned(contents);
    const std::string relative =
        "/" + std::filesystem::relative(walk->path(), root).generic_string();
    files.files_[relative] = {std::string(contents, length), content_type_for(relative)};
  }
  if (status) {
    error = "cannot read the frontend folder " + root + ": " + status.message();
    return files;
  }
  if (files.find("/") == nullptr) error = "the frontend folder " + root + " has no index.html";
  return files;
}

const StaticFile* StaticFiles::find(const std::string& request_path) const {
  const std::string path = request_path == "/" ? "/index.html" : request_path;
  const auto found = files_.find(path);
  return found == files_.end() ? nullptr : &found->second;
}

}  // namespace kvmrtc::web
