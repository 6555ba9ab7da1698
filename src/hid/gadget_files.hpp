// The file operations the gadget's setup and teardown are made of (gadget_setup.cpp), on
// configfs or, in tests, on a plain directory. Each throws GadgetError naming the path and the
// system's reason, so the steps read as a plain sequence.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kvmrtc::hid::gadget_files {

class GadgetError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "cannot ACTION PATH: strerror(error)".
[[noreturn]] void fail(std::string_view action, const std::filesystem::path& path, int error);

// The whole file; nothing when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);
// In one write(2): configfs takes each write as a complete value.
void write_file(const std::filesystem::path& path, std::string_view content);
std::string trim(std::string_view text);
void make_directories(const std::filesystem::path& path);
// Symlinks, and attribute files outside configfs.
void remove_file(const std::filesystem::path& path);
// Removal tolerates what is already gone, so a teardown interrupted halfway can be repeated.
void remove_directory(const std::filesystem::path& path);
bool on_configfs(const std::filesystem::path& path);
// The entries of a directory of the given type, not following symlinks; none when it is missing.
std::vector<std::filesystem::path> entries(const std::filesystem::path& dir,
                                           std::filesystem::file_type type);

}  // namespace kvmrtc::hid::gadget_files
