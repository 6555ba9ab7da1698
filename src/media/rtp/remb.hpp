// The browser's estimate of the bandwidth it receives, from a REMB feedback message (RTCP PSFB,
// application layer feedback, draft-alvestrand-rmcat-remb). Chromium sends one about five times
// a second when the offer lists `goog-remb` and no transport-wide congestion control.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace kvmrtc::media {

// `fci`: the message's feedback control information ("REMB", SSRC count, 6-bit exponent and
// 18-bit mantissa, SSRCs). Bits per second, or nothing when it is not a well-formed REMB.
std::optional<std::uint64_t> parse_remb_bitrate(const std::uint8_t* fci, std::size_t size);

}  // namespace kvmrtc::media
