// The one shared producer pipeline: capture → encode → FrameFanout. It runs while any viewer
// needs it, and rebuilds itself with backoff when the source fails or goes silent.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "media/bitrate_policy.hpp"
#include "media/frame_fanout.hpp"
#include "media/keyframe_policy.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/video_status.hpp"
#include "util/ref_ptr.hpp"
#include "util/running_average.hpp"
#include "util/timer.hpp"

namespace kvmrtc::media {

class Producer {
 public:
  Producer(std::string launch_line, std::string encoder_name, BitratePolicy bitrate_policy,
           PipelineReaper& reaper);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Called on the main loop whenever status() changes state or resolution.
  void on_status_change(std::function<void()> callback) { status_changed_ = std::move(callback); }
  VideoStatus status() const;
  FrameFanout& fanout() { return fanout_; }
  // Viewers report when each frame's last packet leaves them.
  const std::shared_ptr<RunningAverage>& capture_to_sent_ms() const { return capture_to_sent_ms_; }

  // A viewer needs frames: start now if stopped. Release: stop a while after the last one goes,
  // so a page reload does not reopen the capture device.
  void acquire();
  void release();
  // A page is loading and will ask for video within a second: start now, so the encoder is
  // warm by then. Stops after the usual linger if no viewer comes.
  void warm_up();
  void request_keyframe();

  // Congestion control: a viewer's RTCP report, and the bytes its pipeline has sent so far.
  void bandwidth_feedback(std::uint64_t viewer_id, const ReceiverFeedback& report,
                          std::uint64_t bytes_sent);
  void forget_bandwidth(std::uint64_t viewer_id);

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
  void apply_bitrate(bool force);

  std::string launch_line_;
  PipelineReaper& reaper_;
  FrameFanout fanout_;
  KeyframePolicy keyframe_policy_;
  BitratePolicy bitrate_policy_;
  int encoder_kbps_ = 0;  // what the running encoder was last told

  ElementPtr pipeline_;
  guint bus_watch_ = 0;
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point started_at_;
  std::atomic<std::uint64_t> frames_{0};
  std::atomic<gint64> last_frame_us_{0};
  RunningAverage capture_to_encoded_ms_;
  // Fed by every viewer pipeline, which may outlive the producer while it is torn down.
  std::shared_ptr<RunningAverage> capture_to_sent_ms_ = std::make_shared<RunningAverage>();
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
