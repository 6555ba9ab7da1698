// Hands each encoded access unit from the producer's streaming thread to every viewer's appsrc.
// Frames do not pass through the main loop: a hop there would add its wake-up latency to
// every frame. The sink list is the one piece of state shared across threads, under a mutex.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

class FrameFanout {
 public:
  // Called on the streaming thread when a viewer waits for a keyframe to start or resume.
  using KeyframeNeeded = std::function<void()>;

  explicit FrameFanout(KeyframeNeeded keyframe_needed);

  // A new sink gets frames only to learn the caps webrtcbin needs for its offer; it asks for no
  // keyframe until mark_connected(), since frames sent before the browser is connected are lost.
  void add_sink(std::uint64_t viewer_id, GstElement* appsrc);
  // The browser is connected: from the next keyframe on, it gets every frame. The caller asks
  // the producer for that keyframe.
  void mark_connected(std::uint64_t viewer_id);
  void remove_sink(std::uint64_t viewer_id);
  // How the producer's timestamps map to clock time: its pipeline's clock and base time.
  struct SourceClock {
    GstClock* clock;
    GstClockTime base_time;
  };

  // Streaming thread: one access unit for every viewer, restamped to its pipeline's clock.
  void deliver(GstSample* sample, const SourceClock& source);

  // Frames each connected viewer was given, and those it missed: its queue was full, or it
  // waited for a keyframe after one.
  struct SinkCounts {
    std::uint64_t viewer_id;
    std::uint64_t sent;
    std::uint64_t dropped;
  };
  std::vector<SinkCounts> counts();

 private:
  struct Sink {
    ElementPtr appsrc;
    bool connected = false;
    bool waiting_for_keyframe = true;
    bool keyframe_asked = false;
    CapsPtr caps;  // what the appsrc was last told
    std::uint64_t sent = 0;
    std::uint64_t dropped = 0;
  };

  struct Frame {
    GstBuffer* buffer;
    GstCaps* caps;
    GstClockTime captured_at;  // clock time of the source's timestamp, if it has one
    GstClock* clock;
  };

  static GstClockTime captured_at(GstSample* sample, const SourceClock& source);
  // Returns whether the sink now needs a keyframe that was not asked for yet.
  bool deliver_to(Sink& sink, const Frame& frame, bool keyframe);
  // Restamps and queues one frame; false when the viewer is not playing yet.
  static bool push(Sink& sink, const Frame& frame);

  KeyframeNeeded keyframe_needed_;
  std::mutex mutex_;
  std::map<std::uint64_t, Sink> sinks_;
};

}  // namespace kvmrtc::media
