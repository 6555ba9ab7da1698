#include "media/video_codec.hpp"

#include <glib.h>

#include <algorithm>

namespace kvmrtc::media {

const char* codec_name(VideoCodec codec) {
  return codec == VideoCodec::kVp8 ? "VP8" : "H264";
}

std::optional<VideoCodec> codec_from_name(const std::string& name) {
  for (const VideoCodec codec : {VideoCodec::kH264, VideoCodec::kVp8}) {
    if (g_ascii_strcasecmp(name.c_str(), codec_name(codec)) == 0) return codec;
  }
  return std::nullopt;
}

VideoCodec choose_codec(const std::vector<std::string>& browser_codecs,
                        const std::vector<VideoCodec>& sendable) {
  for (const VideoCodec codec : sendable) {
    const bool decodable =
        std::any_of(browser_codecs.begin(), browser_codecs.end(),
                    [codec](const std::string& name) { return codec_from_name(name) == codec; });
    if (decodable) return codec;
  }
  return sendable.empty() ? VideoCodec::kH264 : sendable.front();
}

}  // namespace kvmrtc::media
