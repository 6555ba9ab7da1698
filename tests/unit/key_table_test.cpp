#include "hid/key_table.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>

using kvmrtc::hid::key_table;
using kvmrtc::hid::modifier_bit;
using kvmrtc::hid::usage_for_code;

namespace {

// The keys kvmrtc must send, from the HID Usage Tables' keyboard page (0x07): the runs of
// consecutive usages are generated, the rest listed.
std::map<std::string, std::uint8_t> expected_keys() {
  std::map<std::string, std::uint8_t> keys;
  for (int i = 0; i < 26; ++i) {
    keys["Key" + std::string(1, static_cast<char>('A' + i))] = static_cast<std::uint8_t>(0x04 + i);
  }
  for (int i = 1; i <= 9; ++i)
    keys["Digit" + std::to_string(i)] = static_cast<std::uint8_t>(0x1D + i);
  keys["Digit0"] = 0x27;
  for (int i = 1; i <= 12; ++i) keys["F" + std::to_string(i)] = static_cast<std::uint8_t>(0x39 + i);
  for (int i = 13; i <= 24; ++i)
    keys["F" + std::to_string(i)] = static_cast<std::uint8_t>(0x5B + i);
  for (int i = 1; i <= 9; ++i)
    keys["Numpad" + std::to_string(i)] = static_cast<std::uint8_t>(0x58 + i);
  keys["Numpad0"] = 0x62;

  const std::map<std::string, std::uint8_t> others = {
      {"Enter", 0x28},
      {"Escape", 0x29},
      {"Backspace", 0x2A},
      {"Tab", 0x2B},
      {"Space", 0x2C},
      {"Minus", 0x2D},
      {"Equal", 0x2E},
      {"BracketLeft", 0x2F},
      {"BracketRight", 0x30},
      {"Backslash", 0x31},
      {"Semicolon", 0x33},
      {"Quote", 0x34},
      {"Backquote", 0x35},
      {"Comma", 0x36},
      {"Period", 0x37},
      {"Slash", 0x38},
      {"CapsLock", 0x39},
      {"PrintScreen", 0x46},
      {"ScrollLock", 0x47},
      {"Pause", 0x48},
      {"Insert", 0x49},
      {"Home", 0x4A},
      {"PageUp", 0x4B},
      {"Delete", 0x4C},
      {"End", 0x4D},
      {"PageDown", 0x4E},
      {"ArrowRight", 0x4F},
      {"ArrowLeft", 0x50},
      {"ArrowDown", 0x51},
      {"ArrowUp", 0x52},
      {"NumLock", 0x53},
      {"NumpadDivide", 0x54},
      {"NumpadMultiply", 0x55},
      {"NumpadSubtract", 0x56},
      {"NumpadAdd", 0x57},
      {"NumpadEnter", 0x58},
      {"NumpadDecimal", 0x63},
      {"IntlBackslash", 0x64},
      {"ContextMenu", 0x65},
      {"Power", 0x66},
      {"NumpadEqual", 0x67},
      {"NumpadComma", 0x85},
      {"IntlRo", 0x87},
      {"KanaMode", 0x88},
      {"IntlYen", 0x89},
      {"Convert", 0x8A},
      {"NonConvert", 0x8B},
      {"Lang1", 0x90},
      {"Lang2", 0x91},
      {"ControlLeft", 0xE0},
      {"ShiftLeft", 0xE1},
      {"AltLeft", 0xE2},
      {"MetaLeft", 0xE3},
      {"OSLeft", 0xE3},
      {"ControlRight", 0xE4},
      {"ShiftRight", 0xE5},
      {"AltRight", 0xE6},
      {"MetaRight", 0xE7},
      {"OSRight", 0xE7},
  };
  keys.insert(others.begin(), others.end());
  return keys;
}

}  // namespace

TEST_CASE("every key of the 104/105-key set and the JIS/Korean keys has its HID usage", "[hid]") {
  for (const auto& [code, usage] : expected_keys()) {
    INFO("code " << code);
    const auto found = usage_for_code(code);
    REQUIRE(found.has_value());
    CHECK(int{*found} == int{usage});
  }
}

TEST_CASE("the key table holds exactly the expected keys, each code once", "[hid]") {
  const auto expected = expected_keys();
  std::set<std::string_view> seen;
  for (const auto& [code, usage] : key_table()) {
    INFO("code " << code);
    CHECK(seen.insert(code).second);
    const auto it = expected.find(std::string(code));
    REQUIRE(it != expected.end());
    CHECK(int{usage} == int{it->second});
    CHECK(usage_for_code(code) == usage);
  }
  CHECK(seen.size() == expected.size());
}

TEST_CASE("codes that are not keys give no usage", "[hid]") {
  using namespace std::string_view_literals;
  CHECK_FALSE(usage_for_code("Foo"));
  CHECK_FALSE(usage_for_code(""));
  CHECK_FALSE(usage_for_code("keya"));
  CHECK_FALSE(usage_for_code("Key"));
  CHECK_FALSE(usage_for_code("KeyAA"));
  CHECK_FALSE(usage_for_code("F25"));
  CHECK_FALSE(usage_for_code("KeyA\0"sv));
  CHECK_FALSE(usage_for_code("\0KeyA"sv));
  CHECK_FALSE(usage_for_code("Key\xC3\x84"));
  CHECK_FALSE(usage_for_code("\xFF\xFE\x80"));
  CHECK_FALSE(usage_for_code(std::string(10 * 1024, 'K')));
  CHECK_FALSE(usage_for_code("KeyA" + std::string(10 * 1024, 'A')));
}

TEST_CASE("modifier_bit gives the boot report bit of each modifier and 0 otherwise", "[hid]") {
  CHECK(modifier_bit(0xE0) == 0x01);
  CHECK(modifier_bit(0xE1) == 0x02);
  CHECK(modifier_bit(0xE2) == 0x04);
  CHECK(modifier_bit(0xE3) == 0x08);
  CHECK(modifier_bit(0xE4) == 0x10);
  CHECK(modifier_bit(0xE5) == 0x20);
  CHECK(modifier_bit(0xE6) == 0x40);
  CHECK(modifier_bit(0xE7) == 0x80);
  for (int usage = 0; usage <= 0xFF; ++usage) {
    if (usage >= 0xE0 && usage <= 0xE7) continue;
    INFO("usage " << usage);
    CHECK(modifier_bit(static_cast<std::uint8_t>(usage)) == 0);
  }
}
