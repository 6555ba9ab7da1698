#include "util/json_text.hpp"

#include <algorithm>

namespace kvmrtc {

JsonObjectWriter::JsonObjectWriter() : builder_(json_builder_new()) {
  json_builder_begin_object(builder_.get());
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, const std::string& value) {
  return add(name, value.c_str());
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, const char* value) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_add_string_value(builder_.get(), value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, std::int64_t value) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_add_int_value(builder_.get(), value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, bool value) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_add_boolean_value(builder_.get(), value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, double value) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_add_double_value(builder_.get(), value);
  return *this;
}

JsonObjectWriter& JsonObjectWriter::begin_object(const char* name) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_begin_object(builder_.get());
  return *this;
}

JsonObjectWriter& JsonObjectWriter::end_object() {
  json_builder_end_object(builder_.get());
  return *this;
}

JsonObjectWriter& JsonObjectWriter::begin_array(const char* name) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_begin_array(builder_.get());
  return *this;
}

JsonObjectWriter& JsonObjectWriter::begin_element() {
  json_builder_begin_object(builder_.get());
  return *this;
}

JsonObjectWriter& JsonObjectWriter::end_array() {
  json_builder_end_array(builder_.get());
  return *this;
}

JsonObjectWriter& JsonObjectWriter::add(const char* name, const std::vector<std::string>& values) {
  json_builder_set_member_name(builder_.get(), name);
  json_builder_begin_array(builder_.get());
  for (const auto& value : values) json_builder_add_string_value(builder_.get(), value.c_str());
  json_builder_end_array(builder_.get());
  return *this;
}

std::string JsonObjectWriter::text() {
  json_builder_end_object(builder_.get());
  JsonNodePtr root(json_builder_get_root(builder_.get()));
  CharPtr text(json_to_string(root.get(), FALSE));
  return text.get();
}

namespace {

bool is_utf8(const char* text) {
  return g_utf8_validate(text, -1, nullptr);
}

// json-glib turns an escaped lone surrogate ("\udc00") into bytes that are not UTF-8; such a string
// would reach logs and error replies, which must be text. Iterative: nesting depth is the
// sender's choice.
bool every_string_is_utf8(JsonNode* root) {
  std::vector<JsonNode*> pending{root};
  while (!pending.empty()) {
    JsonNode* node = pending.back();
    pending.pop_back();
    if (JSON_NODE_HOLDS_OBJECT(node)) {
      JsonObjectIter members;
      const char* name = nullptr;
      JsonNode* member = nullptr;
      json_object_iter_init(&members, json_node_get_object(node));
      while (json_object_iter_next(&members, &name, &member)) {
        if (!is_utf8(name)) return false;
        pending.push_back(member);
      }
    } else if (JSON_NODE_HOLDS_ARRAY(node)) {
      JsonArray* array = json_node_get_array(node);
      for (guint i = 0; i < json_array_get_length(array); ++i) {
        pending.push_back(json_array_get_element(array, i));
      }
    } else if (JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == G_TYPE_STRING &&
               !is_utf8(json_node_get_string(node))) {
      return false;
    }
  }
  return true;
}

}  // namespace

JsonObjectText parse_json_object(const std::string& text) {
  JsonObjectText result{GObjectPtr<JsonParser>(json_parser_new()), nullptr, ""};
  GError* raw_error = nullptr;
  if (!json_parser_load_from_data(result.parser.get(), text.data(),
                                  static_cast<gssize>(text.size()), &raw_error)) {
    ErrorPtr error(raw_error);
    // json-glib quotes the token it stopped at, which may be such a surrogate's bytes.
    CharPtr message(g_utf8_make_valid(error->message, -1));
    result.error = std::string("not JSON: ") + message.get();
    return result;
  }
  JsonNode* root = json_parser_get_root(result.parser.get());
  if (root == nullptr || !JSON_NODE_HOLDS_OBJECT(root)) {
    result.error = "a message must be a JSON object";
    return result;
  }
  if (!every_string_is_utf8(root)) {
    result.error = "not JSON: a string holds an unpaired surrogate escape, which is not text";
    return result;
  }
  result.object = json_node_get_object(root);
  return result;
}

bool has_member_of_type(JsonObject* object, const char* field, GType type) {
  JsonNode* node = json_object_get_member(object, field);
  return node != nullptr && JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

bool has_number_member(JsonObject* object, const char* field) {
  return has_member_of_type(object, field, G_TYPE_INT64) ||
         has_member_of_type(object, field, G_TYPE_DOUBLE);
}

double number_member(JsonObject* object, const char* field) {
  JsonNode* node = json_object_get_member(object, field);
  return json_node_get_value_type(node) == G_TYPE_INT64
             ? static_cast<double>(json_node_get_int(node))
             : json_node_get_double(node);
}

std::optional<std::string> too_large(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::nullopt;
  return "message of " + std::to_string(text.size()) + " bytes exceeds the limit of " +
         std::to_string(max_bytes);
}

std::string unknown_type(const std::string& type) {
  // g_utf8_substring reads as far as it is told, past the end of a shorter text.
  const glong characters = std::min<glong>(64, g_utf8_strlen(type.c_str(), -1));
  CharPtr shown(g_utf8_substring(type.c_str(), 0, characters));
  return std::string("unknown message type '") + shown.get() + "'";
}

std::string missing_field(const std::string& type, const char* field, const char* expected) {
  return "'" + type + "' needs a field '" + field + "' of type " + expected;
}

std::string error_reply(const char* type_key, const std::string& code, const std::string& message) {
  return JsonObjectWriter().add(type_key, "error").add("code", code).add("message", message).text();
}

}  // namespace kvmrtc
