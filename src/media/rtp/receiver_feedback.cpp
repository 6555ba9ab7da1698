#include "media/rtp/receiver_feedback.hpp"

#include <gst/rtp/rtp.h>

#include <algorithm>

#include "media/rtp/remb.hpp"

namespace kvmrtc::media {
namespace {

void read_report_blocks(GstRTCPPacket* packet, ReceiverFeedback& feedback) {
  const guint blocks = gst_rtcp_packet_get_rb_count(packet);
  for (guint i = 0; i < blocks; ++i) {
    guint32 ssrc = 0, highest_sequence = 0, jitter = 0, last_sr = 0, delay_since_sr = 0;
    guint8 fraction_lost = 0;
    gint32 packets_lost = 0;
    gst_rtcp_packet_get_rb(packet, i, &ssrc, &fraction_lost, &packets_lost, &highest_sequence,
                           &jitter, &last_sr, &delay_since_sr);
    // An 8-bit fixed-point fraction (RFC 3550, 6.4.1).
    const double fraction = fraction_lost / 256.0;
    feedback.fraction_lost = std::max(feedback.fraction_lost.value_or(0), fraction);
  }
}

void read_remb(GstRTCPPacket* packet, ReceiverFeedback& feedback) {
  if (gst_rtcp_packet_fb_get_type(packet) != GST_RTCP_PSFB_TYPE_AFB) return;
  const guint8* fci = gst_rtcp_packet_fb_get_fci(packet);
  const std::size_t size = gst_rtcp_packet_fb_get_fci_length(packet) * 4u;
  if (fci == nullptr) return;
  if (const auto estimate = parse_remb_bitrate(fci, size)) feedback.estimate_bps = estimate;
}

}  // namespace

ReceiverFeedback read_receiver_feedback(GstBuffer* rtcp) {
  ReceiverFeedback feedback;
  GstRTCPBuffer buffer = GST_RTCP_BUFFER_INIT;
  if (!gst_rtcp_buffer_map(rtcp, GST_MAP_READ, &buffer)) return feedback;
  GstRTCPPacket packet;
  for (bool more = gst_rtcp_buffer_get_first_packet(&buffer, &packet); more;
       more = gst_rtcp_packet_move_to_next(&packet)) {
    switch (gst_rtcp_packet_get_type(&packet)) {
      case GST_RTCP_TYPE_RR:
      case GST_RTCP_TYPE_SR:
        read_report_blocks(&packet, feedback);
        break;
      case GST_RTCP_TYPE_PSFB:
        read_remb(&packet, feedback);
        break;
      default:
        break;
    }
  }
  gst_rtcp_buffer_unmap(&buffer);
  return feedback;
}

}  // namespace kvmrtc::media
