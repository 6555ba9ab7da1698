#include "config/launch.hpp"

#include <utility>
#include <vector>

namespace kvmrtc::config {

std::string substitute_placeholders(const std::string& fragment, const VideoSettings& video) {
  const std::vector<std::pair<std::string, std::string>> values = {
      {"{device}", video.device},
      {"{width}", std::to_string(video.width)},
      {"{height}", std::to_string(video.height)},
      {"{framerate}", std::to_string(video.framerate)},
  };
  std::string result = fragment;
  for (const auto& [placeholder, value] : values) {
    for (auto at = result.find(placeholder); at != std::string::npos;
         at = result.find(placeholder, at + value.size())) {
      result.replace(at, placeholder.size(), value);
    }
  }
  return result;
}

std::string raw_video_launch(const VideoSettings& video, const std::string& source_fragment) {
  const std::string size_caps = "video/x-raw,format=I420,width=" + std::to_string(video.width) +
                                ",height=" + std::to_string(video.height);
  const std::string rate_caps = "video/x-raw,framerate=" + std::to_string(video.framerate) + "/1";
  // The stamp goes on before videorate, which keeps a reference to the frame it passed last:
  // after it, every frame would be shared, and painting it would copy all of it.
  const std::string stamp =
      video.latency_stamp ? std::string("identity name=") + kProducerStampName + " ! " : "";
  // The leaky one-buffer queue decouples capture from encoding: when the encoder falls behind,
  // the oldest frame is dropped instead of building latency.
  return source_fragment + " ! queue name=" + kProducerSourceQueueName +
         " max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream"
         " ! videoconvert ! videoscale ! " +
         size_caps + " ! " + stamp + "videorate drop-only=true ! " + rate_caps;
}

std::string encoded_video_launch(const VideoSettings& video, const std::string& source_fragment,
                                 const std::string& encoder_fragment) {
  return raw_video_launch(video, source_fragment) + " ! " + encoder_fragment;
}

std::string producer_launch(const VideoSettings& video, const std::string& source_fragment,
                            const std::string& encoder_fragment) {
  // The closed valve still passes caps, so the encoder is configured the moment it opens; the
  // appsink does not wait for a frame to preroll (async=false), as none may pass for a while.
  return raw_video_launch(video, source_fragment) + " ! tee name=" + kProducerRawTeeName +
         " ! valve name=" + kProducerH264ValveName + " drop-mode=forward-sticky-events ! " +
         encoder_fragment +
         " ! h264parse config-interval=-1"
         " ! video/x-h264,stream-format=byte-stream,alignment=au"
         " ! appsink name=" +
         kProducerSinkName + " sync=false async=false max-buffers=2 drop=true";
}

std::string vp8_branch_launch(const VideoSettings& video) {
  // Real-time VP8 as WebRTC's own encoder sets it up: no lookahead, constant bitrate with a
  // one-second buffer that may undershoot freely but overshoot little, error resilience so a
  // lost packet corrupts less, and two token partitions so both cores encode. cpu-used=8
  // keeps 1080p30 within about half a core here (bench/RESULTS.md).
  std::string scale;
  if (video.vp8_max_height > 0 && video.height > video.vp8_max_height) {
    // The same shape, in even sizes (4:2:0 chroma).
    const int height = video.vp8_max_height / 2 * 2;
    const int width = static_cast<int>(static_cast<long>(video.width) * height / video.height);
    scale = " ! videoscale ! video/x-raw,width=" + std::to_string(width / 2 * 2) +
            ",height=" + std::to_string(height);
  }
  return std::string("queue name=") + kVp8QueueName +
         " max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream" + scale +
         " ! vp8enc name=" + kVp8EncoderName +
         " deadline=1 cpu-used=8 end-usage=cbr target-bitrate=" +
         std::to_string(video.bitrate * 1000) +
         " lag-in-frames=0 error-resilient=default threads=2 token-partitions=1"
         " keyframe-max-dist=" +
         std::to_string(video.keyframe_interval) +
         " buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600"
         " undershoot=100 overshoot=15 min-quantizer=2 max-quantizer=56"
         // A sink that joins a running pipeline must not take part in prerolling: async=false.
         " ! video/x-vp8 ! appsink name=" +
         kVp8SinkName + " sync=false async=false max-buffers=2 drop=true";
}

}  // namespace kvmrtc::config
