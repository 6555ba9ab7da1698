#include "media/video_codec.hpp"

#include <catch2/catch.hpp>

using kvmrtc::media::choose_codec;
using kvmrtc::media::codec_from_name;
using kvmrtc::media::VideoCodec;

namespace {
const std::vector<VideoCodec> kDaemonOrder = {VideoCodec::kH264, VideoCodec::kVp8};
}

TEST_CASE("a browser with H.264 gets H.264, whatever order it lists its decoders in", "[codec]") {
  CHECK(choose_codec({"VP8", "VP9", "H264", "AV1"}, kDaemonOrder) == VideoCodec::kH264);
  CHECK(choose_codec({"h264", "vp8"}, kDaemonOrder) == VideoCodec::kH264);
}

TEST_CASE("a browser without H.264 (Firefox as Debian ships it) gets VP8", "[codec]") {
  CHECK(choose_codec({"VP8", "rtx", "VP9", "AV1", "ulpfec", "red"}, kDaemonOrder) ==
        VideoCodec::kVp8);
}

TEST_CASE("the daemon's order decides between codecs both sides have", "[codec]") {
  CHECK(choose_codec({"H264", "VP8"}, {VideoCodec::kVp8, VideoCodec::kH264}) == VideoCodec::kVp8);
}

TEST_CASE("a browser that lists nothing usable gets the daemon's first codec", "[codec]") {
  CHECK(choose_codec({}, kDaemonOrder) == VideoCodec::kH264);
  CHECK(choose_codec({"AV1", "VP9"}, kDaemonOrder) == VideoCodec::kH264);
  // VP8 turned off in the config: a VP8-only browser is offered H.264 and declines the video.
  CHECK(choose_codec({"VP8"}, {VideoCodec::kH264}) == VideoCodec::kH264);
}

TEST_CASE("codec names are SDP's, in any case", "[codec]") {
  CHECK(codec_from_name("vp8") == VideoCodec::kVp8);
  CHECK(codec_from_name("H264") == VideoCodec::kH264);
  CHECK_FALSE(codec_from_name("H265").has_value());
  CHECK_FALSE(codec_from_name("").has_value());
}
