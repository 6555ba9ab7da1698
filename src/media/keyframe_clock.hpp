// Periodic keyframes counted by the producer, not set in the encoder: x264enc takes its
// key-int-max only when it is built, and `[video] keyframe-interval` changes on a reload while
// people watch. The encoder is built with no interval of its own.
#pragma once

#include <atomic>

namespace kvmrtc::media {

class KeyframeClock {
 public:
  explicit KeyframeClock(int interval_frames) : interval_(interval_frames) {}

  // From any thread; counts from the last keyframe, so a shorter interval may ask at once.
  void set_interval(int frames) { interval_.store(frames); }
  int interval() const { return interval_.load(); }

  // On the encoder's streaming thread, for each frame it puts out: whether to ask it now for
  // a keyframe, so that the frame it encodes next is one. A request the encoder missed (its
  // valve was closed) is made again an interval later.
  bool frame_out(bool keyframe);

 private:
  std::atomic<int> interval_;
  int since_keyframe_ = 0;
};

}  // namespace kvmrtc::media
