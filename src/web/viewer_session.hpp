// One browser: its signaling WebSocket and its viewer pipeline, born and gone together.
#pragma once

#include <libsoup/soup.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "hid/input_hub.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/producer.hpp"
#include "media/viewer.hpp"
#include "signaling/messages.hpp"
#include "util/log.hpp"
#include "util/ref_ptr.hpp"
#include "web/access_control.hpp"

namespace kvmrtc::web {

// The close code of a socket whose login session ended: the page goes to the login page
// instead of reconnecting.
inline constexpr gushort kSessionEndedCloseCode = 4401;

class ViewerSession {
 public:
  using Closed = std::function<void(std::uint64_t id)>;

  ViewerSession(std::uint64_t id, SoupWebsocketConnection* connection, Identity identity,
                media::VideoCodec codec, media::Producer& producer, media::PipelineReaper& reaper,
                hid::InputHub& input, const config::WebrtcSettings& webrtc,
                const config::LimitsSettings& limits, Closed closed);
  ~ViewerSession();
  ViewerSession(const ViewerSession&) = delete;
  ViewerSession& operator=(const ViewerSession&) = delete;

  bool has_viewer() const { return viewer_ != nullptr; }
  const Identity& identity() const { return identity_; }
  // Its login session ended: closes the socket with kSessionEndedCloseCode, and the viewer.
  void end_login_session();
  // Sends a ping, or closes the socket when the browser has been silent too long.
  void keep_alive(gint64 now_us);
  void send_video_state();
  // A message for the page on the "hid" data channel.
  void send_input(const std::string& text);
  void close(const std::string& why);

 private:
  void start_viewer(const config::WebrtcSettings& webrtc);
  void stop_viewer();
  void release_video();
  void on_message(const std::string& text);
  void handle(const signaling::ClientMessage& message);
  void reject(const signaling::ParseError& error);
  void send(const std::string& text);

  std::string who() const;  // "alice at 192.0.2.7", for the log
  // The journal's fields for this viewer's lines (KVMRTC_VIEWER, KVMRTC_ADDRESS, KVMRTC_USER).
  log::Context log_context() const;

  std::uint64_t id_;
  GObjectPtr<SoupWebsocketConnection> connection_;
  Identity identity_;
  media::VideoCodec codec_;
  media::Producer& producer_;
  media::PipelineReaper& reaper_;
  hid::InputHub& input_;
  const config::LimitsSettings& limits_;  // the hub's: a reload changes them for every session
  Closed closed_;
  std::unique_ptr<media::Viewer> viewer_;
  signaling::Phase phase_ = signaling::Phase::kAwaitingAnswer;
  gint64 last_heard_us_;
  bool closing_ = false;
  bool holds_video_ = false;  // a fanout sink and a producer user
  bool told_input_ignored_ = false;
  int remote_candidates_ = 0;
};

}  // namespace kvmrtc::web
