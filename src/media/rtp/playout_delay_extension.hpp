// Chromium's jitter buffer holds each frame for a delay it derives from network jitter unless the
// sender bounds it. The playout-delay RTP header extension with min = max = 0 asks it to render
// every frame as soon as it is decoded: whoever drives a remote console steers by what they see,
// so latency matters more to them than smooth motion.
#pragma once

#include <gst/rtp/rtp.h>

#include <optional>
#include <utility>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

inline constexpr const char* kPlayoutDelayUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";

// An extension that puts the delay bounds on every packet. The wire carries each bound in 12
// bits of 10 ms, so they are rounded to 10 ms and capped at 40950 ms.
GstObjectPtr<GstRTPHeaderExtension> make_playout_delay_extension(unsigned min_ms, unsigned max_ms);

// The {min_ms, max_ms} a playout-delay payload holds, or nothing unless it is exactly 3 bytes.
std::optional<std::pair<unsigned, unsigned>> parse_playout_delay(const guint8* data, gsize size);

}  // namespace kvmrtc::media
