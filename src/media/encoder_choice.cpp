#include "media/encoder_choice.hpp"

#include <map>
#include <vector>

namespace kvmrtc::media {
namespace {

// Browsers all decode constrained baseline; it has no B-frames, so no reordering delay.
constexpr const char* kBaselineCaps = "video/x-h264,profile=constrained-baseline";

std::string settings_for(const std::string& element, const config::VideoSettings& video) {
  const std::string kbps = std::to_string(video.bitrate);
  const std::string bps = std::to_string(video.bitrate * 1000);
  const std::string gop = std::to_string(video.keyframe_interval);
  // A VBV of about one frame keeps every frame close to the average size, so no frame takes
  // much longer than a frame time to send.
  const std::string vbv_ms = std::to_string(1000 / video.framerate + 1);
  if (element == "x264enc") {
    // One thread, so one slice. With sliced threads x264 shares out a frame's bits by what each
    // slice cost in the frame before; on a starved link a slice whose blocks were skipped stays
    // starved, and that part of the screen stops updating until the next keyframe (seconds).
    // With one thread a 1080p30 frame's last packet arrives 1.03-1.08x as late as a bare
    // sender's with sliced threads (2 cores); the VBV that keeps sliced threads from starving
    // (1.5 to 3 frames) costs a slow link far more (bench/RESULTS.md, sessions 6, 14 and 19).
    // No keyframe interval of its own (x264's "infinite"): the producer asks for keyframes,
    // so that a new interval applies while it runs (media/keyframe_clock.hpp).
    return "x264enc tune=zerolatency speed-preset=ultrafast threads=1 bitrate=" + kbps +
           " vbv-buf-capacity=" + vbv_ms + " key-int-max=1073741824" +
           " bframes=0 rc-lookahead=0 sync-lookahead=0 b-adapt=false";
  }
  if (element == "openh264enc") {
    return "openh264enc usage-type=screen complexity=low rate-control=bitrate bitrate=" + bps +
           " gop-size=" + gop + " multi-thread=2";
  }
  if (element == "v4l2h264enc") {
    return "v4l2h264enc extra-controls=\"controls,video_bitrate=" + bps +
           ",h264_i_frame_period=" + gop + ",repeat_sequence_header=1\"";
  }
  if (element == "vaapih264enc") {
    return "vaapih264enc rate-control=cbr bitrate=" + kbps + " keyframe-period=" + gop +
           " max-bframes=0 tune=low-power";
  }
  if (element == "nvh264enc") {
    return "nvh264enc preset=low-latency-hq rc-mode=cbr zerolatency=true bitrate=" + kbps +
           " gop-size=" + gop + " bframes=0";
  }
  return element;
}

const std::map<std::string, std::string>& short_names() {
  static const std::map<std::string, std::string> names = {
      {"x264", "x264enc"},       {"openh264", "openh264enc"}, {"v4l2", "v4l2h264enc"},
      {"vaapi", "vaapih264enc"}, {"nvenc", "nvh264enc"},
  };
  return names;
}

EncoderChoice make_choice(const std::string& element, const config::VideoSettings& video,
                          std::string reason) {
  return {element, settings_for(element, video) + " ! " + kBaselineCaps, std::move(reason)};
}

}  // namespace

bool keyframes_from_producer(const std::string& element) {
  return element == "x264enc";
}

std::optional<BitrateProperty> bitrate_property(const std::string& element) {
  if (element == "x264enc" || element == "vaapih264enc" || element == "nvh264enc") {
    return BitrateProperty{"bitrate", 1000};
  }
  if (element == "openh264enc") return BitrateProperty{"bitrate", 1};
  return std::nullopt;
}

const std::vector<std::string>& encoder_preference() {
  static const std::vector<std::string> order = {"v4l2h264enc", "vaapih264enc", "nvh264enc",
                                                 "x264enc", "openh264enc"};
  return order;
}

EncoderChoice choose_encoder(const config::VideoSettings& video,
                             const std::set<std::string>& available) {
  const std::string& requested = video.encoder;
  if (requested == "auto") {
    std::string missing;
    for (const auto& element : encoder_preference()) {
      if (available.count(element) != 0) {
        return make_choice(element, video,
                           "encoder=auto picked " + element +
                               (missing.empty() ? "" : " (not installed: " + missing + ")"));
      }
      missing += (missing.empty() ? "" : ", ") + element;
    }
    return {"", "", "encoder=auto found no H.264 encoder (looked for: " + missing + ")"};
  }
  const auto known = short_names().find(requested);
  if (known != short_names().end()) {
    const std::string& element = known->second;
    if (available.count(element) == 0) {
      return {"", "",
              "encoder=" + requested + " needs the GStreamer element " + element +
                  ", which is not installed"};
    }
    return make_choice(element, video, "encoder=" + requested + " asks for " + element);
  }
  // A gst-launch fragment, first word naming the element. Every browser decodes constrained
  // baseline, and the offer's profile comes from these caps: they follow the fragment unless it
  // names a profile of its own.
  const std::string element = requested.substr(0, requested.find_first_of(" !"));
  const bool names_profile = requested.find("profile=") != std::string::npos;
  return {element, names_profile ? requested : requested + " ! " + kBaselineCaps,
          "encoder= is a custom fragment starting with " + element};
}

}  // namespace kvmrtc::media
