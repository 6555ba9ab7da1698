#include "hid/led_reader.hpp"

#include <fcntl.h>
#include <glib-unix.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "util/log.hpp"

namespace kvmrtc::hid {
namespace {

constexpr std::chrono::milliseconds kRetry{1000};

}  // namespace

LedReader::LedReader(std::string path, Changed changed)
    : path_(std::move(path)), changed_(std::move(changed)) {
  open_device();
}

LedReader::~LedReader() {
  close_device();
}

void LedReader::open_device() {
  // Read-write: on a FIFO this keeps a writer end open, so the read side never sees end-of-file
  // (and a busy POLLHUP) between the target's writes.
  fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    reopen_later(std::strerror(errno));
    return;
  }
  struct stat info {};
  if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode)) {
    // Always readable, never a report: watching it would spin the main loop.
    log::warning(
        "keyboard LEDs: %s is a regular file, not the keyboard gadget or a FIFO; no LED "
        "display",
        path_.c_str());
    close_device();
    return;
  }
  if (told_) log::info("keyboard LEDs: %s is open again", path_.c_str());
  told_ = false;
  watch_ = g_unix_fd_add(
      fd_, static_cast<GIOCondition>(G_IO_IN | G_IO_ERR | G_IO_HUP),
      [](gint, GIOCondition condition, gpointer data) -> gboolean {
        auto* self = static_cast<LedReader*>(data);
        if ((condition & G_IO_IN) != 0 && self->read_reports()) return G_SOURCE_CONTINUE;
        if ((condition & G_IO_IN) == 0 && (condition & (G_IO_ERR | G_IO_HUP)) == 0) {
          return G_SOURCE_CONTINUE;
        }
        // The source goes with this return: close_device() must not remove it again.
        self->watch_ = 0;
        self->reopen_later("the device went away");
        return G_SOURCE_REMOVE;
      },
      this);
}

void LedReader::close_device() {
  retry_.cancel();
  if (watch_ != 0) g_source_remove(watch_);
  watch_ = 0;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void LedReader::reopen_later(const char* why) {
  close_device();
  if (!told_) {
    log::warning("keyboard LEDs from %s cannot be read: %s (retrying every second)", path_.c_str(),
                 why);
    told_ = true;
  }
  retry_.start_once(kRetry, [this] { open_device(); });
}

bool LedReader::read_reports() {
  std::uint8_t reports[64];
  const ssize_t count = ::read(fd_, reports, sizeof reports);
  if (count < 0) return errno == EAGAIN || errno == EINTR;
  // End of file: the device or the FIFO's writer is gone.
  if (count == 0) return false;
  // Only the newest report matters: it is the LEDs' state now.
  const std::uint8_t newest = reports[count - 1];
  if (newest != leds_) {
    leds_ = newest;
    changed_(leds_);
  }
  return true;
}

}  // namespace kvmrtc::hid
