// The one shared producer pipeline: capture → encode → FrameFanout. It runs while any viewer
// needs it, and rebuilds itself with backoff when the source fails or goes silent.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "media/frame_fanout.hpp"
#include "media/keyframe_policy.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/video_status.hpp"
#include "util/ref_ptr.hpp"
#include "util/timer.hpp"

namespace kvmrtc::media {

class Producer {
 public:
  Producer(std::string launch_line, std::string encoder_name, PipelineReaper& reaper);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Called on the main loop whenever status() changes state or resolution.
  void on_status_change(std::function<void()> callback) { status_changed_ = std::move(callback); }
  VideoStatus status() const;
  FrameFanout& fanout() { return fanout_; }

  // A viewer needs frames: start now if stopped. Release: stop a while after the last one goes,
  // so a page reload does not reopen the capture device.
  void acquire();
  void release();
  void request_keyframe();

 private:
  struct Run;

  void start();
  void stop();
  void fail(const std::string& why);
  void retry_later();
  void on_bus_message(GstMessage* message);
  void on_caps(std::uint64_t generation, int width, int height, int framerate);
  void check_frames_flow();
  void push_keyframe_request();
  void set_state(const std::string& state, const std::string& message);

  std::string launch_line_;
  PipelineReaper& reaper_;
  FrameFanout fanout_;
  KeyframePolicy keyframe_policy_;

  ElementPtr pipeline_;
  guint bus_watch_ = 0;
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point started_at_;
  std::atomic<std::uint64_t> frames_{0};
  std::atomic<gint64> last_frame_us_{0};
  std::atomic<double> capture_to_encoded_ms_{0};
  guint keyframe_count_ = 0;

  int users_ = 0;
  bool failing_ = false;
  std::chrono::milliseconds backoff_;
  Timer linger_;
  Timer retry_;
  Timer watchdog_;
  Timer deferred_keyframe_;

  VideoStatus status_;
  std::function<void()> status_changed_;
};

}  // namespace kvmrtc::media
