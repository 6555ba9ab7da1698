// The frontend, read into memory once at start-up so that serving it never touches the disk
// from the main loop.
#pragma once

#include <map>
#include <string>

namespace kvmrtc::web {

struct StaticFile {
  std::string content;
  std::string content_type;
};

class StaticFiles {
 public:
  // Reads every file below `root`; `error` is set when the folder cannot be read.
  static StaticFiles load(const std::string& root, std::string& error);

  // The file for a request path ("/" is index.html), or null.
  const StaticFile* find(const std::string& request_path) const;
  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, StaticFile> files_;  // by path relative to the root, "/index.html"
};

std::string content_type_for(const std::string& path);

}  // namespace kvmrtc::web
