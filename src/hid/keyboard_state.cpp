#include "hid/keyboard_state.hpp"

#include <algorithm>

#include "hid/key_table.hpp"

namespace kvmrtc::hid {
namespace {

// A boot report has six key slots; docs/hid-protocol.md ignores a seventh key rather than
// sending the rollover error report, so the six held keys stay held on the target.
constexpr std::size_t kMaxKeys = 6;

// Usage 0 marks an empty slot and 1..3 are the keyboard's error codes (rollover, POST fail,
// undefined), not keys: holding one would corrupt the report.
constexpr std::uint8_t kFirstKeyUsage = 0x04;

constexpr std::size_t kFirstKeySlot = 2;

}  // namespace

bool KeyboardState::press(std::uint8_t usage) {
  if (const auto bit = modifier_bit(usage)) {
    if (modifiers_ & bit) return false;
    modifiers_ |= bit;
    return true;
  }
  if (usage < kFirstKeyUsage || is_pressed(usage) || keys_.size() == kMaxKeys) return false;
  keys_.push_back(usage);
  return true;
}

bool KeyboardState::release(std::uint8_t usage) {
  if (const auto bit = modifier_bit(usage)) {
    if (!(modifiers_ & bit)) return false;
    modifiers_ &= static_cast<std::uint8_t>(~bit);
    return true;
  }
  const auto found = std::find(keys_.begin(), keys_.end(), usage);
  if (found == keys_.end()) return false;
  keys_.erase(found);
  return true;
}

bool KeyboardState::release_all() {
  const bool any_down = modifiers_ != 0 || !keys_.empty();
  modifiers_ = 0;
  keys_.clear();
  return any_down;
}

bool KeyboardState::is_pressed(std::uint8_t usage) const {
  if (const auto bit = modifier_bit(usage)) return (modifiers_ & bit) != 0;
  return std::find(keys_.begin(), keys_.end(), usage) != keys_.end();
}

KeyboardReport KeyboardState::report() const {
  KeyboardReport report{};
  report[0] = modifiers_;
  std::copy(keys_.begin(), keys_.end(), report.begin() + kFirstKeySlot);
  return report;
}

}  // namespace kvmrtc::hid
