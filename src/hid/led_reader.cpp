#include "hid/led_reader.hpp"

#include <fcntl.h>
#include <glib-unix.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/log.hpp"

namespace kvmrtc::hid {

LedReader::LedReader(const std::string& path, Changed changed) : changed_(std::move(changed)) {
  // Read-write: on a FIFO this keeps a writer end open, so the read side never sees end-of-file
  // (and a busy POLLHUP) between the target's writes.
  fd_ = ::open(path.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    log::warning("keyboard LEDs from %s cannot be read: %s", path.c_str(), std::strerror(errno));
    return;
  }
  watch_ = g_unix_fd_add(
      fd_, G_IO_IN,
      [](gint, GIOCondition, gpointer data) -> gboolean {
        static_cast<LedReader*>(data)->read_reports();
        return G_SOURCE_CONTINUE;
      },
      this);
}

LedReader::~LedReader() {
  if (watch_ != 0) g_source_remove(watch_);
  if (fd_ >= 0) ::close(fd_);
}

void LedReader::read_reports() {
  std::uint8_t reports[64];
  const ssize_t count = ::read(fd_, reports, sizeof reports);
  if (count <= 0) return;
  // Only the newest report matters: it is the LEDs' state now.
  const std::uint8_t newest = reports[count - 1];
  if (newest == leds_) return;
  leds_ = newest;
  changed_(leds_);
}

}  // namespace kvmrtc::hid
