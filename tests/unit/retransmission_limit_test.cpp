#include "media/retransmission_limit.hpp"

#include <gst/rtp/rtp.h>

#include <catch2/catch.hpp>
#include <memory>

#include "stop_on_exit.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::ElementPtr;
using kvmrtc::PadPtr;
using kvmrtc::media::limit_retransmissions;
using kvmrtc::media::ResendCounts;

namespace {

constexpr guint kSsrc = 0x1234;

GstBuffer* media_packet(guint16 seqnum) {
  GstBuffer* packet = gst_rtp_buffer_new_allocate(100, 0, 0);
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  gst_rtp_buffer_map(packet, GST_MAP_WRITE, &rtp);
  gst_rtp_buffer_set_payload_type(&rtp, 96);
  gst_rtp_buffer_set_ssrc(&rtp, kSsrc);
  gst_rtp_buffer_set_seq(&rtp, seqnum);
  gst_rtp_buffer_set_timestamp(&rtp, seqnum * 3000u);
  gst_rtp_buffer_unmap(&rtp);
  GST_BUFFER_PTS(packet) = seqnum * 33 * GST_MSECOND;
  return packet;
}

// What the RTP session sends upstream when the browser NACKs a packet.
GstEvent* retransmission_request(guint seqnum) {
  return gst_event_new_custom(
      GST_EVENT_CUSTOM_UPSTREAM,
      gst_structure_new("GstRTPRetransmissionRequest", "seqnum", G_TYPE_UINT, seqnum, "ssrc",
                        G_TYPE_UINT, kSsrc, nullptr));
}

}  // namespace

TEST_CASE("rtprtxsend gets only the requests that fit the resend budget", "[resend]") {
  ElementPtr pipeline(gst_parse_launch(
      "rtprtxsend name=rtx payload-type-map=\"application/x-rtp-pt-map,96=(uint)97\" "
      "! fakesink sync=false async=false",
      nullptr));
  REQUIRE(pipeline);
  StopOnExit stop{pipeline.get()};
  ElementPtr rtx(gst_bin_get_by_name(GST_BIN(pipeline.get()), "rtx"));
  constexpr std::uint64_t kMediaPackets = 20;
  auto counts = std::make_shared<ResendCounts>();
  limit_retransmissions(
      rtx.get(), [] { return kMediaPackets; }, counts);
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_SUCCESS);

  // Fed from this thread, so rtprtxsend holds every packet before the requests come.
  PadPtr feeder(gst_pad_new("feeder", GST_PAD_SRC));
  PadPtr rtx_sink(gst_element_get_static_pad(rtx.get(), "sink"));
  REQUIRE(gst_pad_link(feeder.get(), rtx_sink.get()) == GST_PAD_LINK_OK);
  gst_pad_set_active(feeder.get(), TRUE);
  gst_pad_push_event(feeder.get(), gst_event_new_stream_start("resends"));
  gst_pad_push_event(feeder.get(),
                     gst_event_new_caps(GST_CAPS_CAST(gst_caps_from_string(
                         "application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,"
                         "payload=96"))));
  GstSegment segment;
  gst_segment_init(&segment, GST_FORMAT_TIME);
  gst_pad_push_event(feeder.get(), gst_event_new_segment(&segment));
  for (guint16 seqnum = 0; seqnum < kMediaPackets; ++seqnum) {
    REQUIRE(gst_pad_push(feeder.get(), media_packet(seqnum)) == GST_FLOW_OK);
  }

  // Every packet asked for five times, as a browser on a full link does.
  PadPtr rtx_src(gst_element_get_static_pad(rtx.get(), "src"));
  for (int round = 0; round < 5; ++round) {
    for (guint seqnum = 0; seqnum < kMediaPackets; ++seqnum) {
      gst_pad_send_event(rtx_src.get(), retransmission_request(seqnum));
    }
  }

  // 10 always, and one per media packet sent in the last second.
  CHECK(counts->resent.load() == 10 + kMediaPackets);
  CHECK(counts->refused.load() == 5 * kMediaPackets - (10 + kMediaPackets));
  guint seen = 0;
  g_object_get(rtx.get(), "num-rtx-requests", &seen, nullptr);
  CHECK(seen == 10 + kMediaPackets);
}
