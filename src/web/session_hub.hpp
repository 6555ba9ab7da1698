// All viewer sessions: creates one per WebSocket, keeps them alive or closes silent ones, and
// tells them when the video state changes.
#pragma once

#include <libsoup/soup.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "hid/input_hub.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/producer.hpp"
#include "util/timer.hpp"
#include "web/access_control.hpp"
#include "web/viewer_session.hpp"

namespace kvmrtc::web {

class SessionHub {
 public:
  SessionHub(media::Producer& producer, media::PipelineReaper& reaper, hid::InputHub& input,
             config::WebrtcSettings webrtc);
  ~SessionHub();

  // `browser_codecs`: the decoders the page listed (signaling::parse_codec_list); `identity`:
  // who opened it, nothing when the session ended before the socket was up.
  void open(SoupWebsocketConnection* connection, const std::vector<std::string>& browser_codecs,
            std::optional<Identity> identity);
  // Closes every socket opened with these sessions, and its viewer.
  void end_sessions(const std::vector<std::string>& session_ids);
  // The sessions that have a socket open.
  std::vector<std::string> sessions_in_use() const;
  // The page was served: its viewer is on the way.
  void page_requested();
  std::size_t viewer_count() const;
  void broadcast_video_state();
  void close_all();
  // WebRTC settings for the viewers that connect from now on (a config reload).
  void set_webrtc(config::WebrtcSettings webrtc);
  // Limits (a config reload): the viewer count for the next page, the others at once.
  void set_limits(int max_viewers, const config::LimitsSettings& limits);

 private:
  void ping_all();

  media::Producer& producer_;
  media::PipelineReaper& reaper_;
  hid::InputHub& input_;
  config::WebrtcSettings webrtc_;
  int max_viewers_ = 8;
  config::LimitsSettings limits_;
  std::vector<media::VideoCodec> sendable_;  // webrtc_.codecs
  std::map<std::uint64_t, std::unique_ptr<ViewerSession>> sessions_;
  std::uint64_t next_id_ = 1;
  Timer ping_timer_;
};

}  // namespace kvmrtc::web
