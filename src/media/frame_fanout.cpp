#include "media/frame_fanout.hpp"

#include <gst/app/gstappsrc.h>

GST_DEBUG_CATEGORY_STATIC(fanout_debug);
#define GST_CAT_DEFAULT fanout_debug

namespace kvmrtc::media {
namespace {

// A viewer whose queue holds this many frames is not keeping up (or is still negotiating):
// it skips frames up to the next keyframe instead of adding their delay.
constexpr guint64 kMaxQueuedFrames = 2;

}  // namespace

FrameFanout::FrameFanout(KeyframeNeeded keyframe_needed)
    : keyframe_needed_(std::move(keyframe_needed)) {
  GST_DEBUG_CATEGORY_INIT(fanout_debug, "kvmrtc-fanout", 0, "kvmrtc frames to viewers");
}

void FrameFanout::add_sink(std::uint64_t viewer_id, GstElement* appsrc) {
  std::lock_guard lock(mutex_);
  sinks_[viewer_id].appsrc = add_ref(appsrc);
}

void FrameFanout::mark_connected(std::uint64_t viewer_id) {
  std::lock_guard lock(mutex_);
  auto found = sinks_.find(viewer_id);
  if (found == sinks_.end()) return;
  found->second.connected = true;
  found->second.waiting_for_keyframe = true;
  found->second.keyframe_asked = true;
}

void FrameFanout::remove_sink(std::uint64_t viewer_id) {
  ElementPtr released;
  {
    std::lock_guard lock(mutex_);
    auto found = sinks_.find(viewer_id);
    if (found == sinks_.end()) return;
    released = std::move(found->second.appsrc);
    sinks_.erase(found);
  }
}

void FrameFanout::deliver(GstSample* sample, const SourceClock& source) {
  GstBuffer* buffer = gst_sample_get_buffer(sample);
  if (buffer == nullptr) return;
  GstCaps* caps = gst_sample_get_caps(sample);
  const bool keyframe = !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  const Frame frame{buffer, caps, captured_at(sample, source), source.clock};
  bool ask = false;
  {
    std::lock_guard lock(mutex_);
    for (auto& [id, sink] : sinks_) ask = deliver_to(sink, frame, keyframe) || ask;
  }
  if (ask) keyframe_needed_();
}

std::vector<FrameFanout::SinkCounts> FrameFanout::counts() {
  std::lock_guard lock(mutex_);
  std::vector<SinkCounts> all;
  for (const auto& [id, sink] : sinks_) {
    if (sink.connected) all.push_back({id, sink.sent, sink.dropped});
  }
  return all;
}

GstClockTime FrameFanout::captured_at(GstSample* sample, const SourceClock& source) {
  const GstSegment* segment = gst_sample_get_segment(sample);
  const GstClockTime pts = GST_BUFFER_PTS(gst_sample_get_buffer(sample));
  if (segment == nullptr || !GST_CLOCK_TIME_IS_VALID(pts) ||
      !GST_CLOCK_TIME_IS_VALID(source.base_time)) {
    return GST_CLOCK_TIME_NONE;
  }
  const GstClockTime running = gst_segment_to_running_time(segment, GST_FORMAT_TIME, pts);
  return GST_CLOCK_TIME_IS_VALID(running) ? running + source.base_time : GST_CLOCK_TIME_NONE;
}

bool FrameFanout::deliver_to(Sink& sink, const Frame& frame, bool keyframe) {
  auto* appsrc = GST_APP_SRC(sink.appsrc.get());
  const guint64 queued = gst_app_src_get_current_level_buffers(appsrc);
  if (!sink.connected) {
    // Before the browser connects, frames only carry the caps webrtcbin needs for its offer;
    // none of them reaches a screen, so one in the queue is plenty.
    if (queued == 0) push(sink, frame);
    return false;
  }
  const bool full = queued >= kMaxQueuedFrames;
  if (full) sink.waiting_for_keyframe = true;
  if (full || (sink.waiting_for_keyframe && !keyframe)) {
    GST_LOG_OBJECT(appsrc, "skipping a %s frame: %" G_GUINT64_FORMAT " queued",
                   keyframe ? "key" : "delta", queued);
    ++sink.dropped;
    // A keyframe skipped here answered the last request: the viewer needs another one.
    const bool ask = keyframe || !sink.keyframe_asked;
    sink.keyframe_asked = true;
    return ask;
  }
  if (push(sink, frame)) {
    ++sink.sent;
    sink.waiting_for_keyframe = false;
    sink.keyframe_asked = false;
  }
  return false;
}

bool FrameFanout::push(Sink& sink, const Frame& frame) {
  // Only a playing appsrc has its base time. Going to PLAYING, a pipeline hands its elements
  // the clock first and their base time a moment later; a frame stamped in between carries the
  // clock's absolute time, hours ahead of the pipeline's running time, and webrtcbin's
  // clocksync then held it, and every frame behind it, for those hours: the page stayed black
  // (1 open in 150 here, tests/e2e/opens.test.mjs).
  GstState state = GST_STATE_VOID_PENDING;
  gst_element_get_state(sink.appsrc.get(), &state, nullptr, 0);
  if (state != GST_STATE_PLAYING) return false;
  ClockPtr clock(gst_element_get_clock(sink.appsrc.get()));
  if (!clock) return false;
  auto* appsrc = GST_APP_SRC(sink.appsrc.get());
  if (frame.caps != nullptr && sink.caps.get() != frame.caps) {
    if (!sink.caps || !gst_caps_is_equal(sink.caps.get(), frame.caps)) {
      gst_app_src_set_caps(appsrc, frame.caps);
    }
    sink.caps = CapsPtr(gst_caps_ref(frame.caps));
  }
  // A shallow copy shares the encoded bytes; only the timestamps differ per viewer, because
  // each viewer pipeline has its own base time.
  GstBuffer* stamped = gst_buffer_copy(frame.buffer);
  // The source's timestamp, not the moment the frame got here: the RTP timestamps then step
  // by exactly one frame, as the browser's renderer expects to find its cadence, instead of
  // carrying every frame's varying encode time. With another clock (or none) in the producer,
  // the arrival here is the best there is.
  // A stamp ahead of the clock is never taken: webrtcbin's clocksync would hold the frame, and
  // every frame behind it, until then, and the page would stay black without a word.
  const bool same_clock = frame.clock != nullptr && frame.clock == clock.get();
  const GstClockTime now = gst_clock_get_time(clock.get());
  const GstClockTime at =
      same_clock && GST_CLOCK_TIME_IS_VALID(frame.captured_at) && frame.captured_at <= now
          ? frame.captured_at
          : now;
  const GstClockTime base = gst_element_get_base_time(sink.appsrc.get());
  GST_BUFFER_PTS(stamped) = at > base ? at - base : 0;
  GST_BUFFER_DTS(stamped) = GST_BUFFER_PTS(stamped);
  gst_app_src_push_buffer(appsrc, stamped);
  return true;
}

}  // namespace kvmrtc::media
