#include "media/rtp/receiver_feedback.hpp"

#include <gst/rtp/rtp.h>

#include <catch2/catch.hpp>
#include <cstring>

#include "util/ref_ptr.hpp"

using kvmrtc::media::read_receiver_feedback;

using kvmrtc::BufferPtr;

namespace {

// A compound packet as Chromium sends it: a receiver report with one block per entry of
// `fractions_lost` (8-bit fixed point), then a REMB of `remb_bps` if that is not 0.
BufferPtr compound(std::initializer_list<guint8> fractions_lost, std::uint32_t remb_bps) {
  BufferPtr buffer(gst_rtcp_buffer_new(1400));
  GstRTCPBuffer rtcp = GST_RTCP_BUFFER_INIT;
  REQUIRE(gst_rtcp_buffer_map(buffer.get(), GST_MAP_READWRITE, &rtcp));
  GstRTCPPacket packet;
  REQUIRE(gst_rtcp_buffer_add_packet(&rtcp, GST_RTCP_TYPE_RR, &packet));
  gst_rtcp_packet_rr_set_ssrc(&packet, 1);
  guint32 ssrc = 100;
  for (guint8 fraction : fractions_lost) {
    REQUIRE(gst_rtcp_packet_add_rb(&packet, ssrc++, fraction, 10, 5000, 3, 0, 0));
  }
  if (remb_bps != 0) {
    REQUIRE(gst_rtcp_buffer_add_packet(&rtcp, GST_RTCP_TYPE_PSFB, &packet));
    gst_rtcp_packet_fb_set_type(&packet, GST_RTCP_PSFB_TYPE_AFB);
    gst_rtcp_packet_fb_set_sender_ssrc(&packet, 1);
    REQUIRE(gst_rtcp_packet_fb_set_fci_length(&packet, 3));
    guint8* fci = gst_rtcp_packet_fb_get_fci(&packet);
    // "REMB", one SSRC, exponent 0 and an 18-bit mantissa, the SSRC.
    const guint8 remb[12] = {'R',
                             'E',
                             'M',
                             'B',
                             1,
                             static_cast<guint8>(remb_bps >> 16),
                             static_cast<guint8>(remb_bps >> 8),
                             static_cast<guint8>(remb_bps),
                             0,
                             0,
                             0,
                             100};
    std::memcpy(fci, remb, sizeof remb);
  }
  gst_rtcp_buffer_unmap(&rtcp);
  return buffer;
}

}  // namespace

TEST_CASE("a receiver report and a REMB in one compound packet are both read", "[rtcp]") {
  const auto report = read_receiver_feedback(compound({64}, 200000).get());
  REQUIRE(report.estimate_bps);
  CHECK(*report.estimate_bps == 200000u);
  REQUIRE(report.fraction_lost);
  CHECK(*report.fraction_lost == Approx(0.25));
}

TEST_CASE("the worst report block counts", "[rtcp]") {
  const auto report = read_receiver_feedback(compound({0, 128, 26}, 0).get());
  CHECK_FALSE(report.estimate_bps);
  REQUIRE(report.fraction_lost);
  CHECK(*report.fraction_lost == Approx(0.5));
}

TEST_CASE("a report without blocks or REMB, or a buffer that is not RTCP, says nothing", "[rtcp]") {
  CHECK(read_receiver_feedback(compound({}, 0).get()).empty());
  const guint8 junk[] = {0xff, 0x00, 0x13, 0x37, 1, 2, 3, 4};
  BufferPtr garbage(gst_buffer_new_memdup(junk, sizeof junk));
  CHECK(read_receiver_feedback(garbage.get()).empty());
}
