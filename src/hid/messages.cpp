#include "hid/messages.hpp"

#include <algorithm>
#include <cmath>

#include "util/json_text.hpp"

namespace kvmrtc::hid {
namespace {

// LED bits of the boot keyboard's output report.
constexpr std::uint8_t kNumLock = 0x01;
constexpr std::uint8_t kCapsLock = 0x02;
constexpr std::uint8_t kScrollLock = 0x04;

// Larger moves than this in one message are not a mouse but a bug or an attack; they are
// clamped to it and later to the report's range.
constexpr double kMaxDelta = 1e6;

MessageError bad_field(const std::string& type, const char* field, const char* expected) {
  return {"bad-field", missing_field(type, field, expected)};
}

std::uint8_t buttons_of(JsonObject* object) {
  if (!has_number_member(object, "buttons")) return 0;
  const double value = number_member(object, "buttons");
  return value >= 0 && value < 256 ? static_cast<std::uint8_t>(value) : 0;
}

long whole_number(JsonObject* object, const char* field) {
  const double value = number_member(object, field);
  if (!std::isfinite(value)) return 0;
  return std::lround(std::clamp(value, -kMaxDelta, kMaxDelta));
}

InputMessage parse_key(JsonObject* object) {
  if (!has_member_of_type(object, "code", G_TYPE_STRING)) return bad_field("key", "code", "string");
  if (!has_member_of_type(object, "down", G_TYPE_BOOLEAN)) {
    return bad_field("key", "down", "boolean");
  }
  return KeyMessage{json_object_get_string_member(object, "code"),
                    json_object_get_boolean_member(object, "down") != FALSE};
}

InputMessage parse_absolute(JsonObject* object) {
  if (!has_number_member(object, "x")) return bad_field("abs", "x", "number");
  if (!has_number_member(object, "y")) return bad_field("abs", "y", "number");
  return AbsolutePointerMessage{number_member(object, "x"), number_member(object, "y"),
                                buttons_of(object)};
}

InputMessage parse_relative(JsonObject* object) {
  if (!has_number_member(object, "dx")) return bad_field("rel", "dx", "number");
  if (!has_number_member(object, "dy")) return bad_field("rel", "dy", "number");
  return RelativePointerMessage{whole_number(object, "dx"), whole_number(object, "dy"),
                                buttons_of(object)};
}

InputMessage parse_wheel(JsonObject* object) {
  WheelMessage wheel;
  if (has_number_member(object, "dy")) wheel.dy = whole_number(object, "dy");
  if (has_number_member(object, "dx")) wheel.dx = whole_number(object, "dx");
  if (has_member_of_type(object, "mode", G_TYPE_STRING)) {
    wheel.relative = std::string(json_object_get_string_member(object, "mode")) == "rel";
  }
  return wheel;
}

InputMessage parse_paste(JsonObject* object) {
  if (!has_member_of_type(object, "text", G_TYPE_STRING)) {
    return bad_field("paste", "text", "string");
  }
  if (!has_member_of_type(object, "layout", G_TYPE_STRING)) {
    return bad_field("paste", "layout", "string");
  }
  return PasteMessage{json_object_get_string_member(object, "text"),
                      json_object_get_string_member(object, "layout")};
}

}  // namespace

InputMessage parse_input_message(const std::string& text, std::size_t max_bytes) {
  if (auto problem = too_large(text, max_bytes)) return MessageError{"too-large", *problem};
  const JsonObjectText parsed = parse_json_object(text);
  if (parsed.object == nullptr) return MessageError{"bad-json", parsed.error};
  JsonObject* object = parsed.object;
  if (!has_member_of_type(object, "t", G_TYPE_STRING)) {
    return MessageError{"bad-field", "a message needs a string field 't'"};
  }
  const std::string type = json_object_get_string_member(object, "t");
  if (type == "key") return parse_key(object);
  if (type == "abs") return parse_absolute(object);
  if (type == "rel") return parse_relative(object);
  if (type == "wheel") return parse_wheel(object);
  if (type == "release") return ReleaseMessage{};
  if (type == "paste") return parse_paste(object);
  if (type == "paste-cancel") return PasteCancelMessage{};
  return MessageError{"unknown-type", unknown_type(type)};
}

std::string leds_message(std::uint8_t led_report) {
  return JsonObjectWriter()
      .add("t", "leds")
      .add("num", (led_report & kNumLock) != 0)
      .add("caps", (led_report & kCapsLock) != 0)
      .add("scroll", (led_report & kScrollLock) != 0)
      .text();
}

std::string devices_message(const std::string& keyboard, const std::string& mouse,
                            const std::string& mouse_relative) {
  return JsonObjectWriter()
      .add("t", "hid")
      .add("keyboard", keyboard)
      .add("mouse", mouse)
      .add("mouse-relative", mouse_relative)
      .text();
}

std::string paste_progress_message(const std::string& state, std::size_t typed, std::size_t total,
                                   const std::vector<std::string>& unsupported) {
  return JsonObjectWriter()
      .add("t", "paste")
      .add("state", state)
      .add("typed", static_cast<std::int64_t>(typed))
      .add("total", static_cast<std::int64_t>(total))
      .add("unsupported", unsupported)
      .text();
}

std::string error_message(const MessageError& error) {
  return error_reply("t", error.code, error.message);
}

}  // namespace kvmrtc::hid
