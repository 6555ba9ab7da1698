#include "signaling/messages.hpp"

#include <json-glib/json-glib.h>

#include <functional>

#include "util/ref_ptr.hpp"

namespace kvmrtc::signaling {
namespace {

using BuilderPtr = GObjectPtr<JsonBuilder>;
using ParserPtr = GObjectPtr<JsonParser>;

ParseError bad_field(const std::string& type, const std::string& field, const char* expected) {
  return {"bad-field", "'" + type + "' needs a field '" + field + "' of type " + expected};
}

bool has_member_of_type(JsonObject* object, const char* field, GType type) {
  JsonNode* node = json_object_get_member(object, field);
  return node != nullptr && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

ClientMessage parse_ice(JsonObject* object) {
  if (!has_member_of_type(object, "candidate", G_TYPE_STRING)) {
    return bad_field("ice", "candidate", "string");
  }
  JsonNode* index = json_object_get_member(object, "sdpMLineIndex");
  if (index == nullptr || !JSON_NODE_HOLDS_VALUE(index) ||
      json_node_get_value_type(index) != G_TYPE_INT64) {
    return bad_field("ice", "sdpMLineIndex", "whole number");
  }
  const gint64 value = json_node_get_int(index);
  if (value < 0 || value > 64) {
    return ParseError{
        "bad-field", "'ice' sdpMLineIndex " + std::to_string(value) + " is out of range (0 to 64)"};
  }
  return IceCandidate{json_object_get_string_member(object, "candidate"),
                      static_cast<unsigned>(value)};
}

std::string serialize(const std::function<void(JsonBuilder*)>& add_members) {
  BuilderPtr builder(json_builder_new());
  json_builder_begin_object(builder.get());
  add_members(builder.get());
  json_builder_end_object(builder.get());
  JsonNodePtr root(json_builder_get_root(builder.get()));
  CharPtr text(json_to_string(root.get(), FALSE));
  return text.get();
}

void add_string(JsonBuilder* builder, const char* name, const std::string& value) {
  json_builder_set_member_name(builder, name);
  json_builder_add_string_value(builder, value.c_str());
}

void add_int(JsonBuilder* builder, const char* name, gint64 value) {
  json_builder_set_member_name(builder, name);
  json_builder_add_int_value(builder, value);
}

}  // namespace

ClientMessage parse_client_message(const std::string& text) {
  if (text.size() > kMaxMessageBytes) {
    return ParseError{"too-large", "message of " + std::to_string(text.size()) +
                                       " bytes exceeds the limit of " +
                                       std::to_string(kMaxMessageBytes)};
  }
  ParserPtr parser(json_parser_new());
  GError* raw_error = nullptr;
  if (!json_parser_load_from_data(parser.get(), text.data(), static_cast<gssize>(text.size()),
                                  &raw_error)) {
    ErrorPtr error(raw_error);
    return ParseError{"bad-json", std::string("not JSON: ") + error->message};
  }
  JsonNode* root = json_parser_get_root(parser.get());
  if (root == nullptr || !JSON_NODE_HOLDS_OBJECT(root)) {
    return ParseError{"bad-json", "a message must be a JSON object"};
  }
  JsonObject* object = json_node_get_object(root);
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
  return ParseError{"unknown-type", "unknown message type '" + type.substr(0, 64) + "'"};
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
  return serialize([&](JsonBuilder* builder) {
    add_string(builder, "type", "hello");
    add_string(builder, "viewer", viewer_id);
    add_int(builder, "version", 1);
  });
}

std::string state_message(const VideoStateMessage& state) {
  return serialize([&](JsonBuilder* builder) {
    add_string(builder, "type", "state");
    add_string(builder, "video", state.video);
    add_int(builder, "width", state.width);
    add_int(builder, "height", state.height);
    add_int(builder, "framerate", state.framerate);
    add_string(builder, "encoder", state.encoder);
    add_string(builder, "message", state.message);
  });
}

std::string offer_message(const std::string& sdp) {
  return serialize([&](JsonBuilder* builder) {
    add_string(builder, "type", "offer");
    add_string(builder, "sdp", sdp);
  });
}

std::string ice_message(const std::string& candidate, unsigned mline_index) {
  return serialize([&](JsonBuilder* builder) {
    add_string(builder, "type", "ice");
    add_string(builder, "candidate", candidate);
    add_int(builder, "sdpMLineIndex", mline_index);
  });
}

std::string ping_message() {
  return serialize([](JsonBuilder* builder) { add_string(builder, "type", "ping"); });
}

std::string error_message(const ParseError& error) {
  return serialize([&](JsonBuilder* builder) {
    add_string(builder, "type", "error");
    add_string(builder, "code", error.code);
    add_string(builder, "message", error.message);
  });
}

}  // namespace kvmrtc::signaling
