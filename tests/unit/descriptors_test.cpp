#include "hid/descriptors.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hid/key_table.hpp"

using kvmrtc::hid::absolute_mouse_function;
using kvmrtc::hid::gadget_functions;
using kvmrtc::hid::HidFunction;
using kvmrtc::hid::key_table;
using kvmrtc::hid::keyboard_function;
using kvmrtc::hid::relative_mouse_function;

namespace {

// A reader of HID report descriptors (HID 1.11, section 6.2.2), independent of the code that
// writes them: short items only, usages resolved to page << 16 | id when their main item ends.

enum class Main { kInput, kOutput, kFeature, kCollection, kEndCollection };

constexpr std::uint32_t kConstantFlag = 0x01;
constexpr std::uint32_t kVariableFlag = 0x02;
constexpr std::uint32_t kRelativeFlag = 0x04;

struct Globals {
  std::uint32_t usage_page = 0;
  std::int64_t logical_minimum = 0;
  std::int64_t logical_maximum = 0;
  std::uint32_t report_size = 0;
  std::uint32_t report_count = 0;
};

struct Item {
  Main kind = Main::kInput;
  std::uint32_t data = 0;  // flags of Input/Output/Feature, kind of a Collection
  Globals globals;
  std::vector<std::uint32_t> usages;
  std::optional<std::uint32_t> usage_minimum;
  std::optional<std::uint32_t> usage_maximum;
  std::uint32_t bit_offset = 0;  // within its report type, for Input/Output/Feature

  std::uint32_t bits() const { return globals.report_size * globals.report_count; }
  bool is_constant() const { return (data & kConstantFlag) != 0; }
  bool is_variable() const { return (data & kVariableFlag) != 0; }
  bool is_relative() const { return (data & kRelativeFlag) != 0; }
  bool has_usage(std::uint32_t usage) const {
    if (std::find(usages.begin(), usages.end(), usage) != usages.end()) return true;
    return usage_minimum && usage_maximum && *usage_minimum <= usage && usage <= *usage_maximum;
  }
};

struct Parsed {
  std::vector<Item> items;
  std::uint32_t input_bits = 0;
  std::uint32_t output_bits = 0;
  std::uint32_t feature_bits = 0;
  bool has_report_id = false;
  bool collections_balance = true;
};

std::uint32_t unsigned_data(const std::vector<std::uint8_t>& bytes, std::size_t at, int size) {
  std::uint32_t value = 0;
  for (int i = 0; i < size; ++i) value |= std::uint32_t{bytes[at + i]} << (8 * i);
  return value;
}

std::int64_t signed_data(std::uint32_t value, int size) {
  if (size == 0) return 0;
  const int bits = 8 * size;
  const std::int64_t sign = std::int64_t{1} << (bits - 1);
  return (std::int64_t{value} ^ sign) - sign;
}

std::uint32_t with_page(std::uint32_t usage, int size, std::uint32_t page) {
  return size == 4 ? usage : (page << 16) | usage;
}

Parsed parse(const std::vector<std::uint8_t>& bytes) {
  Parsed parsed;
  Globals globals;
  std::vector<Globals> stack;
  // Usages as written; their page is known only when the main item ends.
  struct RawUsage {
    std::uint32_t value = 0;
    int size = 0;
    bool present = false;
  };
  std::vector<RawUsage> usages;
  RawUsage minimum;
  RawUsage maximum;
  int depth = 0;

  std::size_t at = 0;
  while (at < bytes.size()) {
    const std::uint8_t prefix = bytes[at];
    INFO("item at byte " << at << ", prefix " << int{prefix});
    REQUIRE(prefix != 0xFE);  // long items: none of ours should need one
    const int size_code = prefix & 0x03;
    const int size = size_code == 3 ? 4 : size_code;
    const int type = (prefix >> 2) & 0x03;
    const int tag = prefix >> 4;
    REQUIRE(at + 1 + size <= bytes.size());
    const std::uint32_t value = unsigned_data(bytes, at + 1, size);
    at += 1 + size;

    if (type == 1) {
      switch (tag) {
        case 0x0:
          globals.usage_page = value;
          break;
        case 0x1:
          globals.logical_minimum = signed_data(value, size);
          break;
        case 0x2:
          globals.logical_maximum = signed_data(value, size);
          break;
        case 0x7:
          globals.report_size = value;
          break;
        case 0x8:
          parsed.has_report_id = true;
          break;
        case 0x9:
          globals.report_count = value;
          break;
        case 0xA:
          stack.push_back(globals);
          break;
        case 0xB:
          REQUIRE_FALSE(stack.empty());
          globals = stack.back();
          stack.pop_back();
          break;
        default:
          break;  // physical extents, unit: not needed here
      }
      continue;
    }
    if (type == 2) {
      switch (tag) {
        case 0x0:
          usages.push_back({value, size, true});
          break;
        case 0x1:
          minimum = {value, size, true};
          break;
        case 0x2:
          maximum = {value, size, true};
          break;
        default:
          break;
      }
      continue;
    }
    REQUIRE(type == 0);

    Item item;
    switch (tag) {
      case 0x8:
        item.kind = Main::kInput;
        break;
      case 0x9:
        item.kind = Main::kOutput;
        break;
      case 0xB:
        item.kind = Main::kFeature;
        break;
      case 0xA:
        item.kind = Main::kCollection;
        break;
      case 0xC:
        item.kind = Main::kEndCollection;
        break;
      default:
        FAIL("unknown main item tag " << tag);
    }
    item.data = value;
    item.globals = globals;
    for (const auto& usage : usages) {
      item.usages.push_back(with_page(usage.value, usage.size, globals.usage_page));
    }
    if (minimum.present) {
      item.usage_minimum = with_page(minimum.value, minimum.size, globals.usage_page);
    }
    if (maximum.present) {
      item.usage_maximum = with_page(maximum.value, maximum.size, globals.usage_page);
    }
    usages.clear();
    minimum = {};
    maximum = {};

    switch (item.kind) {
      case Main::kInput:
        item.bit_offset = parsed.input_bits;
        parsed.input_bits += item.bits();
        break;
      case Main::kOutput:
        item.bit_offset = parsed.output_bits;
        parsed.output_bits += item.bits();
        break;
      case Main::kFeature:
        item.bit_offset = parsed.feature_bits;
        parsed.feature_bits += item.bits();
        break;
      case Main::kCollection:
        ++depth;
        break;
      case Main::kEndCollection:
        if (--depth < 0) parsed.collections_balance = false;
        break;
    }
    parsed.items.push_back(item);
  }
  if (depth != 0) parsed.collections_balance = false;
  return parsed;
}

std::vector<Item> items_of(const Parsed& parsed, Main kind) {
  std::vector<Item> found;
  for (const auto& item : parsed.items) {
    if (item.kind == kind) found.push_back(item);
  }
  return found;
}

// The one data Input item that reports `usage`.
Item input_with(const Parsed& parsed, std::uint32_t usage) {
  std::vector<Item> found;
  for (const auto& item : items_of(parsed, Main::kInput)) {
    if (!item.is_constant() && item.has_usage(usage)) found.push_back(item);
  }
  INFO("usage " << std::hex << usage);
  REQUIRE(found.size() == 1);
  return found.front();
}

void check_structure(const HidFunction& function, const Parsed& parsed) {
  INFO(function.name);
  CHECK(parsed.collections_balance);
  CHECK_FALSE(parsed.has_report_id);  // the report lengths leave no room for an ID byte
  CHECK(parsed.input_bits == function.report_length * 8u);
  CHECK(parsed.feature_bits == 0);
  REQUIRE_FALSE(parsed.items.empty());
  const Item& first = parsed.items.front();
  CHECK(first.kind == Main::kCollection);
  CHECK(first.data == 0x01);  // application
  REQUIRE(first.usages.size() == 1);
}

void check_mouse_buttons(const Parsed& parsed) {
  for (std::uint32_t button = 1; button <= 5; ++button) {
    INFO("button " << button);
    const Item buttons = input_with(parsed, 0x090000 | button);
    CHECK(buttons.bit_offset == 0);
    CHECK(buttons.globals.report_size == 1);
    CHECK(buttons.globals.report_count == 5);
    CHECK(buttons.is_variable());
    CHECK_FALSE(buttons.is_relative());
    CHECK(buttons.globals.logical_minimum == 0);
    CHECK(buttons.globals.logical_maximum == 1);
  }
  CHECK_FALSE(input_with(parsed, 0x090001).has_usage(0x090006));
  const auto inputs = items_of(parsed, Main::kInput);
  REQUIRE(inputs.size() >= 2);
  CHECK(inputs[1].is_constant());
  CHECK(inputs[1].bit_offset == 5);
  CHECK(inputs[1].bits() == 3);
}

void check_relative_byte(const Item& item, std::uint32_t bit_offset) {
  CHECK(item.bit_offset == bit_offset);
  CHECK(item.globals.report_size == 8);
  CHECK(item.is_variable());
  CHECK(item.is_relative());
  CHECK(item.globals.logical_minimum == -127);
  CHECK(item.globals.logical_maximum == 127);
}

}  // namespace

TEST_CASE("the keyboard is a boot keyboard with 8-byte input reports", "[hid]") {
  const HidFunction& keyboard = keyboard_function();
  CHECK(keyboard.name == "hid.keyboard");
  CHECK(keyboard.protocol == 1);
  CHECK(keyboard.subclass == 1);
  CHECK(keyboard.report_length == 8);

  const Parsed parsed = parse(keyboard.report_descriptor);
  check_structure(keyboard, parsed);
  CHECK(parsed.input_bits == 64);
  CHECK(parsed.items.front().usages.front() == 0x010006);  // Generic Desktop, Keyboard

  SECTION("modifier byte, reserved byte, six-key array") {
    const auto inputs = items_of(parsed, Main::kInput);
    REQUIRE(inputs.size() == 3);

    const Item& modifiers = inputs[0];
    CHECK(modifiers.bit_offset == 0);
    CHECK(modifiers.is_variable());
    CHECK(modifiers.globals.report_size == 1);
    CHECK(modifiers.globals.report_count == 8);
    CHECK(modifiers.usage_minimum == 0x0700E0u);
    CHECK(modifiers.usage_maximum == 0x0700E7u);
    CHECK(modifiers.globals.logical_minimum == 0);
    CHECK(modifiers.globals.logical_maximum == 1);

    CHECK(inputs[1].is_constant());
    CHECK(inputs[1].bit_offset == 8);
    CHECK(inputs[1].bits() == 8);

    const Item& keys = inputs[2];
    CHECK(keys.bit_offset == 16);
    CHECK_FALSE(keys.is_constant());
    CHECK_FALSE(keys.is_variable());
    CHECK(keys.globals.report_size == 8);
    CHECK(keys.globals.report_count == 6);
    CHECK(keys.usage_minimum == 0x070000u);
  }

  SECTION("the key array covers every usage of the key table") {
    const auto inputs = items_of(parsed, Main::kInput);
    REQUIRE(inputs.size() == 3);
    const Item& keys = inputs[2];
    REQUIRE(keys.usage_minimum);
    REQUIRE(keys.usage_maximum);
    for (const auto& [code, usage] : key_table()) {
      INFO("code " << code);
      CHECK(keys.has_usage(0x070000u | usage));
      CHECK(keys.globals.logical_minimum <= usage);
      CHECK(keys.globals.logical_maximum >= usage);
      CHECK(*keys.usage_maximum >= (0x070000u | usage));
    }
  }

  SECTION("one output byte: five LEDs and three padding bits") {
    CHECK(parsed.output_bits == 8);
    const auto outputs = items_of(parsed, Main::kOutput);
    REQUIRE(outputs.size() == 2);
    const Item& leds = outputs[0];
    CHECK_FALSE(leds.is_constant());
    CHECK(leds.is_variable());
    CHECK(leds.bits() == 5);
    CHECK(leds.usage_minimum == 0x080001u);  // Num Lock
    CHECK(leds.usage_maximum == 0x080005u);  // Kana
    CHECK(outputs[1].is_constant());
    CHECK(outputs[1].bits() == 3);
  }
}

TEST_CASE("the absolute mouse reports buttons, 15-bit X/Y, wheel and pan in 7 bytes", "[hid]") {
  const HidFunction& mouse = absolute_mouse_function();
  CHECK(mouse.name == "hid.mouse");
  CHECK(mouse.protocol == 0);
  CHECK(mouse.subclass == 0);
  CHECK(mouse.report_length == 7);

  const Parsed parsed = parse(mouse.report_descriptor);
  check_structure(mouse, parsed);
  CHECK(parsed.output_bits == 0);
  CHECK(parsed.items.front().usages.front() == 0x010002);  // Generic Desktop, Mouse
  check_mouse_buttons(parsed);

  const Item x = input_with(parsed, 0x010030);
  const Item y = input_with(parsed, 0x010031);
  CHECK(x.usages == std::vector<std::uint32_t>{0x010030, 0x010031});
  CHECK(x.bit_offset == 8);
  CHECK(x.globals.report_size == 16);
  CHECK(x.globals.report_count == 2);
  CHECK(x.is_variable());
  CHECK_FALSE(x.is_relative());
  CHECK(x.globals.logical_minimum == 0);
  CHECK(x.globals.logical_maximum == 32767);
  CHECK(y.bit_offset == x.bit_offset);

  const Item wheel = input_with(parsed, 0x010038);
  check_relative_byte(wheel, 40);
  CHECK(wheel.globals.report_count == 1);
  const Item pan = input_with(parsed, 0x0C0238);
  check_relative_byte(pan, 48);
  CHECK(pan.globals.report_count == 1);
}

TEST_CASE("the relative mouse is a boot mouse with 4-byte reports", "[hid]") {
  const HidFunction& mouse = relative_mouse_function();
  CHECK(mouse.name == "hid.relmouse");
  CHECK(mouse.protocol == 2);
  CHECK(mouse.subclass == 1);
  CHECK(mouse.report_length == 4);

  const Parsed parsed = parse(mouse.report_descriptor);
  check_structure(mouse, parsed);
  CHECK(parsed.output_bits == 0);
  CHECK(parsed.items.front().usages.front() == 0x010002);
  check_mouse_buttons(parsed);

  const Item motion = input_with(parsed, 0x010030);
  CHECK(motion.usages == std::vector<std::uint32_t>{0x010030, 0x010031, 0x010038});
  check_relative_byte(motion, 8);
  CHECK(motion.globals.report_count == 3);
}

TEST_CASE("the gadget creates keyboard, absolute mouse, relative mouse in that order", "[hid]") {
  const auto functions = gadget_functions();
  REQUIRE(functions.size() == 3);
  CHECK(functions[0] == &keyboard_function());
  CHECK(functions[1] == &absolute_mouse_function());
  CHECK(functions[2] == &relative_mouse_function());
  for (const HidFunction* function : functions) {
    INFO(function->name);
    // configfs names a function directory "<driver>.<instance>".
    CHECK(function->name.rfind("hid.", 0) == 0);
    CHECK(function->name.find_first_not_of("abcdefghijklmnopqrstuvwxyz.") == std::string::npos);
  }
}
