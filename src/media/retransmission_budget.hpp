// Decides which of the browser's NACKs a viewer answers with a retransmission (RTX).
//
// On a link that is already full, resending every lost packet feeds the queue that lost it.
// The browser asks again for each packet still missing about once a round trip, and webrtcbin's
// rtprtxsend resends every time: on loopback shaped to 1500 kbit/s, 700 to 1000 resends every
// half second against some 240 media packets a second, each packet asked for 3 or 4 times
// (bench/RESULTS.md). The media then lost 54-84 % of its packets even after congestion control
// had cut the bitrate to 500 kbit/s, and stayed lost until the resends faded out.
//
// So resends get a budget, as libwebrtc's senders have: over the last second, at most a share
// of the media packets sent plus a few a second that are always allowed (a still desktop sends
// a packet a frame, and its rare loss must still be repaired). A request beyond it is dropped;
// the browser asks again, or asks for a keyframe.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>

namespace kvmrtc::media {

class RetransmissionBudget {
 public:
  using Clock = std::chrono::steady_clock;

  // `share` of the media packets; counting starts at `start`, with no media packet sent.
  RetransmissionBudget(double share, Clock::time_point start);

  // One request; `media_packets` counts every media packet sent so far. True when the packet
  // may be resent, which then counts against the budget.
  bool allow(std::uint64_t media_packets, Clock::time_point now);

 private:
  struct Sample {
    Clock::time_point at;
    std::uint64_t media_packets;
  };

  double share_;
  std::deque<Sample> samples_;  // the oldest is the baseline of the last second
  std::deque<Clock::time_point> resends_;
};

}  // namespace kvmrtc::media
