// What a viewer sends, and when: its RTP header extensions, the time from capture to a frame's
// last packet, the bytes sent, the packets kept for retransmission, the browser's RTCP
// feedback, and the watch for a webrtcbin that takes frames but sends nothing.
#include <gst/app/gstappsrc.h>
#include <gst/rtp/rtp.h>

#include "media/elements_by_factory.hpp"
#include "media/latency/capture_time.hpp"
#include "media/rtp/capture_time_extension.hpp"
#include "media/rtp/playout_delay_extension.hpp"
#include "media/rtp/send_time_extension.hpp"
#include "media/viewer_link.hpp"

namespace kvmrtc::media {
namespace {

using namespace std::chrono_literals;
using namespace viewer_link;

constexpr guint kPlayoutDelayExtensionId = 1;
constexpr guint kCaptureTimeExtensionId = 2;
constexpr guint kSendTimeExtensionId = 3;

constexpr auto kSendCheckInterval = 1s;

// webrtcbin keeps the last 500 packets of a stream for retransmission, however old. At a low bit
// rate that is many seconds of video, each packet holding its whole frame: about 5 MB a viewer
// at 640x360, reached only after a minute of playing (tests/e2e/faults.test.mjs, long form). A
// packet the browser asks for again after a second comes too late for the frame it belonged to.
constexpr guint kRetransmissionHistoryMs = 1000;

// The RTP marker bit flags a frame's last packet.
bool is_last_of_frame(GstBuffer* packet) {
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  if (!gst_rtp_buffer_map(packet, GST_MAP_READ, &rtp)) return false;
  const bool marker = gst_rtp_buffer_get_marker(&rtp);
  gst_rtp_buffer_unmap(&rtp);
  return marker;
}

}  // namespace

// What the payloader's two probes share with the viewer. The probes run on one streaming
// thread, between them a frame's packets leave.
struct Viewer::SendTiming {
  std::shared_ptr<StageTiming> capture_to_sent;
  std::optional<gint64> frame_captured_us;
  std::atomic<std::uint64_t> bytes_sent{0};  // read on the main loop for congestion control
};

void Viewer::add_header_extensions(bool zero_playout_delay) {
  ElementPtr pay(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "pay"));
  const auto add = [&pay](const GstObjectPtr<GstRTPHeaderExtension>& extension, guint id) {
    gst_rtp_header_extension_set_id(extension.get(), id);
    g_signal_emit_by_name(pay.get(), "add-extension", extension.get());
  };
  if (zero_playout_delay) add(make_playout_delay_extension(0, 0), kPlayoutDelayExtensionId);
  // The capture time of each frame, which the page's latency meter reads as `captureTime`.
  add(make_capture_time_extension(), kCaptureTimeExtensionId);
  // The send time of each packet, from which the browser's REMB estimate sees a queue grow.
  add(make_send_time_extension(), kSendTimeExtensionId);
}

void Viewer::time_sending(std::shared_ptr<StageTiming> capture_to_sent) {
  ElementPtr pay(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "pay"));
  send_timing_ = std::make_shared<SendTiming>();
  send_timing_->capture_to_sent = std::move(capture_to_sent);
  auto* shared_timing = new std::shared_ptr<SendTiming>(send_timing_);
  auto release = [](gpointer data) { delete static_cast<std::shared_ptr<SendTiming>*>(data); };
  PadPtr sink(gst_element_get_static_pad(pay.get(), "sink"));
  gst_pad_add_probe(
      sink.get(), GST_PAD_PROBE_TYPE_BUFFER,
      [](GstPad*, GstPadProbeInfo* info, gpointer data) -> GstPadProbeReturn {
        auto& shared_timing = *static_cast<std::shared_ptr<SendTiming>*>(data);
        shared_timing->frame_captured_us = capture_time_us(GST_PAD_PROBE_INFO_BUFFER(info));
        return GST_PAD_PROBE_OK;
      },
      shared_timing, release);
  PadPtr src(gst_element_get_static_pad(pay.get(), "src"));
  gst_pad_add_probe(
      src.get(),
      static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
      [](GstPad*, GstPadProbeInfo* info, gpointer data) -> GstPadProbeReturn {
        auto& timing = *static_cast<std::shared_ptr<SendTiming>*>(data);
        // A frame in several packets comes as one list.
        GstBuffer* last = nullptr;
        if ((GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) != 0) {
          GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
          const guint length = gst_buffer_list_length(list);
          if (length == 0) return GST_PAD_PROBE_OK;
          timing->bytes_sent.fetch_add(gst_buffer_list_calculate_size(list));
          last = gst_buffer_list_get(list, length - 1);
        } else {
          last = GST_PAD_PROBE_INFO_BUFFER(info);
          timing->bytes_sent.fetch_add(gst_buffer_get_size(last));
        }
        if (timing->frame_captured_us && is_last_of_frame(last)) {
          timing->capture_to_sent->add(
              static_cast<double>(g_get_real_time() - *timing->frame_captured_us) / 1000.0);
        }
        return GST_PAD_PROBE_OK;
      },
      new std::shared_ptr<SendTiming>(send_timing_), release);
}

void Viewer::limit_retransmission_history() {
  for_each_element_made_by(GST_BIN(webrtc_.get()), "rtprtxsend", [](GstElement* rtx) {
    g_object_set(rtx, "max-size-time", kRetransmissionHistoryMs, nullptr);
  });
}

void Viewer::watch_feedback() {
  ElementPtr rtpbin(gst_bin_get_by_name(GST_BIN(webrtc_.get()), "rtpbin"));
  if (!rtpbin) return;
  GObject* raw_session = nullptr;
  // With max-bundle, all media share session 0.
  g_signal_emit_by_name(rtpbin.get(), "get-internal-session", 0u, &raw_session);
  GObjectPtr<GObject> session(raw_session);
  if (!session) return;
  // Every compound RTCP packet the browser sends, before the session handles it: REMB and
  // receiver reports travel together.
  g_signal_connect_data(
      session.get(), "on-receiving-rtcp", G_CALLBACK(+[](GObject*, GstBuffer* rtcp, gpointer data) {
        const ReceiverFeedback report = read_receiver_feedback(rtcp);
        if (report.empty()) return;
        on_viewer_from_peer(shared(data), [report](Viewer& viewer) {
          viewer.events_.bandwidth_feedback(report, viewer.send_timing_->bytes_sent.load());
        });
      }),
      share(link_), unshare, GConnectFlags(0));
}

void Viewer::watch_sending() {
  send_watchdog_.start_repeating(kSendCheckInterval, [this] {
    const guint64 queued = gst_app_src_get_current_level_buffers(GST_APP_SRC(appsrc_.get()));
    if (send_stall_.check(queued, send_timing_->bytes_sent.load())) {
      send_watchdog_.cancel();
      events_.failed("webrtcbin sends nothing though the connection is up");
    }
  });
}

}  // namespace kvmrtc::media
