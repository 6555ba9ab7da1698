#include "web/session_hub.hpp"

#include <chrono>

namespace kvmrtc::web {

SessionHub::SessionHub(media::Producer& producer, media::PipelineReaper& reaper,
                       config::WebrtcSettings webrtc)
    : producer_(producer), reaper_(reaper), webrtc_(std::move(webrtc)) {
  ping_timer_.start_repeating(std::chrono::seconds(5), [this] { ping_all(); });
}

SessionHub::~SessionHub() {
  close_all();
}

void SessionHub::open(SoupWebsocketConnection* connection) {
  const std::uint64_t id = next_id_++;
  sessions_.emplace(id, std::make_unique<ViewerSession>(
                            id, connection, producer_, reaper_, webrtc_,
                            [this](std::uint64_t closed_id) { sessions_.erase(closed_id); }));
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
  sessions_.clear();
}

void SessionHub::ping_all() {
  const gint64 now_us = g_get_monotonic_time();
  for (auto& [id, session] : sessions_) session->keep_alive(now_us);
}

}  // namespace kvmrtc::web
