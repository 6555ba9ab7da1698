// Reads the keyboard LED output reports (Num/Caps/Scroll Lock) the target writes to the
// keyboard gadget, without blocking the main loop.
#pragma once

#include <glib.h>

#include <cstdint>
#include <functional>
#include <string>

#include "util/timer.hpp"

namespace kvmrtc::hid {

class LedReader {
 public:
  using Changed = std::function<void(std::uint8_t leds)>;

  // Reads `path`: the keyboard's /dev/hidgN, or a FIFO in tests. A device that is missing, or
  // goes away (the gadget is rebound, the cable pulled), is opened again every second; the
  // first failure is logged. A regular file is refused: it has no reports to wait for.
  LedReader(std::string path, Changed changed);
  ~LedReader();
  LedReader(const LedReader&) = delete;
  LedReader& operator=(const LedReader&) = delete;

  std::uint8_t leds() const { return leds_; }

 private:
  void open_device();
  void close_device();
  void reopen_later(const char* why);
  // Whether the device is still there to read from.
  bool read_reports();

  std::string path_;
  int fd_ = -1;
  guint watch_ = 0;
  Timer retry_;
  bool told_ = false;  // the current failure is logged
  std::uint8_t leds_ = 0;
  Changed changed_;
};

}  // namespace kvmrtc::hid
