// Picks the shared encoder's bitrate from every viewer's REMB feedback.
//
// The encoder is shared, so the slowest viewer sets the pace: the target is the smallest
// viewer allowance, within [min-bitrate, max-bitrate].
//
// A REMB figure is trusted only as a sign of congestion. On a mostly still desktop the
// encoder sends a fraction of its bitrate, and the browser's estimate follows what arrives
// (it never rises above 1.5 times that), so obeying it would starve the picture the moment it
// moves. So:
// - REMB below what the viewer was actually sent over the last second: the link is full, and
//   the allowance drops to 90 % of the estimate (room for RTP, SRTP, RTCP and input traffic).
// - Otherwise the allowance grows by 15 % a second, back towards max-bitrate.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>

namespace kvmrtc::media {

class BitratePolicy {
 public:
  using Clock = std::chrono::steady_clock;

  BitratePolicy(int min_kbps, int max_kbps, int start_kbps);

  // One REMB message from a viewer: its estimate, and how many bytes that viewer's pipeline
  // has sent in all (RTP packets as they leave the payloader).
  void feedback(std::uint64_t viewer, std::uint64_t estimate_bps, std::uint64_t bytes_sent,
                Clock::time_point now);
  // The viewer left. The last one to leave hands its allowance to the next to come.
  void forget(std::uint64_t viewer);

  int target_kbps() const;
  // The lowest of the viewers' latest estimates; 0 before any arrived.
  int lowest_estimate_kbps() const;

 private:
  struct Sample {
    Clock::time_point at;
    std::uint64_t bytes;
  };
  struct ViewerState {
    double allowance_kbps;
    double estimate_kbps = 0;
    std::deque<Sample> history;  // about the last second of byte counts
    Clock::time_point last_feedback;
  };

  static double sent_kbps(const ViewerState& state);

  int min_kbps_;
  int max_kbps_;
  int start_kbps_;
  std::map<std::uint64_t, ViewerState> viewers_;
};

}  // namespace kvmrtc::media
