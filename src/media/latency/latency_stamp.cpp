#include "media/latency/latency_stamp.hpp"

namespace kvmrtc::media {
namespace {

// The sum of the six time bytes, inverted so that an all-black row (a lost stamp) never checks.
std::uint8_t check_byte(std::uint64_t milliseconds) {
  unsigned sum = 0;
  for (int shift = 0; shift < kStampTimeBits; shift += 8) sum += (milliseconds >> shift) & 0xff;
  return static_cast<std::uint8_t>(~sum);
}

}  // namespace

StampBits encode_stamp(std::uint64_t milliseconds) {
  StampBits bits{};
  for (int i = 0; i < kStampTimeBits; ++i) {
    bits[i] = ((milliseconds >> (kStampTimeBits - 1 - i)) & 1) != 0;
  }
  const std::uint8_t check = check_byte(milliseconds);
  for (int i = 0; i < kStampCheckBits; ++i) {
    bits[kStampTimeBits + i] = ((check >> (kStampCheckBits - 1 - i)) & 1) != 0;
  }
  return bits;
}

std::optional<std::uint64_t> decode_stamp(const StampBits& bits) {
  std::uint64_t milliseconds = 0;
  for (int i = 0; i < kStampTimeBits; ++i) milliseconds = (milliseconds << 1) | (bits[i] ? 1 : 0);
  unsigned check = 0;
  for (int i = 0; i < kStampCheckBits; ++i)
    check = (check << 1) | (bits[kStampTimeBits + i] ? 1 : 0);
  if (check != check_byte(milliseconds)) return std::nullopt;
  return milliseconds;
}

}  // namespace kvmrtc::media
