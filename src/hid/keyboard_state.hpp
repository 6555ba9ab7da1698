// Which keys are down, as a USB boot-keyboard report (8 bytes): modifier bits, a reserved 0,
// then up to six usages in the order they went down. Pure.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

namespace kvmrtc::hid {

using KeyboardReport = std::array<std::uint8_t, 8>;

class KeyboardState {
 public:
  // Each returns whether the report changed. A key already down, a seventh non-modifier key, or
  // a key that is not down (for release) changes nothing.
  bool press(std::uint8_t usage);
  bool release(std::uint8_t usage);
  bool release_all();

  bool is_pressed(std::uint8_t usage) const;
  KeyboardReport report() const;

 private:
  std::uint8_t modifiers_ = 0;
  std::vector<std::uint8_t> keys_;  // at most six, oldest first
};

}  // namespace kvmrtc::hid
