#include "media/rtp/remb.hpp"

#include <cstring>

namespace kvmrtc::media {

std::optional<std::uint64_t> parse_remb_bitrate(const std::uint8_t* fci, std::size_t size) {
  constexpr std::size_t kFixedPart = 8;
  if (fci == nullptr || size < kFixedPart || std::memcmp(fci, "REMB", 4) != 0) return std::nullopt;
  const std::size_t ssrc_count = fci[4];
  if (size < kFixedPart + 4 * ssrc_count) return std::nullopt;
  const unsigned exponent = fci[5] >> 2;
  const std::uint64_t mantissa = (std::uint64_t{fci[5] & 0x03u} << 16) | (fci[6] << 8) | fci[7];
  // An exponent this large overflows 64 bits; no link is that fast.
  if (exponent > 46) return std::nullopt;
  return mantissa << exponent;
}

}  // namespace kvmrtc::media
