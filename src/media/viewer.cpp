#include "media/viewer.hpp"

#include <gst/app/gstappsrc.h>
#include <gst/rtp/rtp.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

#include "media/declined_sections.hpp"
#include "media/latency/capture_time.hpp"
#include "media/rtp/capture_time_extension.hpp"
#include "media/rtp/playout_delay_extension.hpp"
#include "media/rtp/send_time_extension.hpp"
#include "media/webrtc_setup.hpp"
#include "util/log.hpp"
#include "util/main_context.hpp"
#include "util/post_bound.hpp"

GST_DEBUG_CATEGORY_STATIC(viewer_debug);
#define GST_CAT_DEFAULT viewer_debug

namespace kvmrtc::media {
namespace {

using namespace std::chrono_literals;
using SessionDescriptionPtr =
    Owned<GstWebRTCSessionDescription, gst_webrtc_session_description_free>;
using SdpMessagePtr = Owned<GstSDPMessage, gst_sdp_message_free>;

// ICE and DTLS over a LAN or a TURN relay finish within a few seconds. A negotiation that has
// not finished by then is stuck: the viewer is closed, and the page starts over with a new one
// instead of showing "Connecting…" indefinitely.
constexpr auto kNegotiationDeadline = 10s;

// A connected viewer that sends nothing for this many checks while frames wait is closed; the
// page reconnects at once instead of waiting for its own no-picture deadline (8 s).
constexpr auto kSendCheckInterval = 1s;
constexpr int kSendChecksToStall = 2;

// Input messages and RTCP packets of one browser waiting for the main loop: a page sends at most
// a few hundred a second, which the loop runs in milliseconds; more wait only when it stalls.
constexpr int kPeerMessagesWaiting = 256;

constexpr guint kPlayoutDelayExtensionId = 1;
constexpr guint kCaptureTimeExtensionId = 2;
constexpr guint kSendTimeExtensionId = 3;

// The offer's fmtp comes from the payloader, which reads profile and level from the stream's
// SPS: constrained baseline (the producer's encoder caps see to that) at the level the
// resolution needs, e.g. 42c028 for 1080p30. Pinning 42e01f here would refuse any stream above
// 720p30.
constexpr const char* kH264Payloading =
    "appsrc name=src is-live=true format=time min-latency=0 "
    "caps=video/x-h264,stream-format=byte-stream,alignment=au "
    "! rtph264pay name=pay config-interval=-1 aggregate-mode=zero-latency mtu=1200 pt=96 "
    "! application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000,"
    "rtcp-fb-goog-remb=true ";
// A 15-bit picture id lets the browser tell which frame a lost packet belonged to.
constexpr const char* kVp8Payloading =
    "appsrc name=src is-live=true format=time min-latency=0 caps=video/x-vp8 "
    "! rtpvp8pay name=pay picture-id-mode=15-bit mtu=1200 pt=96 "
    "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000,"
    "rtcp-fb-goog-remb=true ";

std::string viewer_launch(VideoCodec codec) {
  return std::string(codec == VideoCodec::kVp8 ? kVp8Payloading : kH264Payloading) +
         "! webrtcbin name=webrtc bundle-policy=balanced";
}

}  // namespace

// It outlives the Viewer while a callback is in flight.
struct Viewer::Link {
  Viewer* viewer;  // null once the viewer is gone; read on the main loop only
  // What the browser sends many of (input messages, RTCP) waits for the main loop within this.
  PostBound from_peer{kPeerMessagesWaiting};
};

namespace {

using LinkPtr = std::shared_ptr<Viewer::Link>;

gpointer share(const LinkPtr& link) {
  return new LinkPtr(link);
}
void unshare(gpointer data, GClosure* = nullptr) {
  delete static_cast<LinkPtr*>(data);
}
const LinkPtr& shared(gpointer data) {
  return *static_cast<LinkPtr*>(data);
}

// Runs `work` on the main loop with the viewer, if it still exists by then.
void on_viewer(const LinkPtr& link, std::function<void(Viewer&)> work) {
  run_on_main([link, work = std::move(work)] {
    if (link->viewer != nullptr) work(*link->viewer);
  });
}

// The same for a message the browser may send any number of: dropped while the viewer already
// has kPeerMessagesWaiting of them waiting.
void on_viewer_from_peer(const LinkPtr& link, std::function<void(Viewer&)> work) {
  link->from_peer.post([link, work = std::move(work)] {
    if (link->viewer != nullptr) work(*link->viewer);
  });
}

}  // namespace

Viewer::Viewer(std::uint64_t id, VideoCodec codec, ViewerEvents events)
    : id_(id),
      codec_(codec),
      events_(std::move(events)),
      link_(std::make_shared<Link>(Link{this})),
      send_stall_(kSendChecksToStall) {}

std::unique_ptr<Viewer> Viewer::create(std::uint64_t id, const config::WebrtcSettings& webrtc,
                                       VideoCodec codec, ViewerEvents events,
                                       std::shared_ptr<StageTiming> capture_to_sent,
                                       std::string& error) {
  GST_DEBUG_CATEGORY_INIT(viewer_debug, "kvmrtc-viewer", 0, "kvmrtc viewer pipelines");
  std::unique_ptr<Viewer> viewer(new Viewer(id, codec, std::move(events)));
  if (!viewer->build(webrtc, error)) return nullptr;
  viewer->add_header_extensions(webrtc.zero_playout_delay);
  viewer->time_sending(std::move(capture_to_sent));
  return viewer;
}

Viewer::~Viewer() {
  link_->viewer = nullptr;
  if (const auto dropped = link_->from_peer.dropped(); dropped > 0) {
    log::warning(log::Context{id_, "", ""},
                 "viewer %" G_GUINT64_FORMAT ": %" G_GUINT64_FORMAT
                 " input or RTCP messages dropped while the main loop was behind",
                 id_, dropped);
  }
  if (bus_watch_ != 0) g_source_remove(bus_watch_);
}

bool Viewer::build(const config::WebrtcSettings& webrtc, std::string& error) {
  GError* raw_error = nullptr;
  pipeline_ = ElementPtr(gst_parse_launch(viewer_launch(codec_).c_str(), &raw_error));
  ErrorPtr parse_error(raw_error);
  if (parse_error) {
    error = std::string("viewer pipeline: ") + parse_error->message;
    return false;
  }
  appsrc_ = ElementPtr(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "src"));
  webrtc_ = ElementPtr(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "webrtc"));

  if (!configure_webrtcbin(webrtc_.get(), webrtc, error)) return false;
  connect_callbacks();
  return true;
}

namespace {

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

void Viewer::connect_callbacks() {
  g_signal_connect_data(
      webrtc_.get(), "on-negotiation-needed", G_CALLBACK(+[](GstElement* webrtc, gpointer data) {
        const LinkPtr& link = shared(data);
        PromisePtr promise(gst_promise_new_with_change_func(
            [](GstPromise* done, gpointer inner) {
              const GstStructure* reply = gst_promise_get_reply(done);
              GstWebRTCSessionDescription* offer = nullptr;
              if (reply != nullptr) {
                gst_structure_get(reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer,
                                  nullptr);
              }
              std::shared_ptr<GstWebRTCSessionDescription> owned(
                  offer, [](GstWebRTCSessionDescription* description) {
                    if (description != nullptr) gst_webrtc_session_description_free(description);
                  });
              on_viewer(shared(inner),
                        [owned](Viewer& viewer) { viewer.on_offer_created(owned.get()); });
            },
            share(link), [](gpointer inner) { unshare(inner); }));
        g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise.get());
      }),
      share(link_), unshare, GConnectFlags(0));

  g_signal_connect_data(
      webrtc_.get(), "on-ice-candidate",
      G_CALLBACK(+[](GstElement*, guint mline_index, gchar* candidate, gpointer data) {
        std::string text = candidate;
        on_viewer(shared(data), [mline_index, text](Viewer& viewer) {
          viewer.events_.local_candidate(mline_index, text);
        });
      }),
      share(link_), unshare, GConnectFlags(0));

  g_signal_connect_data(webrtc_.get(), "notify::connection-state",
                        G_CALLBACK(+[](GstElement* webrtc, GParamSpec*, gpointer data) {
                          GstWebRTCPeerConnectionState state;
                          g_object_get(webrtc, "connection-state", &state, nullptr);
                          on_viewer(shared(data),
                                    [state](Viewer& viewer) { viewer.on_connection_state(state); });
                        }),
                        share(link_), unshare, GConnectFlags(0));

  // PLI and FIR from the browser arrive as upstream force-key-unit events.
  PadPtr src_pad(gst_element_get_static_pad(appsrc_.get(), "src"));
  gst_pad_add_probe(
      src_pad.get(), GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      [](GstPad*, GstPadProbeInfo* info, gpointer data) -> GstPadProbeReturn {
        if (gst_video_event_is_force_key_unit(GST_PAD_PROBE_INFO_EVENT(info))) {
          on_viewer(shared(data), [](Viewer& viewer) { viewer.events_.keyframe_wanted(); });
        }
        return GST_PAD_PROBE_OK;
      },
      share(link_), [](gpointer data) { unshare(data); });

  BusPtr bus(gst_element_get_bus(pipeline_.get()));
  bus_watch_ = gst_bus_add_watch(
      bus.get(),
      [](GstBus*, GstMessage* message, gpointer data) -> gboolean {
        static_cast<Viewer*>(data)->on_bus_message(message);
        return G_SOURCE_CONTINUE;
      },
      this);
}

bool Viewer::start(std::string& error) {
  // FrameFanout stamps frames against this clock.
  ClockPtr clock(gst_system_clock_obtain());
  gst_pipeline_use_clock(GST_PIPELINE(pipeline_.get()), clock.get());
  // The data channel must exist before the offer, and webrtcbin takes one only from READY on.
  if (gst_element_set_state(pipeline_.get(), GST_STATE_READY) == GST_STATE_CHANGE_FAILURE) {
    error = "the viewer pipeline refused to get ready";
    return false;
  }
  if (!open_input_channel(error)) return false;
  if (gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    error = "the viewer pipeline refused to start";
    return false;
  }
  GST_DEBUG("viewer %" G_GUINT64_FORMAT " started, waiting for caps to offer", id_);
  negotiation_deadline_.start_once(kNegotiationDeadline, [this] {
    events_.failed("the browser did not connect within " +
                   std::to_string(kNegotiationDeadline.count()) + " s");
  });
  return true;
}

bool Viewer::open_input_channel(std::string& error) {
  GstStructure* options = gst_structure_new("options", "ordered", G_TYPE_BOOLEAN, TRUE, nullptr);
  GstWebRTCDataChannel* channel = nullptr;
  g_signal_emit_by_name(webrtc_.get(), "create-data-channel", "hid", options, &channel);
  gst_structure_free(options);
  if (channel == nullptr) {
    error = "webrtcbin refused to create the input data channel";
    return false;
  }
  input_channel_ = GObjectPtr<GstWebRTCDataChannel>(channel);
  g_signal_connect_data(channel, "on-open", G_CALLBACK(+[](GstWebRTCDataChannel*, gpointer data) {
                          on_viewer(shared(data), [](Viewer& viewer) { viewer.on_input_open(); });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  g_signal_connect_data(channel, "on-close", G_CALLBACK(+[](GstWebRTCDataChannel*, gpointer data) {
                          on_viewer(shared(data),
                                    [](Viewer& viewer) { viewer.events_.input_closed(); });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  g_signal_connect_data(channel, "on-message-string",
                        G_CALLBACK(+[](GstWebRTCDataChannel*, gchar* text, gpointer data) {
                          std::string message = text != nullptr ? text : "";
                          on_viewer_from_peer(shared(data),
                                              [message = std::move(message)](Viewer& viewer) {
                                                viewer.events_.input_message(message);
                                              });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  return true;
}

void Viewer::on_input_open() {
  // Without video webrtcbin never calls the connection connected (its video transport stays
  // new): the open input channel is what shows that the browser is there.
  if (video_declined_) negotiation_deadline_.cancel();
  events_.input_open();
}

void Viewer::send_input(const std::string& text) {
  if (!input_channel_) return;
  GstWebRTCDataChannelState state;
  g_object_get(input_channel_.get(), "ready-state", &state, nullptr);
  // 1.22 leaks every message sent on a channel that is not open.
  if (state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) return;
  gst_webrtc_data_channel_send_string(input_channel_.get(), text.c_str());
}

void Viewer::on_offer_created(GstWebRTCSessionDescription* offer) {
  if (offer == nullptr) {
    events_.failed("webrtcbin could not create an offer");
    return;
  }
  // The daemon negotiates once. An answer that declines the video makes webrtcbin ask again,
  // for a section the browser has just said it cannot take.
  if (offered_) {
    GST_DEBUG("viewer %" G_GUINT64_FORMAT ": no second offer", id_);
    return;
  }
  offered_ = true;
  GST_DEBUG("viewer %" G_GUINT64_FORMAT " offer created", id_);
  g_signal_emit_by_name(webrtc_.get(), "set-local-description", offer, nullptr);
  CharPtr sdp(gst_sdp_message_as_text(offer->sdp));
  events_.offer_ready(sdp.get());
}

std::string Viewer::set_answer(const std::string& sdp) {
  GstSDPMessage* raw_message = nullptr;
  if (gst_sdp_message_new_from_text(sdp.c_str(), &raw_message) != GST_SDP_OK) {
    return "the answer's SDP does not parse";
  }
  SdpMessagePtr message(raw_message);
  if (gst_sdp_message_medias_len(message.get()) == 0) {
    return "the answer's SDP has no media section";
  }
  for (const auto& media : complete_declined_sections(message.get())) {
    log::info(log::Context{id_, "", ""},
              "viewer %" G_GUINT64_FORMAT ": the browser declined the %s (it cannot decode %s)",
              id_, media.c_str(), media == "video" ? codec_name(codec_) : "it");
    if (media == "video") {
      video_declined_ = true;
      events_.video_declined();
    }
  }
  SessionDescriptionPtr answer(
      gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, message.release()));
  PromisePtr promise(gst_promise_new_with_change_func(
      [](GstPromise* done, gpointer data) {
        const GstStructure* reply = gst_promise_get_reply(done);
        GError* raw_error = nullptr;
        if (reply != nullptr && gst_structure_has_field(reply, "error")) {
          gst_structure_get(reply, "error", G_TYPE_ERROR, &raw_error, nullptr);
        }
        if (raw_error == nullptr) return;
        ErrorPtr error(raw_error);
        std::string why = error->message;
        on_viewer(shared(data), [why](Viewer& viewer) { viewer.events_.answer_refused(why); });
      },
      share(link_), [](gpointer data) { unshare(data); }));
  g_signal_emit_by_name(webrtc_.get(), "set-remote-description", answer.get(), promise.get());
  return "";
}

void Viewer::add_remote_candidate(unsigned mline_index, const std::string& candidate) {
  g_signal_emit_by_name(webrtc_.get(), "add-ice-candidate", mline_index, candidate.c_str());
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

void Viewer::on_connection_state(int state) {
  GST_DEBUG("viewer %" G_GUINT64_FORMAT " connection state %d", id_, state);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && negotiation_deadline_.active()) {
    negotiation_deadline_.cancel();
    // Input only: no media to watch, no keyframe to ask for.
    if (video_declined_) return;
    watch_feedback();
    watch_sending();
    events_.connected();
  }
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED) {
    events_.failed("the WebRTC connection failed");
  }
}

void Viewer::on_bus_message(GstMessage* message) {
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_LATENCY) {
    gst_bin_recalculate_latency(GST_BIN(pipeline_.get()));
    return;
  }
  if (GST_MESSAGE_TYPE(message) != GST_MESSAGE_ERROR) return;
  GError* raw_error = nullptr;
  gst_message_parse_error(message, &raw_error, nullptr);
  ErrorPtr error(raw_error);
  events_.failed(std::string("viewer pipeline error: ") + error->message);
}

ElementPtr Viewer::take_pipeline() {
  link_->viewer = nullptr;
  negotiation_deadline_.cancel();
  send_watchdog_.cancel();
  if (bus_watch_ != 0) g_source_remove(bus_watch_);
  bus_watch_ = 0;
  return std::move(pipeline_);
}

}  // namespace kvmrtc::media
