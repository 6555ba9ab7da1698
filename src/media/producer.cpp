#include "media/producer.hpp"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "config/launch.hpp"
#include "media/elements_by_factory.hpp"
#include "media/encoder_choice.hpp"
#include "media/latency/capture_time.hpp"
#include "media/latency/stamp_painter.hpp"
#include "util/background.hpp"
#include "util/log.hpp"
#include "util/main_context.hpp"

GST_DEBUG_CATEGORY_STATIC(producer_debug);
#define GST_CAT_DEFAULT producer_debug

namespace kvmrtc::media {
namespace {

using namespace std::chrono_literals;

constexpr auto kFirstBackoff = 500ms;
constexpr auto kMaxBackoff = 4000ms;
constexpr auto kLinger = 5000ms;
constexpr auto kFirstFrameTimeout = 5000ms;
constexpr auto kSilenceTimeout = 2000ms;
constexpr auto kWatchdogPeriod = 250ms;
constexpr auto kKeyframeMinInterval = 250ms;
// A snapshot waits this long for a frame: a starting source's first one, with room to spare.
constexpr auto kSnapshotTimeout = 3000ms;

std::string error_text(GstMessage* message) {
  GError* raw_error = nullptr;
  gchar* raw_debug = nullptr;
  gst_message_parse_error(message, &raw_error, &raw_debug);
  ErrorPtr error(raw_error);
  CharPtr debug(raw_debug);
  CharPtr source(gst_object_get_path_string(GST_MESSAGE_SRC(message)));
  GST_DEBUG("error from %s: %s (%s)", source.get(), error->message,
            debug ? debug.get() : "no details");
  return error->message;
}

}  // namespace

// How the streaming threads of one build reach the producer. stop() detaches it: a build on its
// way down (the reaper may take a while to stop it), or one outliving the producer at exit,
// then delivers nothing and counts nothing.
struct Producer::Tap {
  std::mutex mutex;
  Producer* producer;  // null once detached; written on the main loop under `mutex`
  CapsPtr caps;        // the raw probe's streaming thread only
};

namespace {

using TapPtr = Producer::TapPtr;

gpointer share_tap(const TapPtr& tap) {
  return new TapPtr(tap);
}

void unshare_tap(gpointer data) {
  delete static_cast<TapPtr*>(data);
}

const TapPtr& tap_of(gpointer data) {
  return *static_cast<TapPtr*>(data);
}

}  // namespace

Producer::Producer(std::string launch_line, std::string encoder_name, std::string vp8_launch,
                   int keyframe_interval, BitratePolicy bitrate_policy, PipelineReaper& reaper)
    : launch_line_(std::move(launch_line)),
      vp8_launch_(std::move(vp8_launch)),
      reaper_(reaper),
      fanout_([this] { run_on_main([this] { request_keyframe(VideoCodec::kH264); }); }),
      vp8_fanout_([this] { run_on_main([this] { request_keyframe(VideoCodec::kVp8); }); }),
      h264_keyframes_{KeyframePolicy(kKeyframeMinInterval), {}},
      vp8_keyframes_{KeyframePolicy(kKeyframeMinInterval), {}},
      h264_keyframe_clock_(keyframe_interval),
      bitrate_policy_(std::move(bitrate_policy)),
      backoff_(kFirstBackoff) {
  GST_DEBUG_CATEGORY_INIT(producer_debug, "kvmrtc-producer", 0, "kvmrtc shared producer");
  status_.encoder = std::move(encoder_name);
  status_.bitrate_kbps = bitrate_policy_.target_kbps();
}

Producer::~Producer() {
  stop();
  *alive_ = false;
}

VideoStatus Producer::status() const {
  VideoStatus copy = status_;
  copy.frames = frames_.load();
  copy.captured_frames = captured_frames_.load();
  copy.capture_to_encoded_ms = capture_to_encoded_ms_.average_ms();
  copy.capture_to_sent_ms = capture_to_sent_ms_->average_ms();
  copy.capture_to_encoded = capture_to_encoded_ms_.snapshot();
  copy.capture_to_sent = capture_to_sent_ms_->snapshot();
  copy.no_signal_s = no_signal_before_s_;
  if (status_.state == "no-signal") {
    copy.no_signal_s +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - no_signal_since_).count();
  }
  return copy;
}

void Producer::acquire(VideoCodec codec) {
  ++users_;
  linger_.cancel();
  if (codec == VideoCodec::kVp8) {
    ++vp8_users_;
    vp8_linger_.cancel();
    if (pipeline_ && !vp8_branch_) attach_vp8();
  }
  gate_h264();
  if (!running() && !retry_.active()) start();
}

void Producer::release(VideoCodec codec) {
  --users_;
  if (codec == VideoCodec::kVp8 && --vp8_users_ == 0) {
    vp8_linger_.start_once(kLinger, [this] {
      if (!vp8_branch_) return;
      vp8_branch_->detach(reaper_);
      vp8_branch_.reset();
      log::info("VP8 encoder stopped: no viewer needs it");
    });
  }
  gate_h264();
  if (users_ > 0) return;
  linger_.start_once(kLinger, [this] {
    retry_.cancel();
    stop();
    failing_ = false;
    backoff_ = kFirstBackoff;
    set_state("stopped", "");
  });
}

void Producer::bandwidth_feedback(std::uint64_t viewer_id, const ReceiverFeedback& report,
                                  std::uint64_t bytes_sent) {
  GST_DEBUG("viewer %" G_GUINT64_FORMAT ": REMB %" G_GUINT64_FORMAT
            " bit/s, %.1f %% lost, %" G_GUINT64_FORMAT " bytes sent",
            viewer_id, report.estimate_bps.value_or(0), report.fraction_lost.value_or(0) * 100,
            bytes_sent);
  bitrate_policy_.feedback(viewer_id, report, bytes_sent, BitratePolicy::Clock::now());
  apply_bitrate(false);
}

void Producer::forget_bandwidth(std::uint64_t viewer_id) {
  bitrate_policy_.forget(viewer_id);
  apply_bitrate(false);
}

void Producer::apply_bitrate(bool force) {
  const int target = bitrate_policy_.target_kbps();
  status_.bitrate_kbps = target;
  status_.receiver_estimate_kbps = bitrate_policy_.lowest_estimate_kbps();
  // Each change costs the encoder a reconfiguration; small steps are not worth one.
  if (!force && std::abs(target - encoder_kbps_) * 100 < encoder_kbps_ * 3) return;
  if (vp8_branch_) vp8_branch_->set_bitrate_kbps(target);
  const auto property = bitrate_property(status_.encoder);
  if (!pipeline_ || !property) return;
  for_each_element_made_by(GST_BIN(pipeline_.get()), status_.encoder, [&](GstElement* encoder) {
    const auto units =
        static_cast<guint>(static_cast<gint64>(target) * 1000 / property->bits_per_unit);
    g_object_set(encoder, property->name.c_str(), units, nullptr);
    GST_INFO("encoder bitrate %d kbit/s", target);
    encoder_kbps_ = target;
  });
}

void Producer::warm_up() {
  acquire(VideoCodec::kH264);
  release(VideoCodec::kH264);
}

void Producer::gate_h264() {
  // With no viewer at all the encoder stays open: a page being served is about to ask for H.264
  // more often than not, and warm_up() wants it ready.
  const bool idle = vp8_users_ > 0 && users_ == vp8_users_;
  if (idle == h264_idle_) return;
  h264_idle_ = idle;
  log::info(idle ? "H.264 encoder paused: every viewer gets VP8" : "H.264 encoder resumed");
  apply_h264_gate();
  // It resumes from frames it never saw: only a keyframe decodes.
  if (!idle) request_keyframe(VideoCodec::kH264);
}

void Producer::apply_h264_gate() {
  if (!pipeline_) return;
  ElementPtr valve(gst_bin_get_by_name(GST_BIN(pipeline_.get()), config::kProducerH264ValveName));
  if (valve) g_object_set(valve.get(), "drop", h264_idle_ ? TRUE : FALSE, nullptr);
}

void Producer::attach_vp8() {
  std::string error;
  vp8_branch_ = Vp8Branch::attach(
      pipeline_.get(), vp8_launch_,
      [this](GstSample* sample, GstElement* appsink) {
        ClockPtr clock(gst_element_get_clock(appsink));
        vp8_fanout_.deliver(sample, {clock.get(), gst_element_get_base_time(appsink)});
      },
      error);
  if (!vp8_branch_) {
    log::warning("viewers that need VP8 get no picture: %s", error.c_str());
    return;
  }
  vp8_branch_->set_bitrate_kbps(bitrate_policy_.target_kbps());
  log::info("VP8 encoder started for %d viewer(s) without H.264", vp8_users_);
}

void Producer::rebuild(std::string launch_line, std::string encoder_name, std::string vp8_launch) {
  launch_line_ = std::move(launch_line);
  vp8_launch_ = std::move(vp8_launch);
  status_.encoder = std::move(encoder_name);
  encoder_kbps_ = 0;
  if (!running() && !retry_.active()) return;
  log::info("rebuilding the video pipeline for the new config; viewers stay connected");
  retry_.cancel();
  stop();
  failing_ = false;
  backoff_ = kFirstBackoff;
  status_.message.clear();
  start("reconfiguring");
}

void Producer::set_bitrate(int min_kbps, int max_kbps, int start_kbps) {
  bitrate_policy_.set_range(min_kbps, max_kbps, start_kbps);
  apply_bitrate(true);
  log::info("bitrate %d kbit/s (congestion control between %d and %d), on the running encoder",
            bitrate_policy_.target_kbps(), min_kbps, max_kbps);
}

void Producer::set_keyframe_interval(int frames, std::string vp8_launch) {
  h264_keyframe_clock_.set_interval(frames);
  vp8_launch_ = std::move(vp8_launch);
  if (vp8_branch_) vp8_branch_->set_keyframe_interval(frames);
  log::info("keyframe every %d frames, on the running encoders", frames);
}

void Producer::snapshot(std::function<void(SamplePtr frame)> done) {
  if (status_.state == "no-signal") {
    done(nullptr);
    return;
  }
  snapshot_waiters_.push_back(std::move(done));
  if (snapshot_waiters_.size() > 1) return;  // the frame on its way serves every waiter
  acquire(VideoCodec::kH264);
  want_raw_frame_.store(true);
  snapshot_deadline_.start_once(kSnapshotTimeout, [this] { finish_snapshot(nullptr); });
}

void Producer::finish_snapshot(SamplePtr frame) {
  if (snapshot_waiters_.empty()) return;
  snapshot_deadline_.cancel();
  want_raw_frame_.store(false);
  const auto waiters = std::move(snapshot_waiters_);
  snapshot_waiters_.clear();
  release(VideoCodec::kH264);
  for (const auto& done : waiters) {
    done(frame ? SamplePtr(gst_sample_ref(frame.get())) : nullptr);
  }
}

void Producer::start(const char* state) {
  started_at_ = std::chrono::steady_clock::now();
  last_frame_us_.store(0);
  set_state(failing_ ? "no-signal" : state, status_.message);
  // From now: a build that hangs (a device whose open() never returns) fails as "no frames".
  watchdog_.start_repeating(kWatchdogPeriod, [this] {
    check_frames_flow();
    if (bitrate_policy_.check_silence(BitratePolicy::Clock::now(), started_at_)) {
      apply_bitrate(false);
    }
  });
  building_ = true;
  // One build at a time: a stale one still opening the device starts this one when it returns.
  if (!build_) launch_build();
}

void Producer::launch_build() {
  build_ = std::make_shared<Build>();
  build_->launch_line = launch_line_;
  build_->tap = std::make_shared<Tap>();
  build_->tap->producer = this;
  GST_INFO("building: %s", launch_line_.c_str());
  run_in_background([build = build_] { build_pipeline(*build); },
                    [this, build = build_, alive = alive_, reaper = &reaper_] {
                      if (*alive) {
                        on_built(*build);
                      } else {
                        reaper->reap(std::move(build->pipeline));
                      }
                    });
}

void Producer::build_pipeline(Build& build) {
  GError* raw_error = nullptr;
  build.pipeline = ElementPtr(gst_parse_launch(build.launch_line.c_str(), &raw_error));
  ErrorPtr error(raw_error);
  if (!build.pipeline || error) {
    build.error = std::string("the video pipeline does not build: ") +
                  (error ? error->message : "unknown error");
    return;
  }
  ElementPtr sink(gst_bin_get_by_name(GST_BIN(build.pipeline.get()), config::kProducerSinkName));
  ElementPtr tee(gst_bin_get_by_name(GST_BIN(build.pipeline.get()), config::kProducerRawTeeName));
  if (!sink || !tee) {
    build.error = "the video pipeline has no appsink or raw tee";
    return;
  }
  install_taps(sink.get(), tee.get(), build.tap);
  note_capture_times(build.pipeline.get(), config::kProducerSourceQueueName);
  install_stamp_painter(build.pipeline.get(), config::kProducerStampName);
  // Opens the device (NULL to READY) and starts the source (READY to PAUSED): the calls that may
  // block. A live source sends nothing before PLAYING, which the main loop sets.
  if (gst_element_set_state(build.pipeline.get(), GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE) {
    BusPtr bus(gst_element_get_bus(build.pipeline.get()));
    MessagePtr message(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    build.error = message ? error_text(message.get()) : "the video pipeline refused to start";
  }
}

void Producer::install_taps(GstElement* sink, GstElement* tee, const TapPtr& tap) {
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = [](GstAppSink* appsink, gpointer data) -> GstFlowReturn {
    SamplePtr sample(gst_app_sink_pull_sample(appsink));
    if (!sample) return GST_FLOW_OK;
    const TapPtr& tap = tap_of(data);
    const std::lock_guard<std::mutex> lock(tap->mutex);
    Producer* producer = tap->producer;
    if (producer == nullptr) return GST_FLOW_OK;
    if (const auto captured = capture_time_us(gst_sample_get_buffer(sample.get()))) {
      producer->capture_to_encoded_ms_.add(static_cast<double>(g_get_real_time() - *captured) /
                                           1000.0);
    }
    ClockPtr clock(gst_element_get_clock(GST_ELEMENT(appsink)));
    producer->fanout_.deliver(sample.get(),
                              {clock.get(), gst_element_get_base_time(GST_ELEMENT(appsink))});
    producer->frames_.fetch_add(1);
    const bool keyframe =
        !GST_BUFFER_FLAG_IS_SET(gst_sample_get_buffer(sample.get()), GST_BUFFER_FLAG_DELTA_UNIT);
    if (producer->h264_keyframe_clock_.frame_out(keyframe)) {
      // On this thread, before the encoder takes its next frame: that one becomes the keyframe.
      PadPtr pad(gst_element_get_static_pad(GST_ELEMENT(appsink), "sink"));
      gst_pad_push_event(pad.get(),
                         gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
    }
    return GST_FLOW_OK;
  };
  gst_app_sink_set_callbacks(GST_APP_SINK(sink), &callbacks, share_tap(tap), unshare_tap);
  // Raw frames tell whether the source is alive and what it sends, whichever encoders run.
  PadPtr raw_pad(gst_element_get_static_pad(tee, "sink"));
  const auto on_raw_frame = [](GstPad* pad, GstPadProbeInfo* info,
                               gpointer data) -> GstPadProbeReturn {
    const TapPtr& tap = tap_of(data);
    const std::lock_guard<std::mutex> lock(tap->mutex);
    Producer* producer = tap->producer;
    if (producer == nullptr) return GST_PAD_PROBE_OK;
    producer->captured_frames_.fetch_add(1);
    producer->last_frame_us_.store(g_get_monotonic_time());
    CapsPtr caps(gst_pad_get_current_caps(pad));
    if (caps && producer->want_raw_frame_.exchange(false)) {
      // A reference to the frame as it is, with its caps: the snapshot is encoded elsewhere.
      auto* frame = gst_sample_new(GST_PAD_PROBE_INFO_BUFFER(info), caps.get(), nullptr, nullptr);
      // On the main loop, where stop() detaches: a frame of a detached build is dropped there.
      run_on_main([tap, frame] {
        SamplePtr owned(frame);
        if (tap->producer != nullptr) tap->producer->finish_snapshot(std::move(owned));
      });
    }
    if (caps && !(tap->caps && gst_caps_is_equal(tap->caps.get(), caps.get()))) {
      tap->caps = CapsPtr(gst_caps_ref(caps.get()));
      const GstStructure* structure = gst_caps_get_structure(caps.get(), 0);
      int width = 0, height = 0, rate_num = 0, rate_den = 1;
      gst_structure_get_int(structure, "width", &width);
      gst_structure_get_int(structure, "height", &height);
      gst_structure_get_fraction(structure, "framerate", &rate_num, &rate_den);
      const int framerate = rate_den > 0 ? rate_num / rate_den : 0;
      run_on_main([tap, width, height, framerate] {
        if (tap->producer != nullptr) tap->producer->on_caps(width, height, framerate);
      });
    }
    return GST_PAD_PROBE_OK;
  };
  gst_pad_add_probe(raw_pad.get(), GST_PAD_PROBE_TYPE_BUFFER, on_raw_frame, share_tap(tap),
                    unshare_tap);
}

void Producer::on_built(Build& build) {
  build_.reset();
  if (build.stale) {
    detach(build.tap);
    reaper_.reap(std::move(build.pipeline));
    if (building_) launch_build();
    return;
  }
  building_ = false;
  if (!build.error.empty()) {
    detach(build.tap);
    reaper_.reap(std::move(build.pipeline));
    fail(build.error);
    return;
  }
  tap_ = std::move(build.tap);
  BusPtr bus(gst_element_get_bus(build.pipeline.get()));
  bus_watch_ = gst_bus_add_watch(
      bus.get(),
      [](GstBus*, GstMessage* message, gpointer data) -> gboolean {
        static_cast<Producer*>(data)->on_bus_message(message);
        return G_SOURCE_CONTINUE;
      },
      this);
  pipeline_ = std::move(build.pipeline);
  apply_h264_gate();
  if (vp8_users_ > 0) attach_vp8();
  // A rebuilt encoder starts at the configured bitrate, not at what the viewers can take.
  apply_bitrate(true);
  GST_INFO("starting: %s", launch_line_.c_str());
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    MessagePtr message(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    fail(message ? error_text(message.get()) : "the video pipeline refused to start");
  }
}

void Producer::detach(const TapPtr& tap) {
  if (!tap) return;
  const std::lock_guard<std::mutex> lock(tap->mutex);
  tap->producer = nullptr;
}

void Producer::stop() {
  watchdog_.cancel();
  if (building_) {
    // The build still on its way is stale when it returns; it delivers nothing meanwhile.
    building_ = false;
    build_->stale = true;
    detach(build_->tap);
  }
  // The branch goes down with the pipeline; it only stops delivering here.
  vp8_branch_.reset();
  if (!pipeline_) return;
  if (bus_watch_ != 0) g_source_remove(bus_watch_);
  bus_watch_ = 0;
  detach(tap_);
  tap_.reset();
  reaper_.reap(std::move(pipeline_));
}

void Producer::fail(const std::string& why) {
  if (!failing_) {
    log::warning("video source failed: %s (retrying, the page shows \"no signal\")", why.c_str());
  } else {
    GST_INFO("still failing: %s", why.c_str());
  }
  failing_ = true;
  stop();
  ++status_.restarts;
  set_state("no-signal", why);
  // A snapshot waiting for a frame gets "no signal" now rather than at its deadline.
  finish_snapshot(nullptr);
  retry_later();
}

void Producer::retry_later() {
  if (users_ == 0) return;
  retry_.start_once(backoff_, [this] { start(); });
  backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(kMaxBackoff));
}

void Producer::on_bus_message(GstMessage* message) {
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_ERROR:
      fail(error_text(message));
      break;
    case GST_MESSAGE_EOS:
      fail("the video source ended");
      break;
    case GST_MESSAGE_LATENCY:
      if (pipeline_) gst_bin_recalculate_latency(GST_BIN(pipeline_.get()));
      break;
    default:
      break;
  }
}

void Producer::on_caps(int width, int height, int framerate) {
  if (failing_) log::info("video source is back: %dx%d at %d fps", width, height, framerate);
  failing_ = false;
  backoff_ = kFirstBackoff;
  status_.width = width;
  status_.height = height;
  status_.framerate = framerate;
  enter_state("live");
  status_.message.clear();
  // A new resolution is news even when the state stays live.
  if (status_changed_) status_changed_();
}

void Producer::check_frames_flow() {
  const gint64 last_us = last_frame_us_.load();
  if (last_us == 0) {
    if (std::chrono::steady_clock::now() - started_at_ > kFirstFrameTimeout) {
      fail("no frames from the video source");
    }
    return;
  }
  const auto silent = std::chrono::microseconds(g_get_monotonic_time() - last_us);
  if (silent > kSilenceTimeout) fail("the video source stopped sending frames");
}

void Producer::request_keyframe(VideoCodec codec) {
  if (codec == VideoCodec::kVp8) {
    pass_keyframe_request(vp8_keyframes_, [this] {
      if (vp8_branch_) vp8_branch_->request_keyframe(++keyframe_count_);
    });
  } else {
    pass_keyframe_request(h264_keyframes_, [this] { push_keyframe_request(); });
  }
}

void Producer::pass_keyframe_request(KeyframeGate& gate, const std::function<void()>& push) {
  const auto decision = gate.policy.request(KeyframePolicy::Clock::now());
  switch (decision.action) {
    case KeyframePolicy::Action::kSendNow:
      push();
      break;
    case KeyframePolicy::Action::kDefer:
      gate.deferred.start_once(decision.delay, [&gate, push] {
        gate.policy.deferred_due(KeyframePolicy::Clock::now());
        push();
      });
      break;
    case KeyframePolicy::Action::kAlreadyDeferred:
      break;
  }
}

void Producer::push_keyframe_request() {
  if (!pipeline_) return;
  ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline_.get()), config::kProducerSinkName));
  PadPtr pad(gst_element_get_static_pad(sink.get(), "sink"));
  GST_DEBUG("asking the encoder for a keyframe");
  gst_pad_push_event(pad.get(), gst_video_event_new_upstream_force_key_unit(
                                    GST_CLOCK_TIME_NONE, TRUE, ++keyframe_count_));
}

void Producer::enter_state(const std::string& state) {
  const auto now = std::chrono::steady_clock::now();
  if (status_.state != "no-signal" && state == "no-signal") no_signal_since_ = now;
  if (status_.state == "no-signal" && state != "no-signal") {
    no_signal_before_s_ += std::chrono::duration<double>(now - no_signal_since_).count();
  }
  status_.state = state;
}

void Producer::set_state(const std::string& state, const std::string& message) {
  const bool changed = status_.state != state || status_.message != message;
  enter_state(state);
  status_.message = message;
  if (changed && status_changed_) status_changed_();
}

}  // namespace kvmrtc::media
