// The three HID functions of the kvmrtc gadget: one source of truth for the configfs setup
// tool and for the report sizes the daemon writes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kvmrtc::hid {

struct HidFunction {
  std::string name;       // configfs function instance, e.g. "hid.keyboard"
  std::uint8_t protocol;  // 1 keyboard, 2 mouse, 0 none
  std::uint8_t subclass;  // 1 boot interface, 0 none
  std::uint16_t report_length;
  std::vector<std::uint8_t> report_descriptor;
};

// Boot keyboard with a 1-byte LED output report (Num, Caps, Scroll, Compose, Kana).
const HidFunction& keyboard_function();
// Absolute pointer: 5 buttons, X/Y 0..32767, wheel, AC Pan (7-byte reports).
const HidFunction& absolute_mouse_function();
// Boot-compatible relative mouse: 5 buttons, X/Y −127..127, wheel (4-byte reports).
const HidFunction& relative_mouse_function();

// In the order they are created (and so numbered /dev/hidg0, 1, 2).
std::vector<const HidFunction*> gadget_functions();

}  // namespace kvmrtc::hid
