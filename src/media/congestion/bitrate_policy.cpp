#include "media/congestion/bitrate_policy.hpp"

#include <algorithm>
#include <cmath>

namespace kvmrtc::media {
namespace {

using namespace std::chrono_literals;

constexpr auto kRateWindow = 1s;
constexpr double kHeadroom = 0.9;
constexpr double kGrowthPerSecond = 1.15;
// A REMB just under the sent rate is measurement noise, not a full link.
constexpr double kCongestedBelow = 0.95;
// Chromium lowers its estimate only when it sees a queue grow, to 85 % of what arrives.
constexpr double kFallen = 0.99;
constexpr double kHeavyLoss = 0.10;
constexpr double kSomeLoss = 0.02;
// Chromium sends a report at least every 1.5 s (RTCP's randomised interval), and five a second
// once REMB runs.
constexpr auto kSilence = 3s;
constexpr auto kSilenceCutInterval = 1s;
constexpr double kSilenceCut = 0.8;
// After a loss the viewer's REMB is taken as the link's rate for this long: growing past it
// would only fill the queue again.
constexpr auto kCeilingAfterLoss = 10s;

}  // namespace

BitratePolicy::BitratePolicy(int min_kbps, int max_kbps, int start_kbps)
    : min_kbps_(min_kbps),
      max_kbps_(max_kbps),
      start_kbps_(std::clamp(start_kbps, min_kbps, max_kbps)) {}

std::optional<double> BitratePolicy::sent_kbps(const ViewerState& state) {
  if (state.history.size() < 2) return std::nullopt;
  const Sample& oldest = state.history.front();
  const Sample& newest = state.history.back();
  const double seconds = std::chrono::duration<double>(newest.at - oldest.at).count();
  if (seconds < 0.5) return std::nullopt;  // too short a span to tell a rate from one large frame
  return static_cast<double>(newest.bytes - oldest.bytes) * 8 / 1000 / seconds;
}

void BitratePolicy::feedback(std::uint64_t viewer, const ReceiverFeedback& report,
                             std::uint64_t bytes_sent, Clock::time_point now) {
  auto [found, added] =
      viewers_.try_emplace(viewer, ViewerState{static_cast<double>(target_kbps()), 0, {}, now});
  ViewerState& state = found->second;
  state.history.push_back({now, bytes_sent});
  while (state.history.size() > 2 && now - state.history[1].at >= kRateWindow) {
    state.history.pop_front();
  }
  const std::optional<double> measured = sent_kbps(state);
  bool cut = false;
  bool hold = false;
  if (report.estimate_bps) {
    const double estimate_kbps = static_cast<double>(*report.estimate_bps) / 1000;
    const bool fell = !added && estimate_kbps < state.estimate_kbps * kFallen;
    state.estimate_kbps = estimate_kbps;
    if (fell && measured && estimate_kbps < *measured * kCongestedBelow) {
      state.allowance_kbps = std::min(state.allowance_kbps, estimate_kbps * kHeadroom);
      cut = true;
    }
  }
  if (report.fraction_lost) {
    const double lost = *report.fraction_lost;
    // Not for REMB: a still desktop's first estimates are far below what the encoder was told.
    const double sent_or_told = measured.value_or(state.allowance_kbps);
    if (lost > kHeavyLoss && sent_or_told > 0) {
      state.allowance_kbps = std::min(state.allowance_kbps, sent_or_told * (1 - lost / 2));
      cut = true;
    }
    hold = lost > kSomeLoss;
    if (hold) state.last_loss = now;
  }
  if (!cut && !hold && !added) {
    const double seconds =
        std::min(1.0, std::chrono::duration<double>(now - state.last_feedback).count());
    double grown = state.allowance_kbps * std::pow(kGrowthPerSecond, seconds);
    if (state.last_loss && now - *state.last_loss < kCeilingAfterLoss && state.estimate_kbps > 0) {
      grown = std::min(grown, std::max(state.allowance_kbps, state.estimate_kbps * kHeadroom));
    }
    state.allowance_kbps = grown;
  }
  state.allowance_kbps = std::clamp(state.allowance_kbps, static_cast<double>(min_kbps_),
                                    static_cast<double>(max_kbps_));
  state.last_feedback = now;
}

bool BitratePolicy::check_silence(Clock::time_point now, Clock::time_point sending_since) {
  bool cut = false;
  for (auto& [id, state] : viewers_) {
    if (now - std::max(state.last_feedback, sending_since) < kSilence ||
        now - state.last_silence_cut < kSilenceCutInterval) {
      continue;
    }
    state.allowance_kbps =
        std::max(static_cast<double>(min_kbps_), state.allowance_kbps * kSilenceCut);
    state.last_silence_cut = now;
    cut = true;
  }
  return cut;
}

void BitratePolicy::forget(std::uint64_t viewer) {
  auto found = viewers_.find(viewer);
  if (found == viewers_.end()) return;
  // A page that reconnects is most likely on the same link: starting it at the configured
  // bitrate again would congest a slow link before any feedback arrives (some 5 s).
  if (viewers_.size() == 1)
    start_kbps_ = static_cast<int>(std::lround(found->second.allowance_kbps));
  viewers_.erase(found);
}

void BitratePolicy::set_range(int min_kbps, int max_kbps, int start_kbps) {
  min_kbps_ = min_kbps;
  max_kbps_ = max_kbps;
  start_kbps_ = std::clamp(start_kbps, min_kbps, max_kbps);
  for (auto& [id, state] : viewers_) state.allowance_kbps = start_kbps_;
}

int BitratePolicy::target_kbps() const {
  if (viewers_.empty()) return start_kbps_;
  double slowest = max_kbps_;
  for (const auto& [id, state] : viewers_) slowest = std::min(slowest, state.allowance_kbps);
  return static_cast<int>(std::lround(slowest));
}

int BitratePolicy::lowest_estimate_kbps() const {
  double lowest = 0;
  for (const auto& [id, state] : viewers_) {
    if (lowest == 0 || state.estimate_kbps < lowest) lowest = state.estimate_kbps;
  }
  return static_cast<int>(std::lround(lowest));
}

}  // namespace kvmrtc::media
