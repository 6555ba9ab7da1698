// One browser's pipeline: appsrc (fed by the FrameFanout) → RTP payloader → webrtcbin.
// webrtcbin calls back on its own threads; every callback is carried to the main loop and
// dropped there if the viewer has gone meanwhile.
#pragma once

#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "media/congestion/send_stall.hpp"
#include "media/rtp/receiver_feedback.hpp"
#include "media/video_codec.hpp"
#include "util/ref_ptr.hpp"
#include "util/stage_timing.hpp"
#include "util/timer.hpp"

namespace kvmrtc::media {

// All called on the main loop.
struct ViewerEvents {
  std::function<void(const std::string& sdp)> offer_ready;
  std::function<void(unsigned mline_index, const std::string& candidate)> local_candidate;
  std::function<void(const std::string& why)> answer_refused;
  std::function<void()> connected;                     // media can reach the browser now
  std::function<void(const std::string& why)> failed;  // the viewer must be closed
  std::function<void()> keyframe_wanted;               // the browser sent PLI or FIR
  std::function<void()> input_open;                    // the "hid" data channel opened
  // The browser's answer declined the video (no decoder for its codec); input goes on.
  std::function<void()> video_declined;
  std::function<void(const std::string& text)> input_message;
  std::function<void()> input_closed;
  // The browser reported its bandwidth estimate or its losses; `bytes_sent` counts all RTP
  // bytes sent so far.
  std::function<void(const ReceiverFeedback& report, std::uint64_t bytes_sent)> bandwidth_feedback;
};

class Viewer {
 public:
  // Builds the pipeline; `error` says why when it returns null.
  // Each frame's capture → last packet sent is added to `capture_to_sent`.
  static std::unique_ptr<Viewer> create(std::uint64_t id, const config::WebrtcSettings& webrtc,
                                        VideoCodec codec, ViewerEvents events,
                                        std::shared_ptr<StageTiming> capture_to_sent,
                                        std::string& error);
  ~Viewer();
  Viewer(const Viewer&) = delete;
  Viewer& operator=(const Viewer&) = delete;

  std::uint64_t id() const { return id_; }
  GstElement* appsrc() const { return appsrc_.get(); }
  bool start(std::string& error);
  // Parses and applies the browser's answer; a refusal by webrtcbin comes later as
  // answer_refused. Returns a description of what is wrong with the SDP, or empty.
  std::string set_answer(const std::string& sdp);
  void add_remote_candidate(unsigned mline_index, const std::string& candidate);
  // Sends on the "hid" data channel; dropped while the channel is not open.
  void send_input(const std::string& text);
  // The pipeline, for a PipelineReaper; the viewer is inert afterwards.
  ElementPtr take_pipeline();

  // What webrtcbin's threads hold on to; defined in viewer.cpp.
  struct Link;
  struct SendTiming;

 private:
  Viewer(std::uint64_t id, VideoCodec codec, ViewerEvents events);
  bool build(const config::WebrtcSettings& webrtc, std::string& error);
  void connect_callbacks();
  void add_header_extensions(bool zero_playout_delay);
  void time_sending(std::shared_ptr<StageTiming> capture_to_sent);
  bool open_input_channel(std::string& error);
  void on_input_open();
  void on_offer_created(GstWebRTCSessionDescription* offer);
  void on_connection_state(int state);
  void limit_retransmission_history();
  void watch_feedback();
  void watch_sending();
  void on_bus_message(GstMessage* message);

  std::uint64_t id_;
  VideoCodec codec_;
  ViewerEvents events_;
  std::shared_ptr<Link> link_;
  std::shared_ptr<SendTiming> send_timing_;
  ElementPtr pipeline_;
  ElementPtr appsrc_;
  ElementPtr webrtc_;
  GObjectPtr<GstWebRTCDataChannel> input_channel_;
  guint bus_watch_ = 0;
  bool offered_ = false;
  bool video_declined_ = false;
  Timer negotiation_deadline_;
  Timer send_watchdog_;
  SendStallDetector send_stall_;
};

}  // namespace kvmrtc::media
