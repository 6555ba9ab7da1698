#include "hid/gadget_files.hpp"

#include <fcntl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace kvmrtc::hid::gadget_files {
namespace {

namespace fs = std::filesystem;

// statfs(2) f_type of configfs (fs/configfs/mount.c); the uapi headers do not export it.
constexpr long kConfigfsMagic = 0x62656570;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

[[noreturn]] void fail(std::string_view action, const fs::path& path, int error) {
  throw GadgetError("cannot " + std::string(action) + " " + path.string() + ": " +
                    std::strerror(error));
}

std::optional<std::string> read_file(const fs::path& path) {
  const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) return std::nullopt;
  std::string content;
  char buffer[4096];
  for (;;) {
    const ssize_t count = ::read(file.get(), buffer, sizeof buffer);
    if (count < 0) return std::nullopt;
    if (count == 0) return content;
    content.append(buffer, static_cast<std::size_t>(count));
  }
}

// O_CREAT makes the same call work on configfs, where mkdir already made the attribute, and in
// a plain directory, where the file is new.
void write_file(const fs::path& path, std::string_view content) {
  const FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (file.get() < 0) fail("open", path, errno);
  // configfs hands each write() to the attribute's store function as a complete value, so the
  // value must go in one call; a split report descriptor would be two wrong descriptors.
  const ssize_t count = ::write(file.get(), content.data(), content.size());
  if (count < 0) fail("write", path, errno);
  if (static_cast<std::size_t>(count) != content.size()) {
    throw GadgetError("short write to " + path.string());
  }
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t\n") - first + 1));
}

void make_directories(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path, error);
  if (error) fail("create directory", path, error.value());
}

void remove_file(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) fail("remove", path, errno);
}

void remove_directory(const fs::path& path) {
  if (::rmdir(path.c_str()) != 0 && errno != ENOENT) fail("remove directory", path, errno);
}

bool on_configfs(const fs::path& path) {
  struct statfs info {};
  return ::statfs(path.c_str(), &info) == 0 && info.f_type == kConfigfsMagic;
}

std::vector<fs::path> entries(const fs::path& dir, fs::file_type type) {
  std::vector<fs::path> found;
  std::error_code error;
  fs::directory_iterator it(dir, error);
  if (error == std::errc::no_such_file_or_directory) return found;
  if (error) fail("list", dir, error.value());
  for (const fs::directory_entry& entry : it) {
    if (entry.symlink_status(error).type() == type) found.push_back(entry.path());
  }
  return found;
}

}  // namespace kvmrtc::hid::gadget_files
