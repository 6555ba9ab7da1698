// Types a planned paste on the keyboard gadget at a pace hosts keep up with (BIOS setup screens
// and busy machines drop keys that come faster than they poll), and can be cancelled.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "hid/keyboard_state.hpp"
#include "hid/paste_layout.hpp"
#include "util/timer.hpp"

namespace kvmrtc::hid {

class PasteTyper {
 public:
  using WriteReport = std::function<void(const KeyboardReport& report)>;
  using DeviceReady = std::function<bool()>;  // false while earlier reports still wait
  // state: typing, done, cancelled; typed and total count keystrokes.
  using Progress =
      std::function<void(const std::string& state, std::size_t typed, std::size_t total)>;

  PasteTyper(WriteReport write, DeviceReady ready)
      : write_(std::move(write)), ready_(std::move(ready)) {}

  void start(std::vector<Keystroke> strokes, Progress progress);
  void cancel();
  bool busy() const { return !strokes_.empty(); }

 private:
  void tick();
  void finish(const std::string& state);

  WriteReport write_;
  DeviceReady ready_;
  Progress progress_;
  std::vector<Keystroke> strokes_;
  std::size_t next_stroke_ = 0;
  int phase_ = 0;  // within a stroke: modifiers down, key down, all up
  std::size_t reported_ = 0;
  Timer timer_;
};

}  // namespace kvmrtc::hid
