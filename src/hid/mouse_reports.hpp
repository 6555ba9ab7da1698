// Mouse reports for the absolute and the relative gadget functions. Pure.
#pragma once

#include <array>
#include <cstdint>

namespace kvmrtc::hid {

inline constexpr std::uint16_t kAbsoluteMax = 32767;

using AbsoluteMouseReport = std::array<std::uint8_t, 7>;  // buttons, x lo/hi, y lo/hi, wheel, pan
using RelativeMouseReport = std::array<std::uint8_t, 4>;  // buttons, dx, dy, wheel

// A position as a fraction of the picture (0..1) → 0..32767, clamped; NaN gives 0.
std::uint16_t scale_absolute(double fraction);

// Clamps to −127..127 (a boot mouse never sends −128).
std::int8_t clamp_delta(long value);

// Only the five buttons kvmrtc knows (left, right, middle, back, forward: bits 0..4) are kept.
std::uint8_t mask_buttons(long buttons);

AbsoluteMouseReport absolute_report(std::uint8_t buttons, std::uint16_t x, std::uint16_t y,
                                    std::int8_t wheel, std::int8_t pan);
RelativeMouseReport relative_report(std::uint8_t buttons, std::int8_t dx, std::int8_t dy,
                                    std::int8_t wheel);

}  // namespace kvmrtc::hid
