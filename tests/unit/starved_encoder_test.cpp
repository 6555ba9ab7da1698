// The daemon's x264 settings on a link too slow for the picture: every part of the screen must
// still follow the source. The stamp (media/latency/stamp_painter.hpp) sits in the top macroblock
// row, where sliced threads once starved it for a whole keyframe interval.
#include <gst/app/app.h>
#include <gst/video/video.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/launch.hpp"
#include "media/encoder_choice.hpp"
#include "media/latency/capture_time.hpp"
#include "media/latency/latency_stamp.hpp"
#include "media/latency/stamp_painter.hpp"
#include "stop_on_exit.hpp"
#include "util/ref_ptr.hpp"

namespace {

using kvmrtc::ElementPtr;

// The bars move and their noise block costs about 3 Mbit/s at 720p: 1200 kbit/s starves x264.
constexpr const char* kNoisySource =
    "videotestsrc pattern=smpte horizontal-speed=4 num-buffers=1200 "
    "! video/x-raw,width=1280,height=720,framerate=30/1";
constexpr std::uint64_t kFirstStampMs = 1'000'000;

// The source is not live, so frames come faster than real time (the leaky queue before the
// encoder drops most of them): each gets a capture time from its position in the stream
// instead of the clock, 33 ms apart like a 30 fps capture.
GstPadProbeReturn stamp_from_pts(GstPad*, GstPadProbeInfo* info, gpointer) {
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  const auto pts_ms = static_cast<std::int64_t>(GST_BUFFER_PTS(buffer) / GST_MSECOND);
  kvmrtc::media::attach_capture_time(buffer,
                                     (static_cast<std::int64_t>(kFirstStampMs) + pts_ms) * 1000);
  return GST_PAD_PROBE_OK;
}

std::optional<std::uint64_t> read_stamp(GstSample* sample) {
  GstVideoInfo info;
  REQUIRE(gst_video_info_from_caps(&info, gst_sample_get_caps(sample)));
  GstVideoFrame frame;
  REQUIRE(gst_video_frame_map(&frame, &info, gst_sample_get_buffer(sample), GST_MAP_READ));
  const auto* luma = static_cast<const std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0));
  const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0);
  kvmrtc::media::StampBits bits{};
  const int middle = kvmrtc::media::kStampBlockPixels / 2;
  for (int i = 0; i < kvmrtc::media::kStampBits; ++i) {
    bits[i] = luma[middle * stride + i * kvmrtc::media::kStampBlockPixels + middle] > 128;
  }
  gst_video_frame_unmap(&frame);
  return kvmrtc::media::decode_stamp(bits);
}

// The stamps of every frame that `video`'s producer chain made and openh264 decoded, in order;
// nullopt for one that does not read.
std::vector<std::optional<std::uint64_t>> decoded_stamps(const kvmrtc::config::VideoSettings& video,
                                                         const std::string& encoder_fragment) {
  const std::string launch =
      kvmrtc::config::encoded_video_launch(video, kNoisySource, encoder_fragment) +
      " ! openh264dec ! video/x-raw,format=I420 ! appsink name=out sync=false";
  GError* raw_error = nullptr;
  ElementPtr pipeline(gst_parse_launch(launch.c_str(), &raw_error));
  kvmrtc::ErrorPtr error(raw_error);
  REQUIRE(pipeline != nullptr);
  REQUIRE(error == nullptr);

  ElementPtr queue(
      gst_bin_get_by_name(GST_BIN(pipeline.get()), kvmrtc::config::kProducerSourceQueueName));
  REQUIRE(queue != nullptr);
  kvmrtc::PadPtr queue_src(gst_element_get_static_pad(queue.get(), "src"));
  gst_pad_add_probe(queue_src.get(), GST_PAD_PROBE_TYPE_BUFFER, stamp_from_pts, nullptr, nullptr);
  kvmrtc::media::install_stamp_painter(pipeline.get(), kvmrtc::config::kProducerStampName);

  ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), "out"));
  const StopOnExit stop{pipeline.get()};
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  std::vector<std::optional<std::uint64_t>> stamps;
  // Generous: the pull times out only when the pipeline is broken, so the test fails, not hangs.
  while (kvmrtc::SamplePtr sample{
      gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), 10 * GST_SECOND)}) {
    stamps.push_back(read_stamp(sample.get()));
  }
  return stamps;
}

}  // namespace

TEST_CASE("a starved x264 still updates the top of the picture in every frame", "[encoder]") {
  kvmrtc::config::VideoSettings video;
  video.encoder = "x264";
  video.width = 1280;
  video.height = 720;
  video.bitrate = 1200;
  video.latency_stamp = true;
  const auto choice = kvmrtc::media::choose_encoder(video, {"x264enc"});
  REQUIRE(choice.element == "x264enc");

  const auto stamps = decoded_stamps(video, choice.fragment);
  // Dropped frames skip stamps; a part of the picture left as it was repeats one.
  REQUIRE(stamps.size() >= 150);
  int unreadable = 0;
  int repeated = 0;
  std::optional<std::uint64_t> previous;
  for (const auto& stamp : stamps) {
    if (!stamp) {
      ++unreadable;
      continue;
    }
    if (previous && *stamp <= *previous) ++repeated;
    previous = stamp;
  }
  CHECK(unreadable == 0);
  CHECK(repeated == 0);
}
