// Writes HID reports to one gadget device (/dev/hidgN; a file or FIFO in tests) without ever
// blocking the main loop. Reports wait in a short queue while the host has not yet polled the
// last one (pointer moves coalesced); once the target is off, unplugged or not reading, only
// the newest state is kept, and it goes out when the device accepts again. A missing device is
// reopened when it appears.
#pragma once

#include <glib.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "util/timer.hpp"

namespace kvmrtc::hid {

enum class DeviceState { kOk, kNotResponding, kMissing };
const char* to_string(DeviceState state);

class GadgetWriter {
 public:
  using Report = std::vector<std::uint8_t>;

  // `name` is for log lines ("keyboard"); `path` is opened at once and retried while missing.
  GadgetWriter(std::string name, std::string path);
  ~GadgetWriter();
  GadgetWriter(const GadgetWriter&) = delete;
  GadgetWriter& operator=(const GadgetWriter&) = delete;

  // Queues a report. A coalescable one (a pointer move) replaces a coalescable one still
  // waiting at the end of the queue, so a stalled target gets the newest position, not a trail.
  void write(Report report, bool coalescable = false);

  // Closes the device and opens `path` in its place. Reports still queued for the old one are
  // dropped: they belong to what was held on it.
  void move_to(std::string path);

  // Reports since the start: written to the device, given up (stale while the target did not
  // read, or left for a device that was replaced), and writes that failed.
  struct Counts {
    std::uint64_t written = 0;
    std::uint64_t dropped = 0;
    std::uint64_t errors = 0;
  };
  const Counts& counts() const { return counts_; }

  DeviceState state() const { return state_; }
  bool idle() const { return queue_.empty(); }
  void on_state_change(std::function<void()> callback) { state_changed_ = std::move(callback); }

 private:
  struct Pending {
    Report report;
    bool coalescable;
  };

  void keep_newest_only();
  void open_device();
  void close_device();
  void flush();
  void watch_writable();
  void set_state(DeviceState state);

  std::string name_;
  std::string path_;
  int fd_ = -1;
  guint writable_watch_ = 0;
  std::deque<Pending> queue_;
  bool blocked_ = false;
  DeviceState state_ = DeviceState::kMissing;
  Counts counts_;
  bool announced_state_ = false;
  Timer reopen_;
  Timer stall_check_;
  std::function<void()> state_changed_;
};

}  // namespace kvmrtc::hid
