// Physical keys: KeyboardEvent.code → HID usage ID on the keyboard page (0x07). Pure data.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace kvmrtc::hid {

// The usage for a KeyboardEvent.code (e.g. "KeyA" → 0x04, "ShiftLeft" → 0xE1), or nothing when
// the code is not a key kvmrtc can send.
std::optional<std::uint8_t> usage_for_code(std::string_view code);

// The modifier bit of a modifier usage (0xE0..0xE7 → 0x01..0x80), or 0 for any other usage.
std::uint8_t modifier_bit(std::uint8_t usage);

// Every (code, usage) pair the table knows, in the table's order.
const std::vector<std::pair<std::string_view, std::uint8_t>>& key_table();

}  // namespace kvmrtc::hid
