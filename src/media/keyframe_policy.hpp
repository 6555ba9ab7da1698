// Rate limit for keyframe requests: a join or a PLI gets a keyframe at once, but a burst of them
// (many viewers, a browser sending PLI per lost packet) costs the encoder at most one keyframe
// per interval. A request inside the interval is deferred, never dropped, so every viewer that
// asked gets its keyframe.
#pragma once

#include <chrono>

namespace kvmrtc::media {

class KeyframePolicy {
 public:
  using Clock = std::chrono::steady_clock;

  enum class Action { kSendNow, kDefer, kAlreadyDeferred };
  struct Decision {
    Action action;
    std::chrono::milliseconds delay{0};  // with kDefer: when to call deferred_due()
  };

  explicit KeyframePolicy(std::chrono::milliseconds min_interval) : min_interval_(min_interval) {}

  Decision request(Clock::time_point now);
  // The deferred request's time has come: send it now.
  void deferred_due(Clock::time_point now);

 private:
  std::chrono::milliseconds min_interval_;
  Clock::time_point last_sent_{};
  bool sent_once_ = false;
  bool deferred_ = false;
};

}  // namespace kvmrtc::media
