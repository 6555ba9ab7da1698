#include "media/vp8_branch.hpp"

#include <gst/app/gstappsink.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "config/launch.hpp"
#include "stop_on_exit.hpp"

using kvmrtc::ElementPtr;
using kvmrtc::ErrorPtr;
using kvmrtc::media::PipelineReaper;
using kvmrtc::media::Vp8Branch;

namespace {

// Counts what reaches a sink, and lets the test wait for a count.
struct Counter {
  std::mutex mutex;
  std::condition_variable changed;
  int frames = 0;
  int keyframes = 0;
  bool all_vp8 = true;

  void add(bool keyframe, bool vp8) {
    std::lock_guard lock(mutex);
    ++frames;
    keyframes += keyframe ? 1 : 0;
    all_vp8 = all_vp8 && vp8;
    changed.notify_all();
  }
  bool wait_for(const std::function<bool()>& done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::seconds(10), done);
  }
  int count() {
    std::lock_guard lock(mutex);
    return frames;
  }
};

// The producer's raw video and its tee, with the H.264 side cut down to a counting fakesink.
struct RawPipeline {
  ElementPtr pipeline;
  Counter main;

  RawPipeline() {
    GError* raw_error = nullptr;
    pipeline = ElementPtr(gst_parse_launch(
        "videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 "
        "! tee name=kvmrtc_raw ! fakesink name=main sync=false signal-handoffs=true",
        &raw_error));
    ErrorPtr error(raw_error);
    REQUIRE_FALSE(error);
    ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), "main"));
    g_signal_connect(sink.get(), "handoff",
                     G_CALLBACK(+[](GstElement*, GstBuffer*, GstPad*, gpointer data) {
                       static_cast<Counter*>(data)->add(false, false);
                     }),
                     &main);
  }
  int main_frames() { return main.count(); }
};

kvmrtc::config::VideoSettings vp8_settings() {
  kvmrtc::config::VideoSettings video;
  video.bitrate = 1000;
  video.keyframe_interval = 10000;  // only the first keyframe and the ones asked for
  return video;
}

}  // namespace

TEST_CASE("the VP8 branch joins a running pipeline, keyframes on request, and leaves it running",
          "[vp8]") {
  RawPipeline raw;
  StopOnExit stop{raw.pipeline.get()};
  PipelineReaper reaper;
  REQUIRE(gst_element_set_state(raw.pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  REQUIRE(raw.main.wait_for([&] { return raw.main.frames >= 5; }));

  Counter vp8;
  std::string error;
  auto branch = Vp8Branch::attach(
      raw.pipeline.get(), kvmrtc::config::vp8_branch_launch(vp8_settings()),
      [&vp8](GstSample* sample, GstElement*) {
        const GstStructure* caps = gst_caps_get_structure(gst_sample_get_caps(sample), 0);
        const bool keyframe =
            !GST_BUFFER_FLAG_IS_SET(gst_sample_get_buffer(sample), GST_BUFFER_FLAG_DELTA_UNIT);
        vp8.add(keyframe, gst_structure_has_name(caps, "video/x-vp8"));
      },
      error);
  REQUIRE(branch);
  CHECK(error.empty());
  REQUIRE(vp8.wait_for([&] { return vp8.frames >= 10; }));
  CHECK(vp8.all_vp8);
  CHECK(vp8.keyframes == 1);  // the stream starts on one, and no other came by itself

  branch->request_keyframe(1);
  CHECK(vp8.wait_for([&] { return vp8.keyframes >= 2; }));

  branch->set_bitrate_kbps(500);
  ElementPtr encoder(
      gst_bin_get_by_name(GST_BIN(raw.pipeline.get()), kvmrtc::config::kVp8EncoderName));
  REQUIRE(encoder);
  gint target = 0;
  g_object_get(encoder.get(), "target-bitrate", &target, nullptr);
  CHECK(target == 500000);

  branch->detach(reaper);
  const int vp8_after_detach = vp8.count();
  const int main_after_detach = raw.main_frames();
  REQUIRE(raw.main.wait_for([&] { return raw.main.frames >= main_after_detach + 10; }));
  CHECK(vp8.count() == vp8_after_detach);
  ElementPtr gone(gst_bin_get_by_name(GST_BIN(raw.pipeline.get()), kvmrtc::config::kVp8SinkName));
  CHECK_FALSE(gone);
  GstState state = GST_STATE_NULL;
  gst_element_get_state(raw.pipeline.get(), &state, nullptr, 0);
  CHECK(state == GST_STATE_PLAYING);
}

TEST_CASE("a pipeline without the raw tee gets no VP8 branch, and says why", "[vp8]") {
  ElementPtr pipeline(gst_parse_launch("videotestsrc ! fakesink", nullptr));
  std::string error;
  CHECK_FALSE(Vp8Branch::attach(
      pipeline.get(), kvmrtc::config::vp8_branch_launch(vp8_settings()),
      [](GstSample*, GstElement*) {}, error));
  CHECK(error.find("raw tee") != std::string::npos);
}

TEST_CASE("VP8 works on at most vp8-max-height lines, in the stream's shape", "[vp8]") {
  using kvmrtc::config::vp8_branch_launch;
  kvmrtc::config::VideoSettings video = vp8_settings();
  video.width = 1920;
  video.height = 1080;
  CHECK(vp8_branch_launch(video).find("videoscale ! video/x-raw,width=1280,height=720 ") !=
        std::string::npos);
  video.width = 1600;
  video.height = 1200;
  CHECK(vp8_branch_launch(video).find("width=960,height=720 ") != std::string::npos);
  video.width = 1280;
  video.height = 720;
  CHECK(vp8_branch_launch(video).find("videoscale") == std::string::npos);
  video.width = 1920;
  video.height = 1080;
  video.vp8_max_height = 0;
  CHECK(vp8_branch_launch(video).find("videoscale") == std::string::npos);
}

TEST_CASE("a scaled VP8 branch sends frames of the scaled size", "[vp8]") {
  RawPipeline raw;  // 320x240
  StopOnExit stop{raw.pipeline.get()};
  kvmrtc::config::VideoSettings video = vp8_settings();
  video.width = 320;
  video.height = 240;
  video.vp8_max_height = 120;
  std::mutex mutex;
  std::condition_variable got;
  int width = 0;
  int height = 0;
  std::string error;
  auto branch = Vp8Branch::attach(
      raw.pipeline.get(), kvmrtc::config::vp8_branch_launch(video),
      [&](GstSample* sample, GstElement*) {
        const GstStructure* caps = gst_caps_get_structure(gst_sample_get_caps(sample), 0);
        std::lock_guard lock(mutex);
        gst_structure_get_int(caps, "width", &width);
        gst_structure_get_int(caps, "height", &height);
        got.notify_all();
      },
      error);
  REQUIRE(branch);
  REQUIRE(gst_element_set_state(raw.pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  std::unique_lock lock(mutex);
  REQUIRE(got.wait_for(lock, std::chrono::seconds(10), [&] { return width > 0; }));
  CHECK(width == 160);
  CHECK(height == 120);
}
