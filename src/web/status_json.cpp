#include "web/status_json.hpp"

#include <json-glib/json-glib.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

std::string status_json(const media::VideoStatus& video, std::size_t viewers) {
  GObjectPtr<JsonBuilder> builder(json_builder_new());
  JsonBuilder* b = builder.get();
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "version");
  json_builder_add_string_value(b, KVMRTC_VERSION);
  json_builder_set_member_name(b, "viewers");
  json_builder_add_int_value(b, static_cast<gint64>(viewers));
  json_builder_set_member_name(b, "video");
  json_builder_begin_object(b);
  json_builder_set_member_name(b, "state");
  json_builder_add_string_value(b, video.state.c_str());
  json_builder_set_member_name(b, "width");
  json_builder_add_int_value(b, video.width);
  json_builder_set_member_name(b, "height");
  json_builder_add_int_value(b, video.height);
  json_builder_set_member_name(b, "framerate");
  json_builder_add_int_value(b, video.framerate);
  json_builder_set_member_name(b, "encoder");
  json_builder_add_string_value(b, video.encoder.c_str());
  json_builder_set_member_name(b, "message");
  json_builder_add_string_value(b, video.message.c_str());
  json_builder_set_member_name(b, "frames");
  json_builder_add_int_value(b, static_cast<gint64>(video.frames));
  json_builder_set_member_name(b, "restarts");
  json_builder_add_int_value(b, static_cast<gint64>(video.restarts));
  json_builder_set_member_name(b, "capture_to_encoded_ms");
  json_builder_add_double_value(b, video.capture_to_encoded_ms);
  json_builder_end_object(b);
  json_builder_end_object(b);
  JsonNodePtr root(json_builder_get_root(b));
  CharPtr text(json_to_string(root.get(), FALSE));
  return text.get();
}

}  // namespace kvmrtc::web
