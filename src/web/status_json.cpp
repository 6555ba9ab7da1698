#include "web/status_json.hpp"

#include "util/json_text.hpp"

namespace kvmrtc::web {

std::string status_json(const media::VideoStatus& video, std::size_t viewers) {
  return JsonObjectWriter()
      .add("version", KVMRTC_VERSION)
      .add("viewers", static_cast<std::int64_t>(viewers))
      .begin_object("video")
      .add("state", video.state)
      .add("width", video.width)
      .add("height", video.height)
      .add("framerate", video.framerate)
      .add("encoder", video.encoder)
      .add("message", video.message)
      .add("frames", static_cast<std::int64_t>(video.frames))
      .add("captured_frames", static_cast<std::int64_t>(video.captured_frames))
      .add("restarts", static_cast<std::int64_t>(video.restarts))
      .add("bitrate_kbps", video.bitrate_kbps)
      .add("receiver_estimate_kbps", video.receiver_estimate_kbps)
      .add("capture_to_encoded_ms", video.capture_to_encoded_ms)
      .add("capture_to_sent_ms", video.capture_to_sent_ms)
      .end_object()
      .text();
}

}  // namespace kvmrtc::web
