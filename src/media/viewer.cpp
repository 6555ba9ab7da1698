#include "media/viewer.hpp"

#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

#include "media/viewer_link.hpp"
#include "media/webrtc_setup.hpp"
#include "util/log.hpp"

GST_DEBUG_CATEGORY(viewer_debug);
#define GST_CAT_DEFAULT viewer_debug

namespace kvmrtc::media {
namespace {

using namespace viewer_link;

using namespace std::chrono_literals;

// ICE and DTLS over a LAN or a TURN relay finish within a few seconds. A negotiation that has
// not finished by then is stuck: the viewer is closed, and the page starts over with a new one
// instead of showing "Connecting…" indefinitely.
constexpr auto kNegotiationDeadline = 10s;

// A connected viewer that sends nothing for this many checks (viewer_send_timing.cpp) while
// frames wait is closed; the page reconnects at once instead of waiting for its own no-picture
// deadline (8 s).
constexpr int kSendChecksToStall = 2;

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

void Viewer::on_connection_state(int state) {
  GST_DEBUG("viewer %" G_GUINT64_FORMAT " connection state %d", id_, state);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && negotiation_deadline_.active()) {
    negotiation_deadline_.cancel();
    // Input only: no media to watch, no keyframe to ask for.
    if (video_declined_) return;
    limit_retransmission_history();
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
  gchar* raw_debug = nullptr;
  gst_message_parse_error(message, &raw_error, &raw_debug);
  ErrorPtr error(raw_error);
  CharPtr debug(raw_debug);
  // The element and its details: GStreamer's own text ("Could not write to resource.") names
  // neither.
  events_.failed(std::string("viewer pipeline error from ") + GST_MESSAGE_SRC_NAME(message) + ": " +
                 error->message + (debug ? std::string(" (") + debug.get() + ")" : ""));
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
