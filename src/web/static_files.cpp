#include "web/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

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
  if (status) {
    error = "cannot read the frontend folder " + root + ": " + status.message();
    return files;
  }
  for (const auto& entry : walk) {
    if (!entry.is_regular_file()) continue;
    std::ifstream input(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << input.rdbuf();
    const std::string relative =
        "/" + std::filesystem::relative(entry.path(), root).generic_string();
    files.files_[relative] = {content.str(), content_type_for(relative)};
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
