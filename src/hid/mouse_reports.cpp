#include "hid/mouse_reports.hpp"

#include <algorithm>
#include <cmath>

namespace kvmrtc::hid {
namespace {

constexpr long kMaxDelta = 127;
constexpr long kButtonMask = 0x1F;

std::uint8_t low_byte(std::uint16_t value) {
  return static_cast<std::uint8_t>(value & 0xFF);
}
std::uint8_t high_byte(std::uint16_t value) {
  return static_cast<std::uint8_t>(value >> 8);
}

}  // namespace

std::uint16_t scale_absolute(double fraction) {
  if (std::isnan(fraction)) return 0;
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  // Round half away from zero, so the middle of the picture (0.5) is 16384.
  return static_cast<std::uint16_t>(std::lround(clamped * kAbsoluteMax));
}

std::int8_t clamp_delta(long value) {
  return static_cast<std::int8_t>(std::clamp(value, -kMaxDelta, kMaxDelta));
}

std::uint8_t mask_buttons(long buttons) {
  if (buttons < 0) return 0;
  return static_cast<std::uint8_t>(buttons & kButtonMask);
}

AbsoluteMouseReport absolute_report(std::uint8_t buttons, std::uint16_t x, std::uint16_t y,
                                    std::int8_t wheel, std::int8_t pan) {
  return {buttons,
          low_byte(x),
          high_byte(x),
          low_byte(y),
          high_byte(y),
          static_cast<std::uint8_t>(wheel),
          static_cast<std::uint8_t>(pan)};
}

RelativeMouseReport relative_report(std::uint8_t buttons, std::int8_t dx, std::int8_t dy,
                                    std::int8_t wheel) {
  return {buttons, static_cast<std::uint8_t>(dx), static_cast<std::uint8_t>(dy),
          static_cast<std::uint8_t>(wheel)};
}

}  // namespace kvmrtc::hid
