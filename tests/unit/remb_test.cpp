#include "media/rtp/remb.hpp"

#include <catch2/catch.hpp>
#include <vector>

using kvmrtc::media::parse_remb_bitrate;

namespace {

// The FCI of a REMB for one SSRC, with the bitrate written as exponent and 18-bit mantissa.
std::vector<std::uint8_t> remb(unsigned exponent, std::uint32_t mantissa, int ssrcs = 1) {
  std::vector<std::uint8_t> fci = {'R', 'E', 'M', 'B', static_cast<std::uint8_t>(ssrcs)};
  fci.push_back(static_cast<std::uint8_t>((exponent << 2) | (mantissa >> 16)));
  fci.push_back(static_cast<std::uint8_t>(mantissa >> 8));
  fci.push_back(static_cast<std::uint8_t>(mantissa));
  for (int i = 0; i < ssrcs * 4; ++i) fci.push_back(static_cast<std::uint8_t>(i));
  return fci;
}

}  // namespace

TEST_CASE("a REMB's bitrate is its mantissa shifted by its exponent", "[remb]") {
  const auto small = remb(0, 1000);
  CHECK(parse_remb_bitrate(small.data(), small.size()) == 1000u);
  // 1 500 000 bit/s as Chromium writes it: the mantissa must fit 18 bits.
  const auto chromium = remb(3, 187500);
  CHECK(parse_remb_bitrate(chromium.data(), chromium.size()) == 1500000u);
  const auto widest = remb(6, 0x3ffff, 3);
  CHECK(parse_remb_bitrate(widest.data(), widest.size()) == std::uint64_t{0x3ffff} << 6);
}

TEST_CASE("anything but a whole REMB is not read as one", "[remb]") {
  auto other = remb(0, 1000);
  other[0] = 'X';
  CHECK_FALSE(parse_remb_bitrate(other.data(), other.size()));
  const auto cut = remb(0, 1000);
  CHECK_FALSE(parse_remb_bitrate(cut.data(), 7));
  // It says two SSRCs follow but carries one.
  auto short_list = remb(0, 1000, 1);
  short_list[4] = 2;
  CHECK_FALSE(parse_remb_bitrate(short_list.data(), short_list.size()));
  CHECK_FALSE(parse_remb_bitrate(nullptr, 0));
  const auto huge = remb(63, 1);
  CHECK_FALSE(parse_remb_bitrate(huge.data(), huge.size()));
}
