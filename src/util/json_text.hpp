// JSON objects as text, through json-glib: the one place that builds and reads them, for the
// signaling protocol and the HID data channel alike.
#pragma once

#include <json-glib/json-glib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/ref_ptr.hpp"

namespace kvmrtc {

class JsonObjectWriter {
 public:
  JsonObjectWriter();
  JsonObjectWriter& add(const char* name, const std::string& value);
  JsonObjectWriter& add(const char* name, const char* value);
  JsonObjectWriter& add(const char* name, std::int64_t value);
  JsonObjectWriter& add(const char* name, int value) { return add(name, std::int64_t{value}); }
  JsonObjectWriter& add(const char* name, bool value);
  JsonObjectWriter& add(const char* name, double value);
  JsonObjectWriter& add(const char* name, const std::vector<std::string>& values);
  // Members added between these two go into a nested object `name`.
  JsonObjectWriter& begin_object(const char* name);
  JsonObjectWriter& end_object();
  // An array `name` of objects, each opened with begin_element() and closed with end_object().
  JsonObjectWriter& begin_array(const char* name);
  JsonObjectWriter& begin_element();
  JsonObjectWriter& end_array();
  std::string text();

 private:
  GObjectPtr<JsonBuilder> builder_;
};

// A parsed JSON object; `object` is null and `error` set when the text is not one.
struct JsonObjectText {
  GObjectPtr<JsonParser> parser;
  JsonObject* object = nullptr;
  std::string error;
};

JsonObjectText parse_json_object(const std::string& text);

// Whether `field` is present and holds a value of `type` (G_TYPE_STRING, G_TYPE_INT64,
// G_TYPE_DOUBLE, G_TYPE_BOOLEAN).
bool has_member_of_type(JsonObject* object, const char* field, GType type);
// An integer or a floating-point number.
bool has_number_member(JsonObject* object, const char* field);
double number_member(JsonObject* object, const char* field);

// What both protocols answer to a message they cannot take, shared so the two read alike.
// The size check comes before any parsing.
std::optional<std::string> too_large(const std::string& text, std::size_t max_bytes);
// "unknown message type '…'", the type cut to 64 whole characters: half a UTF-8 sequence would
// make the reply invalid text.
std::string unknown_type(const std::string& type);
// "'TYPE' needs a field 'FIELD' of type EXPECTED".
std::string missing_field(const std::string& type, const char* field, const char* expected);
// The error reply: {"<type_key>": "error", "code": …, "message": …}; the protocols name their
// type member differently ("type", "t").
std::string error_reply(const char* type_key, const std::string& code, const std::string& message);

}  // namespace kvmrtc
