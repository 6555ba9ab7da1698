#include "web/session_hub.hpp"

#include <algorithm>
#include <chrono>

namespace kvmrtc::web {

SessionHub::SessionHub(media::Producer& producer, media::PipelineReaper& reaper,
                       hid::InputHub& input, config::WebrtcSettings webrtc)
    : producer_(producer), reaper_(reaper), input_(input) {
  set_webrtc(std::move(webrtc));
  input_.set_outputs(
      [this](std::uint64_t viewer, const std::string& message) {
        const auto found = sessions_.find(viewer);
        if (found != sessions_.end()) found->second->send_input(message);
      },
      [this](const std::string& message) {
        for (auto& [id, session] : sessions_) session->send_input(message);
      });
  ping_timer_.start_repeating(std::chrono::seconds(5), [this] { ping_all(); });
}

SessionHub::~SessionHub() {
  close_all();
  input_.set_outputs(nullptr, nullptr);
}

void SessionHub::set_webrtc(config::WebrtcSettings webrtc) {
  webrtc_ = std::move(webrtc);
  sendable_.clear();
  for (const auto& name : webrtc_.codecs) {
    if (const auto codec = media::codec_from_name(name)) sendable_.push_back(*codec);
  }
}

void SessionHub::set_limits(int max_viewers, const config::LimitsSettings& limits) {
  max_viewers_ = max_viewers;
  limits_ = limits;
}

void SessionHub::page_requested() {
  producer_.warm_up();
}

void SessionHub::open(SoupWebsocketConnection* connection,
                      const std::vector<std::string>& browser_codecs,
                      std::optional<Identity> identity) {
  if (!identity) {
    soup_websocket_connection_close(connection, kSessionEndedCloseCode, "session ended");
    return;
  }
  if (viewer_count() >= static_cast<std::size_t>(max_viewers_)) {
    // Told why, and no pipeline built: forty sockets from one page once made forty of them.
    log::rejected(log::Context{0, identity->address, identity->user},
                  "a viewer for %s refused: %d watch already ([server] max-viewers)",
                  identity->address.c_str(), max_viewers_);
    const std::string refusal = signaling::error_message(
        {"too-many-viewers", "kvmrtc serves at most " + std::to_string(max_viewers_) +
                                 " viewers at once ([server] max-viewers); close another page"});
    soup_websocket_connection_send_text(connection, refusal.c_str());
    soup_websocket_connection_close(connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                    "too many viewers");
    return;
  }
  const std::uint64_t id = next_id_++;
  const media::VideoCodec codec = media::choose_codec(browser_codecs, sendable_);
  sessions_.emplace(
      id, std::make_unique<ViewerSession>(
              id, connection, std::move(*identity), codec, producer_, reaper_, input_, webrtc_,
              limits_, [this](std::uint64_t closed_id) { sessions_.erase(closed_id); }));
}

void SessionHub::end_sessions(const std::vector<std::string>& session_ids) {
  for (auto& [id, session] : sessions_) {
    const std::string& session_id = session->identity().session_id;
    if (std::find(session_ids.begin(), session_ids.end(), session_id) != session_ids.end()) {
      session->end_login_session();
    }
  }
}

std::vector<std::string> SessionHub::sessions_in_use() const {
  std::vector<std::string> ids;
  for (const auto& [id, session] : sessions_) ids.push_back(session->identity().session_id);
  return ids;
}

std::size_t SessionHub::viewer_count() const {
  std::size_t count = 0;
  for (const auto& [id, session] : sessions_) count += session->has_viewer() ? 1 : 0;
  return count;
}

void SessionHub::broadcast_video_state() {
  for (auto& [id, session] : sessions_) session->send_video_state();
}

void SessionHub::close_all() {
  // A closing session calls back into the hub (its removal, the keys it releases going to the
  // others): the map must not be the one being destroyed while that happens.
  auto closing = std::move(sessions_);
  sessions_.clear();
  closing.clear();
}

void SessionHub::ping_all() {
  const gint64 now_us = g_get_monotonic_time();
  for (auto& [id, session] : sessions_) session->keep_alive(now_us);
}

}  // namespace kvmrtc::web
