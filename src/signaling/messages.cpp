#include "signaling/messages.hpp"

#include <glib.h>

#include <algorithm>

#include "util/json_text.hpp"

namespace kvmrtc::signaling {
namespace {

ParseError bad_field(const std::string& type, const char* field, const char* expected) {
  return {"bad-field", missing_field(type, field, expected)};
}

ClientMessage parse_ice(JsonObject* object) {
  if (!has_member_of_type(object, "candidate", G_TYPE_STRING)) {
    return bad_field("ice", "candidate", "string");
  }
  if (!has_member_of_type(object, "sdpMLineIndex", G_TYPE_INT64)) {
    return bad_field("ice", "sdpMLineIndex", "whole number");
  }
  const gint64 value = json_object_get_int_member(object, "sdpMLineIndex");
  if (value < 0 || value > 64) {
    return ParseError{
        "bad-field", "'ice' sdpMLineIndex " + std::to_string(value) + " is out of range (0 to 64)"};
  }
  return IceCandidate{json_object_get_string_member(object, "candidate"),
                      static_cast<unsigned>(value)};
}

}  // namespace

ClientMessage parse_client_message(const std::string& text, size_t max_bytes) {
  if (auto problem = too_large(text, max_bytes)) return ParseError{"too-large", *problem};
  const JsonObjectText parsed = parse_json_object(text);
  if (parsed.object == nullptr) return ParseError{"bad-json", parsed.error};
  JsonObject* object = parsed.object;
  if (!has_member_of_type(object, "type", G_TYPE_STRING)) {
    return ParseError{"bad-field", "a message needs a string field 'type'"};
  }
  const std::string type = json_object_get_string_member(object, "type");
  if (type == "answer") {
    if (!has_member_of_type(object, "sdp", G_TYPE_STRING)) {
      return bad_field("answer", "sdp", "string");
    }
    return Answer{json_object_get_string_member(object, "sdp")};
  }
  if (type == "ice") return parse_ice(object);
  if (type == "pong") return Pong{};
  if (type == "keyframe") return KeyframeRequest{};
  if (type == "clock") {
    if (!has_number_member(object, "sent")) return bad_field("clock", "sent", "number");
    return ClockRequest{number_member(object, "sent")};
  }
  return ParseError{"unknown-type", unknown_type(type)};
}

std::variant<std::monostate, ParseError> check_order(const ClientMessage& message, Phase phase) {
  if (std::holds_alternative<Answer>(message) && phase == Phase::kAnswered) {
    return ParseError{"out-of-order", "the offer was answered already"};
  }
  if (std::holds_alternative<IceCandidate>(message) && phase == Phase::kAwaitingAnswer) {
    return ParseError{"out-of-order", "an ICE candidate came before the answer"};
  }
  return std::monostate{};
}

std::string hello_message(const std::string& viewer_id) {
  return JsonObjectWriter().add("type", "hello").add("viewer", viewer_id).add("version", 1).text();
}

std::string state_message(const VideoStateMessage& state) {
  return JsonObjectWriter()
      .add("type", "state")
      .add("video", state.video)
      .add("width", state.width)
      .add("height", state.height)
      .add("framerate", state.framerate)
      .add("encoder", state.encoder)
      .add("codec", state.codec)
      .add("message", state.message)
      .text();
}

std::vector<std::string> parse_codec_list(const std::string& text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= text.size() && names.size() < kMaxListedCodecs) {
    const size_t end = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, end - start);
    const bool plain = !name.empty() && name.size() <= 32 &&
                       std::all_of(name.begin(), name.end(),
                                   [](unsigned char c) { return g_ascii_isalnum(c) || c == '-'; });
    if (plain) names.push_back(name);
    start = end + 1;
  }
  return names;
}

std::string offer_message(const std::string& sdp) {
  return JsonObjectWriter().add("type", "offer").add("sdp", sdp).text();
}

std::string ice_message(const std::string& candidate, unsigned mline_index) {
  return JsonObjectWriter()
      .add("type", "ice")
      .add("candidate", candidate)
      .add("sdpMLineIndex", static_cast<std::int64_t>(mline_index))
      .text();
}

std::string ping_message() {
  return JsonObjectWriter().add("type", "ping").text();
}

std::string clock_message(double sent_ms, double daemon_ms) {
  return JsonObjectWriter()
      .add("type", "clock")
      .add("sent", sent_ms)
      .add("daemon", daemon_ms)
      .text();
}

std::string error_message(const ParseError& error) {
  return error_reply("type", error.code, error.message);
}

}  // namespace kvmrtc::signaling
