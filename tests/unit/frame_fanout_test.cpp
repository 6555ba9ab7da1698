#include "media/frame_fanout.hpp"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include <catch2/catch.hpp>

using kvmrtc::BufferPtr;
using kvmrtc::CapsPtr;
using kvmrtc::ClockPtr;
using kvmrtc::ElementPtr;
using kvmrtc::ErrorPtr;
using kvmrtc::SamplePtr;
using kvmrtc::media::FrameFanout;

namespace {

constexpr GstClockTime kFrame = GST_SECOND / 30;

// A viewer's pipeline cut down to what the fanout touches: its appsrc, with an appsink in place
// of the payloader.
struct ViewerPipeline {
  ElementPtr pipeline;
  ElementPtr appsrc;
  ElementPtr appsink;

  ViewerPipeline() {
    GError* raw_error = nullptr;
    pipeline = ElementPtr(gst_parse_launch(
        "appsrc name=src is-live=true format=time ! appsink name=sink sync=false", &raw_error));
    ErrorPtr error(raw_error);
    REQUIRE_FALSE(error);
    appsrc = ElementPtr(gst_bin_get_by_name(GST_BIN(pipeline.get()), "src"));
    appsink = ElementPtr(gst_bin_get_by_name(GST_BIN(pipeline.get()), "sink"));
  }
  ~ViewerPipeline() { gst_element_set_state(pipeline.get(), GST_STATE_NULL); }

  void play() {
    gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
    REQUIRE(gst_element_get_state(pipeline.get(), nullptr, nullptr, GST_SECOND) !=
            GST_STATE_CHANGE_FAILURE);
  }

  GstClockTime base_time() const { return gst_element_get_base_time(appsrc.get()); }

  GstClockTime next_pts() {
    SamplePtr sample(gst_app_sink_try_pull_sample(GST_APP_SINK(appsink.get()), GST_SECOND));
    REQUIRE(sample);
    return GST_BUFFER_PTS(gst_sample_get_buffer(sample.get()));
  }
};

// A viewer playing on the system clock for a second already, connected to a fanout of its own.
struct ConnectedViewer : ViewerPipeline {
  FrameFanout fanout{[] {}};

  ConnectedViewer() {
    ClockPtr clock(gst_system_clock_obtain());
    gst_pipeline_use_clock(GST_PIPELINE(pipeline.get()), clock.get());
    gst_element_set_start_time(pipeline.get(), GST_CLOCK_TIME_NONE);
    gst_element_set_base_time(pipeline.get(), gst_clock_get_time(clock.get()) - GST_SECOND);
    play();
    fanout.add_sink(1, appsrc.get());
    fanout.mark_connected(1);
  }
};

// An encoded frame as the producer's appsink hands it over: running time `pts` in a segment
// that starts at zero.
SamplePtr encoded_frame(GstClockTime pts) {
  BufferPtr buffer(gst_buffer_new_allocate(nullptr, 16, nullptr));
  GST_BUFFER_PTS(buffer.get()) = pts;
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  CapsPtr caps(gst_caps_from_string("video/x-h264,stream-format=byte-stream,alignment=au"));
  return SamplePtr(gst_sample_new(buffer.get(), caps.get(), &segment, nullptr));
}

}  // namespace

TEST_CASE("a viewer's frames keep the source's timestamps, moved to the viewer's base time",
          "[fanout]") {
  ConnectedViewer viewer;

  ClockPtr clock(gst_system_clock_obtain());
  const GstClockTime viewer_base = viewer.base_time();
  // The producer started a second before the viewer; its frame left the source 200 ms ago.
  const GstClockTime source_base = viewer_base - GST_SECOND;
  const GstClockTime first = gst_clock_get_time(clock.get()) - source_base - 200 * GST_MSECOND;
  const FrameFanout::SourceClock source{clock.get(), source_base};
  viewer.fanout.deliver(encoded_frame(first).get(), source);
  const GstClockTime shown = viewer.next_pts();
  CHECK(shown == first + source_base - viewer_base);
  // Handed over at once, as after a slow encode, they still step by one frame.
  for (int frame = 1; frame <= 3; ++frame) {
    viewer.fanout.deliver(encoded_frame(first + frame * kFrame).get(), source);
    CHECK(viewer.next_pts() - shown == frame * kFrame);
  }
}

TEST_CASE("a frame stamped ahead of the clock is sent as of now, not held until then", "[fanout]") {
  ConnectedViewer viewer;

  ClockPtr clock(gst_system_clock_obtain());
  const GstClockTime viewer_base = viewer.base_time();
  // A source whose segment puts its frame ten seconds in the future.
  const FrameFanout::SourceClock source{clock.get(), viewer_base};
  const GstClockTime ahead = gst_clock_get_time(clock.get()) - viewer_base + 10 * GST_SECOND;
  viewer.fanout.deliver(encoded_frame(ahead).get(), source);
  const GstClockTime after = gst_clock_get_time(clock.get()) - viewer_base;
  CHECK(viewer.next_pts() <= after);
}

TEST_CASE("frames from a producer on another clock are stamped when they reach the viewer",
          "[fanout]") {
  ConnectedViewer viewer;

  ClockPtr system_clock(gst_system_clock_obtain());
  ClockPtr other_clock(GST_CLOCK(g_object_new(gst_system_clock_get_type(), nullptr)));
  gst_object_ref_sink(other_clock.get());
  const GstClockTime viewer_base = viewer.base_time();
  const GstClockTime before = gst_clock_get_time(system_clock.get()) - viewer_base;
  viewer.fanout.deliver(encoded_frame(0).get(), {other_clock.get(), 0});
  const GstClockTime after = gst_clock_get_time(system_clock.get()) - viewer_base;

  const GstClockTime pts = viewer.next_pts();
  CHECK(pts >= before);
  CHECK(pts <= after);
}

TEST_CASE("no frame is stamped before the viewer's base time is known", "[fanout]") {
  ViewerPipeline viewer;
  gst_element_set_state(viewer.pipeline.get(), GST_STATE_PAUSED);
  // Where a pipeline on its way to PLAYING stands between handing out its clock and setting
  // its elements' base time.
  ClockPtr clock(gst_system_clock_obtain());
  gst_element_set_clock(viewer.appsrc.get(), clock.get());
  FrameFanout fanout([] {});
  fanout.add_sink(1, viewer.appsrc.get());

  const FrameFanout::SourceClock source{clock.get(), 0};
  fanout.deliver(encoded_frame(gst_clock_get_time(clock.get())).get(), source);
  CHECK(gst_app_src_get_current_level_buffers(GST_APP_SRC(viewer.appsrc.get())) == 0);

  viewer.play();
  const GstClockTime base = viewer.base_time();
  fanout.deliver(encoded_frame(gst_clock_get_time(clock.get())).get(), source);
  // Running time in this pipeline: since its base time, not since the clock began.
  CHECK(viewer.next_pts() <= gst_clock_get_time(clock.get()) - base);
}
