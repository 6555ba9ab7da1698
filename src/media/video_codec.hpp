// The codecs a viewer's video can be sent in, and which one a browser gets.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kvmrtc::media {

// H.264 comes from the producer's main encoder. VP8 comes from a second encoder branch that
// runs only while a viewer needs it: browsers without an H.264 decoder (Firefox without
// OpenH264, as Debian ships it) all have VP8.
enum class VideoCodec { kH264, kVp8 };

// The name in SDP and in `[webrtc] codecs=` (case-insensitive there): "H264", "VP8".
const char* codec_name(VideoCodec codec);
std::optional<VideoCodec> codec_from_name(const std::string& name);

// The codec for a browser that decodes `browser_codecs` (SDP names, any case, as it lists
// them in the signaling URL; unknown names are skipped): the first of `sendable`, the
// daemon's own order, that the browser has. A browser that lists none of them, or lists
// nothing, gets the first of `sendable` and may decline the video; its input still works.
VideoCodec choose_codec(const std::vector<std::string>& browser_codecs,
                        const std::vector<VideoCodec>& sendable);

}  // namespace kvmrtc::media
