#include "web/viewer_session.hpp"

#include <gst/gst.h>

#include "util/log.hpp"
#include "util/main_context.hpp"

GST_DEBUG_CATEGORY_STATIC(signaling_debug);
#define GST_CAT_DEFAULT signaling_debug

namespace kvmrtc::web {
namespace {

constexpr gint64 kSilenceLimitUs = 15 * G_USEC_PER_SEC;
// Above our own protocol limit, so an oversized message still gets an answer; above this one
// libsoup closes the socket itself.
constexpr guint64 kSocketPayloadLimit = 1024 * 1024;

std::string frame_text(GBytes* message) {
  gsize size = 0;
  const auto* data = static_cast<const char*>(g_bytes_get_data(message, &size));
  return std::string(data, size);
}

}  // namespace

ViewerSession::ViewerSession(std::uint64_t id, SoupWebsocketConnection* connection,
                             Identity identity, media::VideoCodec codec, media::Producer& producer,
                             media::PipelineReaper& reaper, hid::InputHub& input,
                             const config::WebrtcSettings& webrtc,
                             const config::LimitsSettings& limits, Closed closed)
    : id_(id),
      connection_(add_ref(connection)),
      identity_(std::move(identity)),
      codec_(codec),
      producer_(producer),
      reaper_(reaper),
      input_(input),
      limits_(limits),
      closed_(std::move(closed)),
      last_heard_us_(g_get_monotonic_time()) {
  GST_DEBUG_CATEGORY_INIT(signaling_debug, "kvmrtc-signaling", 0,
                          "kvmrtc signaling messages, in and out");
  soup_websocket_connection_set_max_incoming_payload_size(connection, kSocketPayloadLimit);
  g_signal_connect(
      connection, "message",
      G_CALLBACK(+[](SoupWebsocketConnection*, gint type, GBytes* message, gpointer data) {
        auto* self = static_cast<ViewerSession*>(data);
        if (type != SOUP_WEBSOCKET_DATA_TEXT) {
          self->reject({"bad-json", "binary frames are not part of the protocol"});
          return;
        }
        self->on_message(frame_text(message));
      }),
      this);
  g_signal_connect(connection, "closed", G_CALLBACK(+[](SoupWebsocketConnection*, gpointer data) {
                     static_cast<ViewerSession*>(data)->close("the browser closed the socket");
                   }),
                   this);
  send(signaling::hello_message(std::to_string(id)));
  send_video_state();
  start_viewer(webrtc);
}

ViewerSession::~ViewerSession() {
  g_signal_handlers_disconnect_by_data(connection_.get(), this);
  if (soup_websocket_connection_get_state(connection_.get()) == SOUP_WEBSOCKET_STATE_OPEN) {
    soup_websocket_connection_close(connection_.get(), SOUP_WEBSOCKET_CLOSE_GOING_AWAY, nullptr);
  }
  stop_viewer();
}

void ViewerSession::start_viewer(const config::WebrtcSettings& webrtc) {
  media::ViewerEvents events;
  events.offer_ready = [this](const std::string& sdp) { send(signaling::offer_message(sdp)); };
  events.local_candidate = [this](unsigned mline_index, const std::string& candidate) {
    send(signaling::ice_message(candidate, mline_index));
  };
  events.answer_refused = [this](const std::string& why) {
    reject({"bad-sdp", "WebRTC refused the answer: " + why});
  };
  events.connected = [this] {
    producer_.fanout(codec_).mark_connected(id_);
    producer_.request_keyframe(codec_);
  };
  events.failed = [this](const std::string& why) { close(why); };
  // Nobody watches this viewer's frames: the producer need not encode them for it.
  events.video_declined = [this] { release_video(); };
  events.keyframe_wanted = [this] { producer_.request_keyframe(codec_); };
  events.input_open = [this] {
    for (const auto& message : input_.greeting()) send_input(message);
  };
  events.input_message = [this](const std::string& text) {
    // A viewer watches: its keys, clicks and pastes never reach the target, whatever its page
    // sends.
    if (identity_.may_type()) {
      input_.handle(id_, text);
    } else if (!told_input_ignored_) {
      told_input_ignored_ = true;
      log::warning(log_context(),
                   "viewer %" G_GUINT64_FORMAT " (%s, role viewer) sent input; ignored", id_,
                   who().c_str());
    }
  };
  events.input_closed = [this] { input_.release_viewer(id_); };
  events.bandwidth_feedback = [this](const media::ReceiverFeedback& report,
                                     std::uint64_t bytes_sent) {
    producer_.bandwidth_feedback(id_, report, bytes_sent);
  };

  std::string error;
  viewer_ = media::Viewer::create(id_, webrtc, codec_, std::move(events),
                                  producer_.capture_to_sent_ms(), error);
  if (viewer_) {
    log::info(log_context(), "viewer %" G_GUINT64_FORMAT " started for %s, gets %s", id_,
              who().c_str(), media::codec_name(codec_));
    producer_.fanout(codec_).add_sink(id_, viewer_->appsrc());
    producer_.acquire(codec_);
    holds_video_ = true;
    if (viewer_->start(error)) return;
  }
  log::error(log_context(), "viewer %" G_GUINT64_FORMAT ": %s", id_, error.c_str());
  close(error);
}

void ViewerSession::stop_viewer() {
  if (!viewer_) return;
  // Keys held by a browser that leaves must not stay down on the target.
  input_.forget_viewer(id_);
  release_video();
  reaper_.reap(viewer_->take_pipeline());
  viewer_.reset();
}

void ViewerSession::release_video() {
  if (!holds_video_) return;
  holds_video_ = false;
  producer_.fanout(codec_).remove_sink(id_);
  producer_.forget_bandwidth(id_);
  producer_.release(codec_);
}

void ViewerSession::keep_alive(gint64 now_us) {
  if (now_us - last_heard_us_ > kSilenceLimitUs) {
    close("the browser went silent");
    return;
  }
  send(signaling::ping_message());
}

void ViewerSession::send_video_state() {
  const media::VideoStatus status = producer_.status();
  signaling::VideoStateMessage state{
      status.state == "live" || status.state == "no-signal" ? status.state : "starting",
      status.width,
      status.height,
      status.framerate,
      codec_ == media::VideoCodec::kVp8 ? "vp8enc" : status.encoder,
      media::codec_name(codec_),
      status.message};
  send(signaling::state_message(state));
}

void ViewerSession::send_input(const std::string& text) {
  if (viewer_) viewer_->send_input(text);
}

void ViewerSession::close(const std::string& why) {
  if (closing_) return;
  closing_ = true;
  log::info(log_context(), "viewer %" G_GUINT64_FORMAT " closed (%s): %s", id_, who().c_str(),
            why.c_str());
  stop_viewer();
  // Destroying this session inside a signal of its own socket would pull the rug from libsoup.
  later_on_main([closed = closed_, id = id_] { closed(id); });
}

void ViewerSession::end_login_session() {
  if (soup_websocket_connection_get_state(connection_.get()) == SOUP_WEBSOCKET_STATE_OPEN) {
    soup_websocket_connection_close(connection_.get(), kSessionEndedCloseCode, "session ended");
  }
  close("its login session ended");
}

log::Context ViewerSession::log_context() const {
  return {id_, identity_.address, identity_.user};
}

std::string ViewerSession::who() const {
  if (identity_.session_id.empty()) return identity_.address + ", no login";
  return identity_.user + " at " + identity_.address;
}

void ViewerSession::on_message(const std::string& text) {
  GST_LOG("viewer %" G_GUINT64_FORMAT " <- %.300s", id_, text.c_str());
  last_heard_us_ = g_get_monotonic_time();
  if (closing_) return;
  handle(signaling::parse_client_message(text, static_cast<size_t>(limits_.message_bytes)));
}

void ViewerSession::handle(const signaling::ClientMessage& message) {
  if (const auto* error = std::get_if<signaling::ParseError>(&message)) {
    reject(*error);
    return;
  }
  const auto order = signaling::check_order(message, phase_);
  if (const auto* error = std::get_if<signaling::ParseError>(&order)) {
    reject(*error);
    return;
  }
  if (const auto* answer = std::get_if<signaling::Answer>(&message)) {
    const std::string problem = viewer_->set_answer(answer->sdp);
    if (!problem.empty()) {
      reject({"bad-sdp", problem});
      return;
    }
    phase_ = signaling::Phase::kAnswered;
  } else if (const auto* ice = std::get_if<signaling::IceCandidate>(&message)) {
    if (ice->candidate.empty()) return;
    // Each candidate costs libnice a check against every local one, and memory until the end.
    if (++remote_candidates_ > limits_.ice_candidates) {
      reject({"too-many-candidates", "more than " + std::to_string(limits_.ice_candidates) +
                                         " ICE candidates ([limits] ice-candidates); the rest "
                                         "are ignored"});
      return;
    }
    viewer_->add_remote_candidate(ice->mline_index, ice->candidate);
  } else if (std::holds_alternative<signaling::KeyframeRequest>(message)) {
    producer_.request_keyframe(codec_);
  } else if (const auto* clock = std::get_if<signaling::ClockRequest>(&message)) {
    send(signaling::clock_message(clock->sent_ms, static_cast<double>(g_get_real_time()) / 1000));
  }
}

void ViewerSession::reject(const signaling::ParseError& error) {
  log::rejected(log_context(), "viewer %" G_GUINT64_FORMAT ": rejected a message (%s): %s", id_,
                error.code.c_str(), error.message.c_str());
  send(signaling::error_message(error));
}

void ViewerSession::send(const std::string& text) {
  if (soup_websocket_connection_get_state(connection_.get()) != SOUP_WEBSOCKET_STATE_OPEN) return;
  GST_LOG("viewer %" G_GUINT64_FORMAT " -> %.300s", id_, text.c_str());
  soup_websocket_connection_send_text(connection_.get(), text.c_str());
}

}  // namespace kvmrtc::web
