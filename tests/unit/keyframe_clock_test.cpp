#include "media/keyframe_clock.hpp"

#include <gst/gst.h>
#include <gst/video/video.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <vector>

#include "config/config.hpp"
#include "media/encoder_choice.hpp"
#include "stop_on_exit.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::media::KeyframeClock;

namespace {

// The frames (counted from 0) that come out as keyframes when `keyframe` is the encoder's
// answer to the clock: it makes the next frame a keyframe whenever the clock asks.
std::vector<int> keyframes_of(KeyframeClock& clock, int frames) {
  std::vector<int> found;
  bool asked = true;  // an encoder's first frame is a keyframe
  for (int frame = 0; frame < frames; ++frame) {
    if (asked) found.push_back(frame);
    asked = clock.frame_out(asked);
  }
  return found;
}

}  // namespace

TEST_CASE("the clock asks for a keyframe every interval", "[keyframe]") {
  KeyframeClock clock(4);
  CHECK(keyframes_of(clock, 13) == std::vector<int>{0, 4, 8, 12});
}

TEST_CASE("an unanswered request is made again an interval later", "[keyframe]") {
  KeyframeClock clock(3);
  CHECK_FALSE(clock.frame_out(true));
  CHECK_FALSE(clock.frame_out(false));
  CHECK(clock.frame_out(false));        // the frame before the third: ask
  CHECK_FALSE(clock.frame_out(false));  // the encoder missed it
  CHECK_FALSE(clock.frame_out(false));
  CHECK(clock.frame_out(false));
}

TEST_CASE("a keyframe the encoder makes on its own starts the count again", "[keyframe]") {
  KeyframeClock clock(4);
  CHECK_FALSE(clock.frame_out(true));
  CHECK_FALSE(clock.frame_out(false));
  CHECK_FALSE(clock.frame_out(true));  // a viewer asked for one
  CHECK_FALSE(clock.frame_out(false));
  CHECK_FALSE(clock.frame_out(false));
  CHECK(clock.frame_out(false));
}

namespace {

// The running encoder's output, from the fakesink's streaming thread, as the producer's
// appsink sees it: the interval changes at frame `change_at`.
struct Run {
  std::mutex mutex;
  KeyframeClock clock{10};
  int change_at = 12;
  int new_interval = 3;
  int frame = 0;
  std::vector<int> keyframes;
};

void on_handoff(GstElement*, GstBuffer* buffer, GstPad* pad, gpointer data) {
  auto* run = static_cast<Run*>(data);
  const std::lock_guard<std::mutex> lock(run->mutex);
  const bool keyframe = !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  if (keyframe) run->keyframes.push_back(run->frame);
  if (run->frame == run->change_at) run->clock.set_interval(run->new_interval);
  if (run->clock.frame_out(keyframe)) {
    gst_pad_push_event(pad,
                       gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
  }
  ++run->frame;
}

}  // namespace

TEST_CASE("the daemon's x264 takes a new keyframe interval while it runs",
          "[keyframe][gstreamer]") {
  kvmrtc::config::VideoSettings video;
  video.encoder = "x264";
  video.keyframe_interval = 10;
  const auto choice = kvmrtc::media::choose_encoder(video, {"x264enc"});
  REQUIRE(kvmrtc::media::keyframes_from_producer(choice.element));
  const std::string launch =
      "videotestsrc num-buffers=30 ! video/x-raw,width=320,height=240,framerate=30/1 ! " +
      choice.fragment + " ! fakesink name=out signal-handoffs=true";
  GError* raw_error = nullptr;
  kvmrtc::ElementPtr pipeline(gst_parse_launch(launch.c_str(), &raw_error));
  kvmrtc::ErrorPtr error(raw_error);
  REQUIRE(error == nullptr);
  kvmrtc::ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), "out"));
  Run run;
  g_signal_connect(sink.get(), "handoff", G_CALLBACK(on_handoff), &run);
  const StopOnExit stop{pipeline.get()};
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  kvmrtc::BusPtr bus(gst_element_get_bus(pipeline.get()));
  kvmrtc::MessagePtr message(
      gst_bus_timed_pop_filtered(bus.get(), 30 * GST_SECOND,
                                 static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
  REQUIRE(message != nullptr);
  REQUIRE(GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS);

  const std::lock_guard<std::mutex> lock(run.mutex);
  CHECK(run.frame == 30);
  // Every 10 frames, then every 3 from the change at frame 12 (two frames after the last).
  CHECK(run.keyframes == std::vector<int>{0, 10, 13, 16, 19, 22, 25, 28});
}
