// A fresh folder under the system's temp dir for one test, removed with everything in it.
#pragma once

#include <glib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "util/ref_ptr.hpp"

class TempDir {
 public:
  TempDir() {
    GError* raw_error = nullptr;
    kvmrtc::CharPtr made(g_dir_make_tmp("kvmrtc-test-XXXXXX", &raw_error));
    kvmrtc::ErrorPtr error(raw_error);
    REQUIRE(made != nullptr);
    path_ = made.get();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::filesystem::path operator/(const std::string& relative) const {
    return std::filesystem::path(path_) / relative;
  }

  // Writes `content` to `relative` below the folder, creating subfolders; returns the file's path.
  std::string write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path file = *this / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << content;
    return file.string();
  }

 private:
  std::string path_;
};
