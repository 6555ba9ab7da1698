#include "media/keyframe_clock.hpp"

namespace kvmrtc::media {

bool KeyframeClock::frame_out(bool keyframe) {
  if (keyframe) {
    since_keyframe_ = 0;
    return false;
  }
  ++since_keyframe_;
  const int interval = interval_.load();
  // The keyframe is the interval-th frame after the last: ask as the one before it goes out.
  return interval > 0 && since_keyframe_ >= interval - 1 &&
         (since_keyframe_ - (interval - 1)) % interval == 0;
}

}  // namespace kvmrtc::media
