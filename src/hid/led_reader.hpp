// Reads the keyboard LED output reports (Num/Caps/Scroll Lock) the target writes to the
// keyboard gadget, without blocking the main loop.
#pragma once

#include <glib.h>

#include <cstdint>
#include <functional>
#include <string>

namespace kvmrtc::hid {

class LedReader {
 public:
  using Changed = std::function<void(std::uint8_t leds)>;

  // Reads `path` (the keyboard's /dev/hidgN, or a FIFO in tests); a path that cannot be opened
  // is logged once and means no LED display, nothing worse.
  LedReader(const std::string& path, Changed changed);
  ~LedReader();
  LedReader(const LedReader&) = delete;
  LedReader& operator=(const LedReader&) = delete;

  std::uint8_t leds() const { return leds_; }

 private:
  void read_reports();

  int fd_ = -1;
  guint watch_ = 0;
  std::uint8_t leds_ = 0;
  Changed changed_;
};

}  // namespace kvmrtc::hid
