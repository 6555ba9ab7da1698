#include "media/latency/latency_stamp.hpp"

#include <catch2/catch.hpp>

using namespace kvmrtc::media;

TEST_CASE("a stamp decodes to the milliseconds it was made from", "[stamp]") {
  for (const std::uint64_t milliseconds :
       {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1795478400123},
        (std::uint64_t{1} << kStampTimeBits) - 1}) {
    CHECK(decode_stamp(encode_stamp(milliseconds)) == milliseconds);
  }
}

TEST_CASE("the time is painted most significant bit first", "[stamp]") {
  const StampBits bits = encode_stamp(std::uint64_t{1} << (kStampTimeBits - 1));
  CHECK(bits[0]);
  for (int i = 1; i < kStampTimeBits; ++i) CHECK_FALSE(bits[i]);
}

TEST_CASE("a stamp with any one bit misread is rejected", "[stamp]") {
  const StampBits good = encode_stamp(1795478400123);
  for (int i = 0; i < kStampBits; ++i) {
    StampBits bad = good;
    bad[i] = !bad[i];
    INFO("bit " << i);
    CHECK_FALSE(decode_stamp(bad).has_value());
  }
}

TEST_CASE("a frame without a stamp (all black or all white) is not read as one", "[stamp]") {
  StampBits black{};
  StampBits white{};
  white.fill(true);
  CHECK_FALSE(decode_stamp(black).has_value());
  CHECK_FALSE(decode_stamp(white).has_value());
}
