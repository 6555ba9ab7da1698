#include "media/keyframe_policy.hpp"

namespace kvmrtc::media {

KeyframePolicy::Decision KeyframePolicy::request(Clock::time_point now) {
  if (deferred_) return {Action::kAlreadyDeferred};
  const auto since_last = now - last_sent_;
  if (!sent_once_ || since_last >= min_interval_) {
    sent_once_ = true;
    last_sent_ = now;
    return {Action::kSendNow};
  }
  deferred_ = true;
  return {Action::kDefer, std::chrono::ceil<std::chrono::milliseconds>(min_interval_ - since_last)};
}

void KeyframePolicy::deferred_due(Clock::time_point now) {
  deferred_ = false;
  sent_once_ = true;
  last_sent_ = now;
}

}  // namespace kvmrtc::media
