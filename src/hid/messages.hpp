// The "hid" data channel's messages (docs/hid-protocol.md): parsing what the page sends and
// writing what the daemon sends. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace kvmrtc::hid {

inline constexpr std::size_t kMaxHidMessageBytes = 16 * 1024;

struct KeyMessage {
  std::string code;
  bool down = false;
};
struct AbsolutePointerMessage {
  double x = 0;  // 0..1 across the picture, not yet clamped
  double y = 0;
  std::uint8_t buttons = 0;
};
struct RelativePointerMessage {
  long dx = 0;  // not yet clamped
  long dy = 0;
  std::uint8_t buttons = 0;
};
struct WheelMessage {
  long dy = 0;
  long dx = 0;
  bool relative = false;
};
struct ReleaseMessage {};
struct PasteMessage {
  std::string text;
  std::string layout;
};
struct PasteCancelMessage {};
struct MessageError {
  std::string code;  // as in docs/protocol.md
  std::string message;
};

using InputMessage =
    std::variant<KeyMessage, AbsolutePointerMessage, RelativePointerMessage, WheelMessage,
                 ReleaseMessage, PasteMessage, PasteCancelMessage, MessageError>;

// `max_bytes`: `[limits] message-bytes`; a longer text is `too-large`, unparsed.
InputMessage parse_input_message(const std::string& text,
                                 std::size_t max_bytes = kMaxHidMessageBytes);

std::string leds_message(std::uint8_t led_report);
std::string devices_message(const std::string& keyboard, const std::string& mouse,
                            const std::string& mouse_relative);
std::string paste_progress_message(const std::string& state, std::size_t typed, std::size_t total,
                                   const std::vector<std::string>& unsupported = {});
std::string error_message(const MessageError& error);

}  // namespace kvmrtc::hid
