// Chromium estimates the bandwidth it reports in REMB from how the spacing of packet groups
// grows on the way. Without the abs-send-time RTP header extension it has only the RTP
// timestamps, which carry the capture and encoding times, not the sending: a queue that fills
// then hides in that noise (on the shaped link its estimate held at 3.2 Mbit/s while half the
// packets were lost). With it, each packet carries the time it was sent.
#pragma once

#include <gst/rtp/rtp.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

inline constexpr const char* kSendTimeUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

// abs-send-time's 24 bits: seconds in 6.18 fixed point, wrapping every 64 s. Only differences
// count, so any steady clock serves.
constexpr guint32 abs_send_time(gint64 monotonic_us) {
  constexpr guint64 kUsPerSecond = 1'000'000;
  constexpr guint64 kWrapUs = 64 * kUsPerSecond;
  const guint64 within = static_cast<guint64>(monotonic_us) % kWrapUs;
  return static_cast<guint32>(((within << 18) + kUsPerSecond / 2) / kUsPerSecond) & 0xFFFFFF;
}

// An extension that writes the time each packet is made, on every packet: the payloader makes
// them as it sends them.
GstObjectPtr<GstRTPHeaderExtension> make_send_time_extension();

}  // namespace kvmrtc::media
