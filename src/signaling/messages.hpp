// The WebSocket signaling protocol (docs/protocol.md): parsing what the browser sends and
// writing what the daemon sends. Pure functions over text.
#pragma once

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace kvmrtc::signaling {

inline constexpr size_t kMaxMessageBytes = 64 * 1024;

struct Answer {
  std::string sdp;
};
struct IceCandidate {
  std::string candidate;  // empty: the browser's end-of-candidates
  unsigned mline_index = 0;
};
struct Pong {};
struct KeyframeRequest {};
// The page's clock reading (ms); the daemon answers with its own, so the page can relate the
// capture times in the video (the daemon's clock) to its own display times.
struct ClockRequest {
  double sent_ms = 0;
};

struct ParseError {
  std::string code;  // see docs/protocol.md "Error codes"
  std::string message;
};

using ClientMessage =
    std::variant<Answer, IceCandidate, Pong, KeyframeRequest, ClockRequest, ParseError>;

// `max_bytes`: `[limits] message-bytes`; a longer text is `too-large`, unparsed.
ClientMessage parse_client_message(const std::string& text, size_t max_bytes = kMaxMessageBytes);

// The viewer's negotiation phase, which decides whether a well-formed message is in order.
enum class Phase { kAwaitingAnswer, kAnswered };

// A ParseError when `message` may not come in `phase`, else nothing.
std::variant<std::monostate, ParseError> check_order(const ClientMessage& message, Phase phase);

struct VideoStateMessage {
  std::string video;  // starting, live, no-signal
  int width = 0;
  int height = 0;
  int framerate = 0;
  std::string encoder;
  std::string codec;  // what this viewer's video is sent in: H264, VP8
  std::string message;
};

// The decoders a page lists in the signaling URL (`/api/ws?codecs=VP8,H264`, its order): at
// most kMaxListedCodecs names of letters, digits and '-', others skipped.
inline constexpr size_t kMaxListedCodecs = 16;
std::vector<std::string> parse_codec_list(const std::string& text);

std::string hello_message(const std::string& viewer_id);
std::string state_message(const VideoStateMessage& state);
std::string offer_message(const std::string& sdp);
std::string ice_message(const std::string& candidate, unsigned mline_index);
std::string ping_message();
// `daemon_ms`: the daemon's wall clock, ms since the Unix epoch.
std::string clock_message(double sent_ms, double daemon_ms);
std::string error_message(const ParseError& error);

}  // namespace kvmrtc::signaling
