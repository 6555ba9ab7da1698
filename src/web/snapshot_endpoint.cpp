#include "web/snapshot_endpoint.hpp"

#include <gst/video/video.h>

#include <memory>
#include <string>

#include "util/background.hpp"
#include "util/log.hpp"
#include "web/http_reply.hpp"

namespace kvmrtc::web {
namespace {

struct Image {
  std::string bytes;
  std::string error;
};

// The frame encoded as `media_type` (image/jpeg, image/png) by GStreamer's own converter, at
// the frame's size.
Image encode(GstSample* frame, const char* media_type) {
  CapsPtr caps(gst_caps_new_empty_simple(media_type));
  GError* raw_error = nullptr;
  SamplePtr encoded(gst_video_convert_sample(frame, caps.get(), 2 * GST_SECOND, &raw_error));
  ErrorPtr error(raw_error);
  if (!encoded) return {"", error ? error->message : "the picture could not be encoded"};
  GstBuffer* buffer = gst_sample_get_buffer(encoded.get());
  GstMapInfo map;
  if (buffer == nullptr || !gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    return {"", "the encoded picture could not be read"};
  }
  Image image{std::string(reinterpret_cast<const char*>(map.data), map.size), ""};
  gst_buffer_unmap(buffer, &map);
  return image;
}

// ?format=png or ?format=jpeg; nothing: JPEG.
const char* requested_type(SoupServerMessage* message) {
  const char* query = g_uri_get_query(soup_server_message_get_uri(message));
  if (query == nullptr) return "image/jpeg";
  Owned<GHashTable, g_hash_table_unref> form(soup_form_decode(query));
  const auto* format = static_cast<const char*>(g_hash_table_lookup(form.get(), "format"));
  if (format == nullptr || g_str_equal(format, "jpeg")) return "image/jpeg";
  if (g_str_equal(format, "png")) return "image/png";
  return nullptr;
}

}  // namespace

void serve_snapshot(SoupServerMessage* message, const SnapshotSource& source) {
  const char* media_type = requested_type(message);
  if (media_type == nullptr) {
    respond(message, SOUP_STATUS_BAD_REQUEST, "text/plain", "format is jpeg or png\n");
    return;
  }
  soup_server_message_pause(message);
  std::shared_ptr<SoupServerMessage> held(SOUP_SERVER_MESSAGE(g_object_ref(message)),
                                          Releaser<SoupServerMessage, g_object_unref>());
  source([held, media_type](SamplePtr frame) {
    if (!frame) {
      respond(held.get(), SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "no signal\n");
      soup_server_message_unpause(held.get());
      return;
    }
    auto shared_frame = std::make_shared<SamplePtr>(std::move(frame));
    auto image = std::make_shared<Image>();
    run_in_background(
        [shared_frame, media_type, image] { *image = encode(shared_frame->get(), media_type); },
        [held, media_type, image] {
          if (!image->error.empty()) {
            log::warning("snapshot: %s", image->error.c_str());
            respond(held.get(), SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain",
                    image->error + "\n");
          } else {
            respond(held.get(), SOUP_STATUS_OK, media_type, image->bytes);
          }
          soup_server_message_unpause(held.get());
        });
  });
}

}  // namespace kvmrtc::web
