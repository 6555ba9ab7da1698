#include "media/retransmission_budget.hpp"

namespace kvmrtc::media {
namespace {

constexpr auto kWindow = std::chrono::seconds(1);
constexpr double kAlwaysAllowedPerWindow = 10;

}  // namespace

RetransmissionBudget::RetransmissionBudget(double share, Clock::time_point start)
    : share_(share), samples_{{start, 0}} {}

bool RetransmissionBudget::allow(std::uint64_t media_packets, Clock::time_point now) {
  if (media_packets != samples_.back().media_packets) samples_.push_back({now, media_packets});
  // Keeps the newest sample at least a window old as the baseline.
  while (samples_.size() > 1 && now - samples_[1].at >= kWindow) samples_.pop_front();
  while (!resends_.empty() && now - resends_.front() >= kWindow) resends_.pop_front();
  const auto media_in_window = static_cast<double>(media_packets - samples_.front().media_packets);
  if (static_cast<double>(resends_.size()) >= kAlwaysAllowedPerWindow + share_ * media_in_window) {
    return false;
  }
  resends_.push_back(now);
  return true;
}

}  // namespace kvmrtc::media
