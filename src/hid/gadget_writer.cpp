#include "hid/gadget_writer.hpp"

#include <fcntl.h>
#include <glib-unix.h>
#include <gst/gst.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/log.hpp"

GST_DEBUG_CATEGORY_STATIC(hid_device_debug);
#define GST_CAT_DEFAULT hid_device_debug

namespace kvmrtc::hid {
namespace {

using namespace std::chrono_literals;

// A queue this long means the target stopped reading a while ago: older reports are stale.
constexpr std::size_t kMaxQueuedReports = 64;
// A report that cannot be written for this long means the target is off or not reading.
constexpr auto kStallLimit = 250ms;
constexpr auto kReopenInterval = 1000ms;

std::string hex(const GadgetWriter::Report& report) {
  std::string text;
  for (const std::uint8_t byte : report) {
    char digits[4];
    std::snprintf(digits, sizeof digits, "%02x ", byte);
    text += digits;
  }
  return text;
}

}  // namespace

const char* to_string(DeviceState state) {
  switch (state) {
    case DeviceState::kOk:
      return "ok";
    case DeviceState::kNotResponding:
      return "not-responding";
    case DeviceState::kMissing:
      return "missing";
  }
  return "missing";
}

GadgetWriter::GadgetWriter(std::string name, std::string path)
    : name_(std::move(name)), path_(std::move(path)) {
  GST_DEBUG_CATEGORY_INIT(hid_device_debug, "kvmrtc-hid-device", 0,
                          "kvmrtc reports written to the HID gadget devices");
  open_device();
}

GadgetWriter::~GadgetWriter() {
  close_device();
}

void GadgetWriter::move_to(std::string path) {
  close_device();
  counts_.dropped += queue_.size();
  queue_.clear();
  path_ = std::move(path);
  announced_state_ = false;
  log::info("%s device is now %s", name_.c_str(), path_.c_str());
  open_device();
}

void GadgetWriter::write(Report report, bool coalescable) {
  if (coalescable && !queue_.empty() && queue_.back().coalescable) {
    queue_.back().report = std::move(report);
  } else {
    queue_.push_back({std::move(report), coalescable});
  }
  // While the target is off or not reading, only the state it must end up in is kept: keys
  // typed meanwhile must not be replayed into a machine that has just woken up.
  if (state_ != DeviceState::kOk || queue_.size() > kMaxQueuedReports) keep_newest_only();
  flush();
}

void GadgetWriter::keep_newest_only() {
  if (queue_.size() <= 1) return;
  counts_.dropped += queue_.size() - 1;
  queue_.erase(queue_.begin(), queue_.end() - 1);
}

void GadgetWriter::open_device() {
  reopen_.cancel();
  fd_ = ::open(path_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0) {
    const int error = errno;
    // ENXIO: a FIFO with no reader yet, the way a gadget with no host behaves.
    set_state(error == ENXIO ? DeviceState::kNotResponding : DeviceState::kMissing);
    if (!announced_state_) {
      log::warning("%s device %s cannot be opened: %s (retrying every second)", name_.c_str(),
                   path_.c_str(), std::strerror(error));
      announced_state_ = true;
    }
    reopen_.start_once(kReopenInterval, [this] { open_device(); });
    return;
  }
  if (announced_state_) log::info("%s device %s is open", name_.c_str(), path_.c_str());
  announced_state_ = false;
  blocked_ = false;
  set_state(DeviceState::kOk);
  flush();
}

void GadgetWriter::close_device() {
  if (writable_watch_ != 0) g_source_remove(writable_watch_);
  writable_watch_ = 0;
  stall_check_.cancel();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void GadgetWriter::flush() {
  if (fd_ < 0 || writable_watch_ != 0) return;
  while (!queue_.empty()) {
    const Report& report = queue_.front().report;
    const ssize_t written = ::write(fd_, report.data(), report.size());
    if (written == static_cast<ssize_t>(report.size())) {
      GST_LOG("%s: report %s", name_.c_str(), hex(report).c_str());
      ++counts_.written;
      queue_.pop_front();
      continue;
    }
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      watch_writable();
      return;
    }
    // ESHUTDOWN, EPIPE, EIO …: the gadget went away under us (unbound, host gone).
    const int error = written < 0 ? errno : EIO;
    ++counts_.errors;
    log::warning("%s device %s: write failed: %s (reopening)", name_.c_str(), path_.c_str(),
                 std::strerror(error));
    announced_state_ = true;
    close_device();
    set_state(DeviceState::kNotResponding);
    reopen_.start_once(kReopenInterval, [this] { open_device(); });
    return;
  }
  blocked_ = false;
  set_state(DeviceState::kOk);
}

void GadgetWriter::watch_writable() {
  if (!blocked_) {
    blocked_ = true;
    stall_check_.start_once(kStallLimit, [this] {
      if (!blocked_) return;
      keep_newest_only();
      set_state(DeviceState::kNotResponding);
    });
  }
  writable_watch_ = g_unix_fd_add(
      fd_, static_cast<GIOCondition>(G_IO_OUT | G_IO_ERR | G_IO_HUP),
      [](gint, GIOCondition, gpointer data) -> gboolean {
        auto* self = static_cast<GadgetWriter*>(data);
        self->writable_watch_ = 0;
        self->flush();
        return G_SOURCE_REMOVE;
      },
      this);
}

void GadgetWriter::set_state(DeviceState state) {
  if (state == state_) return;
  state_ = state;
  if (state_changed_) state_changed_();
}

}  // namespace kvmrtc::hid
