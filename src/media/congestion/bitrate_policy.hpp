// Picks the shared encoder's bitrate from every viewer's REMB feedback.
//
// The encoder is shared, so the slowest viewer sets the pace: the target is the smallest
// viewer allowance, within [min-bitrate, max-bitrate].
//
// A REMB figure is trusted only as a sign of congestion. On a mostly still desktop the
// encoder sends a fraction of its bitrate, and the browser's estimate follows what arrives
// (it never rises above 1.5 times that), so obeying it would starve the picture the moment it
// moves. So:
// - REMB lower than the viewer's previous one, and below what it was actually sent over the
//   last second: the link is full, and the allowance drops to 90 % of the estimate (room for
//   RTP, SRTP, RTCP and input traffic). Chromium lowers its estimate only when it sees a queue
//   grow. One that holds or rises below what is sent is following a stream that sends less
//   than its bitrate (a still desktop, then a burst of motion or a keyframe) or catching up
//   with a link that has room (about 8 % a second): no reason to cut.
// - More than 10 % of the packets lost since the browser's last report: a queue overflowed
//   (REMB sees delay, not loss, and a queue that stays full shows no more growing delay). The
//   allowance drops to what was sent less half the loss, as libwebrtc's senders do. A viewer's
//   first report comes before a sending rate can be measured; there, what the encoder was told
//   stands for it. On a slow link that first report (some 2 s in, before any REMB) is the
//   first sign that the configured bitrate does not fit, and the picture waits until it does.
// - 2 to 10 % lost: the allowance holds.
// - For 10 s after a report of more than 2 % lost, the allowance grows no further than 90 % of
//   the viewer's REMB. The browser's estimate is trusted as the link's rate here because the
//   packets carry their send time (media/rtp/send_time_extension.hpp) and a loss says the link is
//   full: growing past it only refills the queue. Without a recent loss a still desktop's low
//   estimate must not hold the bitrate down, so the ceiling lapses.
// - No report at all for 3 s (the browser sends one at least every 1.5 s): the link is so full
//   that the reports themselves are lost. The allowance drops by 20 % each second until they
//   return.
// - Otherwise the allowance grows by 15 % a second, back towards max-bitrate.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "media/rtp/receiver_feedback.hpp"

namespace kvmrtc::media {

class BitratePolicy {
 public:
  using Clock = std::chrono::steady_clock;

  BitratePolicy(int min_kbps, int max_kbps, int start_kbps);

  // One RTCP report from a viewer, and how many bytes that viewer's pipeline has sent in all
  // (RTP packets as they leave the payloader).
  void feedback(std::uint64_t viewer, const ReceiverFeedback& report, std::uint64_t bytes_sent,
                Clock::time_point now);
  // Cuts the allowance of viewers whose reports stopped; true when any was cut. Silence counts
  // from `sending_since` at the earliest: while the source is down nothing is sent to report on.
  bool check_silence(Clock::time_point now, Clock::time_point sending_since);
  // The viewer left. The last one to leave hands its allowance to the next to come.
  void forget(std::uint64_t viewer);

  // New bounds and a new start (a config reload): every viewer's allowance starts over from
  // `start_kbps`, as the owner asked for that rate now; feedback steers it from there.
  void set_range(int min_kbps, int max_kbps, int start_kbps);

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
    Clock::time_point last_silence_cut;
    std::optional<Clock::time_point> last_loss;  // the last report of more than 2 % lost
  };

  // Over about the last second; nullopt until the span is long enough to tell.
  static std::optional<double> sent_kbps(const ViewerState& state);

  int min_kbps_;
  int max_kbps_;
  int start_kbps_;
  std::map<std::uint64_t, ViewerState> viewers_;
};

}  // namespace kvmrtc::media
