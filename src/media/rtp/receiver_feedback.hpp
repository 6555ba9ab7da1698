// What a browser's compound RTCP packet says about the video it receives: its REMB bandwidth
// estimate (see remb.hpp) and, from its receiver report blocks, the share of packets lost since
// its previous report. Chromium sends one about five times a second.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <optional>

namespace kvmrtc::media {

struct ReceiverFeedback {
  std::optional<std::uint64_t> estimate_bps;
  // The highest "fraction lost" of the report blocks, 0 to 1.
  std::optional<double> fraction_lost;

  bool empty() const { return !estimate_bps && !fraction_lost; }
};

// Reads an RTCP compound packet; what it does not carry stays unset.
ReceiverFeedback read_receiver_feedback(GstBuffer* rtcp);

}  // namespace kvmrtc::media
