// Capture-to-display measurement: each raw frame carries the wall-clock time it left the
// source, painted into its top-left corner as a row of black and white blocks that survive
// H.264, so a page on the same machine can read it back from the displayed frame
// (bench/latency.mjs). Only the benchmark's config turns it on: it costs a little CPU and
// shows on the picture.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

namespace kvmrtc::media {

inline constexpr int kStampTimeBits = 48;  // milliseconds since the epoch
inline constexpr int kStampCheckBits = 8;  // a check byte, so a garbled read is discarded
inline constexpr int kStampBits = kStampTimeBits + kStampCheckBits;
inline constexpr int kStampBlockPixels = 16;  // one macroblock: H.264 keeps it black or white

using StampBits = std::array<bool, kStampBits>;

// Bits in painting order (most significant first), the check byte last.
StampBits encode_stamp(std::uint64_t milliseconds);
std::optional<std::uint64_t> decode_stamp(const StampBits& bits);

}  // namespace kvmrtc::media
