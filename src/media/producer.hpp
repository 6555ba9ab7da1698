// The one shared producer pipeline: capture → encode → FrameFanout. It runs while any viewer
// needs it, and rebuilds itself with backoff when the source fails or goes silent.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "media/congestion/bitrate_policy.hpp"
#include "media/frame_fanout.hpp"
#include "media/keyframe_clock.hpp"
#include "media/keyframe_policy.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/video_codec.hpp"
#include "media/video_status.hpp"
#include "media/vp8_branch.hpp"
#include "util/ref_ptr.hpp"
#include "util/stage_timing.hpp"
#include "util/timer.hpp"

namespace kvmrtc::media {

class Producer {
 public:
  // How one build's streaming threads reach the producer (producer.cpp).
  struct Tap;
  using TapPtr = std::shared_ptr<Tap>;

  // `vp8_launch`: the VP8 branch (config::vp8_branch_launch), built while VP8 viewers exist.
  // `keyframe_interval`: frames between periodic H.264 keyframes, which the producer asks for.
  Producer(std::string launch_line, std::string encoder_name, std::string vp8_launch,
           int keyframe_interval, BitratePolicy bitrate_policy, PipelineReaper& reaper);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Called on the main loop whenever status() changes state or resolution.
  void on_status_change(std::function<void()> callback) { status_changed_ = std::move(callback); }
  VideoStatus status() const;
  FrameFanout& fanout(VideoCodec codec) {
    return codec == VideoCodec::kVp8 ? vp8_fanout_ : fanout_;
  }
  // Viewers report when each frame's last packet leaves them.
  const std::shared_ptr<StageTiming>& capture_to_sent_ms() const { return capture_to_sent_ms_; }

  // A viewer needs frames in `codec`: start now if stopped. Release: stop a while after the last
  // one goes, so a page reload does not reopen the capture device; the VP8 branch likewise.
  void acquire(VideoCodec codec);
  void release(VideoCodec codec);
  // A page is loading and will ask for video within a second: start now, so the encoder is
  // warm by then. Stops after the usual linger if no viewer comes.
  void warm_up();
  void request_keyframe(VideoCodec codec);

  // A new pipeline (a config reload): a running one is torn down and the new one built at once,
  // the state "reconfiguring" until its first frame; viewers keep their connections and go on
  // from its first frame, a keyframe. A stopped producer builds it when next needed.
  void rebuild(std::string launch_line, std::string encoder_name, std::string vp8_launch);
  // New congestion-control bounds and start rate, set on the running encoders at once.
  void set_bitrate(int min_kbps, int max_kbps, int start_kbps);
  // A new keyframe interval, from the next frame on: H.264's periodic keyframes are asked for
  // by the producer, and the running VP8 encoder takes a new one as it is.
  void set_keyframe_interval(int frames, std::string vp8_launch);

  // The next raw frame, at the stream's size, for GET /api/snapshot: `done` gets it on the main
  // loop, or nothing when there is no signal. A stopped producer starts for it and lingers
  // after it as it does after a viewer.
  void snapshot(std::function<void(SamplePtr frame)> done);

  // Congestion control: a viewer's RTCP report, and the bytes its pipeline has sent so far.
  void bandwidth_feedback(std::uint64_t viewer_id, const ReceiverFeedback& report,
                          std::uint64_t bytes_sent);
  void forget_bandwidth(std::uint64_t viewer_id);

 private:
  // Each encoder's keyframe requests, rate limited on their own.
  struct KeyframeGate {
    KeyframePolicy policy;
    Timer deferred;
  };

  // A pipeline being made on a worker thread: gst_parse_launch and the state change that opens
  // the device may block for as long as the device likes, never on the main loop.
  struct Build {
    std::string launch_line;
    TapPtr tap;
    ElementPtr pipeline;  // PAUSED when `error` is empty
    std::string error;
    bool stale = false;  // stopped while on its way (main loop only)
  };

  // `state`: what viewers are told until the first frame ("starting", "reconfiguring").
  void start(const char* state = "starting");
  bool running() const { return pipeline_ || building_; }
  void launch_build();
  // On the worker thread.
  static void build_pipeline(Build& build);
  static void install_taps(GstElement* sink, GstElement* tee, const TapPtr& tap);
  // Back on the main loop: a build still wanted becomes the running pipeline.
  void on_built(Build& build);
  static void detach(const TapPtr& tap);
  void stop();
  void fail(const std::string& why);
  void retry_later();
  void on_bus_message(GstMessage* message);
  void on_caps(int width, int height, int framerate);
  void finish_snapshot(SamplePtr frame);
  void check_frames_flow();
  void push_keyframe_request();
  void pass_keyframe_request(KeyframeGate& gate, const std::function<void()>& push);
  void attach_vp8();
  // The H.264 encoder's valve follows who watches: closed while every viewer gets VP8.
  void gate_h264();
  void apply_h264_gate();
  void set_state(const std::string& state, const std::string& message);
  // Every change of status_.state goes through here: it keeps the no-signal time.
  void enter_state(const std::string& state);
  void apply_bitrate(bool force);

  std::string launch_line_;
  std::string vp8_launch_;
  PipelineReaper& reaper_;
  FrameFanout fanout_;
  FrameFanout vp8_fanout_;
  KeyframeGate h264_keyframes_;
  KeyframeGate vp8_keyframes_;
  KeyframeClock h264_keyframe_clock_;
  BitratePolicy bitrate_policy_;
  int encoder_kbps_ = 0;  // what the running encoder was last told

  ElementPtr pipeline_;
  guint bus_watch_ = 0;
  TapPtr tap_;                    // the running build's
  std::shared_ptr<Build> build_;  // on a worker thread, wanted or stale
  bool building_ = false;         // a build is wanted: `build_`, or the one after it
  // Whether a build's return finds the producer still there.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::chrono::steady_clock::time_point started_at_;
  std::atomic<std::uint64_t> frames_{0};  // H.264 access units encoded
  std::atomic<std::uint64_t> captured_frames_{0};
  std::atomic<gint64> last_frame_us_{0};
  StageTiming capture_to_encoded_ms_;
  // Fed by every viewer pipeline, which may outlive the producer while it is torn down.
  std::shared_ptr<StageTiming> capture_to_sent_ms_ = std::make_shared<StageTiming>();
  guint keyframe_count_ = 0;

  int users_ = 0;
  int vp8_users_ = 0;
  bool h264_idle_ = false;
  std::unique_ptr<Vp8Branch> vp8_branch_;
  Timer vp8_linger_;
  bool failing_ = false;
  std::chrono::milliseconds backoff_;
  Timer linger_;
  Timer retry_;
  Timer watchdog_;

  VideoStatus status_;
  std::function<void()> status_changed_;
  // Snapshots waiting for a frame; the raw-frame probe hands over the next one while set.
  std::vector<std::function<void(SamplePtr)>> snapshot_waiters_;
  std::atomic<bool> want_raw_frame_{false};
  Timer snapshot_deadline_;
  std::chrono::steady_clock::time_point no_signal_since_;
  double no_signal_before_s_ = 0;  // closed spells of no signal
};

}  // namespace kvmrtc::media
