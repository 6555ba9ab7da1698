// Puts a RetransmissionBudget in front of webrtcbin's rtprtxsend: the browser's requests to
// resend a packet (one upstream GstRTPRetransmissionRequest event per NACKed packet) that do not
// fit the budget are dropped before rtprtxsend sees them.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace kvmrtc::media {

// Every viewer's requests, answered and refused; shown in /api/status.
struct ResendCounts {
  std::atomic<std::uint64_t> resent{0};
  std::atomic<std::uint64_t> refused{0};
};

// `media_packets_sent` counts the stream's media packets so far; it is called on the thread
// that handles the browser's RTCP.
void limit_retransmissions(GstElement* rtx_sender,
                           std::function<std::uint64_t()> media_packets_sent,
                           std::shared_ptr<ResendCounts> counts);

}  // namespace kvmrtc::media
