#include "media/congestion/send_stall.hpp"

namespace kvmrtc::media {

bool SendStallDetector::check(std::uint64_t queued_frames, std::uint64_t bytes_sent) {
  const bool nothing_left = last_bytes_ && *last_bytes_ == bytes_sent;
  stalled_checks_ = queued_frames > 0 && nothing_left ? stalled_checks_ + 1 : 0;
  last_bytes_ = bytes_sent;
  return stalled_checks_ >= checks_to_stall_;
}

}  // namespace kvmrtc::media
