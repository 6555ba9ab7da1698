// Tells a viewer pipeline that has stopped taking frames: the browser is connected but gets no
// RTP, and the page would wait for its own no-picture deadline. A viewer whose appsrc holds
// frames while nothing leaves its payloader is stuck, not slow. The one cause seen so far, a
// first frame stamped before the viewer's base time (media/frame_fanout.cpp), is fixed; this
// stays as the safety net for a stall in webrtcbin itself.
#pragma once

#include <cstdint>
#include <optional>

namespace kvmrtc::media {

class SendStallDetector {
 public:
  explicit SendStallDetector(int checks_to_stall) : checks_to_stall_(checks_to_stall) {}

  // One periodic check: frames waiting in the viewer's appsrc, and the bytes its payloader has
  // sent in all. True once frames waited and nothing was sent for `checks_to_stall` checks in a
  // row. With no frames waiting (no signal, a still source between frames) it never stalls.
  bool check(std::uint64_t queued_frames, std::uint64_t bytes_sent);

 private:
  int checks_to_stall_;
  int stalled_checks_ = 0;
  std::optional<std::uint64_t> last_bytes_;
};

}  // namespace kvmrtc::media
