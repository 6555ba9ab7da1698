#include "hid/descriptors.hpp"

#include "hid/mouse_reports.hpp"

namespace kvmrtc::hid {
namespace {

// bInterfaceSubClass and bInterfaceProtocol of the HID class specification (section 4.2, 4.3).
constexpr std::uint8_t kSubclassNone = 0;
constexpr std::uint8_t kSubclassBoot = 1;
constexpr std::uint8_t kProtocolNone = 0;
constexpr std::uint8_t kProtocolKeyboard = 1;
constexpr std::uint8_t kProtocolMouse = 2;

// Usage pages and usages of the HID Usage Tables.
constexpr std::uint16_t kGenericDesktopPage = 0x01;
constexpr std::uint16_t kKeyboardPage = 0x07;
constexpr std::uint16_t kLedPage = 0x08;
constexpr std::uint16_t kButtonPage = 0x09;
constexpr std::uint16_t kConsumerPage = 0x0C;
constexpr std::uint16_t kPointerUsage = 0x01;
constexpr std::uint16_t kMouseUsage = 0x02;
constexpr std::uint16_t kKeyboardUsage = 0x06;
constexpr std::uint16_t kXUsage = 0x30;
constexpr std::uint16_t kYUsage = 0x31;
constexpr std::uint16_t kWheelUsage = 0x38;
constexpr std::uint16_t kAcPanUsage = 0x0238;

// Collection kinds and Input/Output flag bits of the HID specification (section 6.2.2.4/6).
constexpr std::uint8_t kPhysical = 0x00;
constexpr std::uint8_t kApplication = 0x01;
constexpr std::uint8_t kData = 0x00;
constexpr std::uint8_t kConstant = 0x01;
constexpr std::uint8_t kArray = 0x00;
constexpr std::uint8_t kVariable = 0x02;
constexpr std::uint8_t kAbsolute = 0x00;
constexpr std::uint8_t kRelative = 0x04;

constexpr std::uint8_t kButtons = 5;
constexpr std::uint8_t kLeds = 5;

// Writes short items, each in the fewest data bytes that keep its value (and, for the logical
// extents, its sign), so the descriptors read as their items rather than as hex.
class Descriptor {
 public:
  Descriptor& usage_page(std::uint16_t page) { return unsigned_item(0x04, page); }
  Descriptor& usage(std::uint16_t usage) { return unsigned_item(0x08, usage); }
  Descriptor& usage_minimum(std::uint16_t usage) { return unsigned_item(0x18, usage); }
  Descriptor& usage_maximum(std::uint16_t usage) { return unsigned_item(0x28, usage); }
  Descriptor& logical_minimum(std::int32_t value) { return signed_item(0x14, value); }
  Descriptor& logical_maximum(std::int32_t value) { return signed_item(0x24, value); }
  Descriptor& report_size(std::uint8_t bits) { return unsigned_item(0x74, bits); }
  Descriptor& report_count(std::uint8_t count) { return unsigned_item(0x94, count); }
  Descriptor& input(std::uint8_t flags) { return unsigned_item(0x80, flags); }
  Descriptor& output(std::uint8_t flags) { return unsigned_item(0x90, flags); }
  Descriptor& collection(std::uint8_t kind) { return unsigned_item(0xA0, kind); }
  Descriptor& end_collection() {
    bytes_.push_back(0xC0);
    return *this;
  }

  std::vector<std::uint8_t> bytes() const { return bytes_; }

 private:
  Descriptor& unsigned_item(std::uint8_t tag, std::uint32_t value) {
    if (value <= 0xFF) return item(tag, value, 1);
    if (value <= 0xFFFF) return item(tag, value, 2);
    return item(tag, value, 4);
  }

  Descriptor& signed_item(std::uint8_t tag, std::int32_t value) {
    const auto bits = static_cast<std::uint32_t>(value);
    if (value >= -0x80 && value <= 0x7F) return item(tag, bits, 1);
    if (value >= -0x8000 && value <= 0x7FFF) return item(tag, bits, 2);
    return item(tag, bits, 4);
  }

  // The prefix's low two bits give the data size: 1, 2 or 4 bytes are encoded as 1, 2 and 3.
  Descriptor& item(std::uint8_t tag, std::uint32_t value, int size) {
    bytes_.push_back(static_cast<std::uint8_t>(tag | (size == 4 ? 3 : size)));
    for (int i = 0; i < size; ++i) bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    return *this;
  }

  std::vector<std::uint8_t> bytes_;
};

// The five buttons and three padding bits that open both mouse reports.
Descriptor& buttons_byte(Descriptor& descriptor) {
  return descriptor.usage_page(kButtonPage)
      .usage_minimum(1)
      .usage_maximum(kButtons)
      .logical_minimum(0)
      .logical_maximum(1)
      .report_count(kButtons)
      .report_size(1)
      .input(kData | kVariable | kAbsolute)
      .report_count(1)
      .report_size(8 - kButtons)
      .input(kConstant);
}

std::vector<std::uint8_t> keyboard_descriptor() {
  Descriptor descriptor;
  descriptor.usage_page(kGenericDesktopPage)
      .usage(kKeyboardUsage)
      .collection(kApplication)
      .usage_page(kKeyboardPage)
      .usage_minimum(0xE0)
      .usage_maximum(0xE7)
      .logical_minimum(0)
      .logical_maximum(1)
      .report_size(1)
      .report_count(8)
      .input(kData | kVariable | kAbsolute)
      .report_count(1)
      .report_size(8)
      .input(kConstant)
      .usage_page(kLedPage)
      .usage_minimum(1)
      .usage_maximum(kLeds)
      .report_count(kLeds)
      .report_size(1)
      .output(kData | kVariable | kAbsolute)
      .report_count(1)
      .report_size(8 - kLeds)
      .output(kConstant)
      // The whole keyboard page rather than the boot example's 0..0x65: the key table also sends
      // Power, F13..F24, the numpad's = and , and the Japanese and Korean keys (0x66..0x91), and a
      // host drops array values beyond the maximum.
      .usage_page(kKeyboardPage)
      .usage_minimum(0x00)
      .usage_maximum(0xFF)
      .logical_minimum(0)
      .logical_maximum(0xFF)
      .report_count(6)
      .report_size(8)
      .input(kData | kArray | kAbsolute)
      .end_collection();
  return descriptor.bytes();
}

std::vector<std::uint8_t> absolute_mouse_descriptor() {
  Descriptor descriptor;
  descriptor.usage_page(kGenericDesktopPage)
      .usage(kMouseUsage)
      .collection(kApplication)
      .usage(kPointerUsage)
      .collection(kPhysical);
  buttons_byte(descriptor)
      .usage_page(kGenericDesktopPage)
      .usage(kXUsage)
      .usage(kYUsage)
      .logical_minimum(0)
      .logical_maximum(kAbsoluteMax)
      .report_size(16)
      .report_count(2)
      .input(kData | kVariable | kAbsolute)
      .usage(kWheelUsage)
      .logical_minimum(-127)
      .logical_maximum(127)
      .report_size(8)
      .report_count(1)
      .input(kData | kVariable | kRelative)
      .usage_page(kConsumerPage)
      .usage(kAcPanUsage)
      .input(kData | kVariable | kRelative)
      .end_collection()
      .end_collection();
  return descriptor.bytes();
}

std::vector<std::uint8_t> relative_mouse_descriptor() {
  Descriptor descriptor;
  descriptor.usage_page(kGenericDesktopPage)
      .usage(kMouseUsage)
      .collection(kApplication)
      .usage(kPointerUsage)
      .collection(kPhysical);
  buttons_byte(descriptor)
      .usage_page(kGenericDesktopPage)
      .usage(kXUsage)
      .usage(kYUsage)
      .usage(kWheelUsage)
      .logical_minimum(-127)
      .logical_maximum(127)
      .report_size(8)
      .report_count(3)
      .input(kData | kVariable | kRelative)
      .end_collection()
      .end_collection();
  return descriptor.bytes();
}

}  // namespace

const HidFunction& keyboard_function() {
  static const HidFunction function{"hid.keyboard", kProtocolKeyboard, kSubclassBoot, 8,
                                    keyboard_descriptor()};
  return function;
}

// The boot protocol knows no absolute pointer, so this function claims no boot interface.
const HidFunction& absolute_mouse_function() {
  static const HidFunction function{"hid.mouse", kProtocolNone, kSubclassNone, 7,
                                    absolute_mouse_descriptor()};
  return function;
}

const HidFunction& relative_mouse_function() {
  static const HidFunction function{"hid.relmouse", kProtocolMouse, kSubclassBoot, 4,
                                    relative_mouse_descriptor()};
  return function;
}

std::vector<const HidFunction*> gadget_functions() {
  return {&keyboard_function(), &absolute_mouse_function(), &relative_mouse_function()};
}

}  // namespace kvmrtc::hid
