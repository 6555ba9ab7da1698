// The benchmark's yardstick: the plainest webrtcbin sender there is, one pipeline per browser
// (source → encoder → payloader → webrtcbin), with no shared producer, fan-out or appsrc. It
// reads kvmrtc's config and speaks its signaling protocol, so the same page and the same
// measurement run against both, and a figure can be stated as a ratio to this one.
#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/webrtc/webrtc.h>
#include <libsoup/soup.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "config/launch.hpp"
#include "config/preset.hpp"
#include "media/encoder_choice.hpp"
#include "media/encoder_probe.hpp"
#include "media/latency/capture_time.hpp"
#include "media/latency/stamp_painter.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/webrtc_setup.hpp"
#include "signaling/messages.hpp"
#include "util/main_context.hpp"
#include "util/ref_ptr.hpp"
#include "util/timer.hpp"
#include "web/static_files.hpp"

namespace {

using namespace kvmrtc;

struct Sender {
  GObjectPtr<SoupWebsocketConnection> socket;
  ElementPtr pipeline;
  ElementPtr webrtc;
};

class ReferenceServer {
 public:
  ReferenceServer(config::Config config, std::string launch, web::StaticFiles files)
      : config_(std::move(config)), launch_(std::move(launch)), files_(std::move(files)) {
    soup_server_add_handler(
        server_.get(), "/",
        [](SoupServer*, SoupServerMessage* message, const char* path, GHashTable*, gpointer data) {
          static_cast<ReferenceServer*>(data)->serve_file(message, path);
        },
        this, nullptr);
    soup_server_add_websocket_handler(
        server_.get(), "/api/ws", nullptr, nullptr,
        [](SoupServer*, SoupServerMessage*, const char*, SoupWebsocketConnection* socket,
           gpointer data) { static_cast<ReferenceServer*>(data)->accept(socket); },
        this, nullptr);
    ping_.start_repeating(std::chrono::seconds(5), [this] {
      for (const auto& [id, sender] : senders_) send(id, signaling::ping_message());
    });
  }

  std::string listen(std::string& error) {
    GObjectPtr<GSocketAddress> address(g_inet_socket_address_new_from_string(
        config_.server.address.c_str(), static_cast<guint>(config_.server.port)));
    GError* raw_error = nullptr;
    if (!address || !soup_server_listen(server_.get(), address.get(),
                                        static_cast<SoupServerListenOptions>(0), &raw_error)) {
      ErrorPtr owned(raw_error);
      error = owned ? owned->message : "bad address";
      return "";
    }
    GSList* uris = soup_server_get_uris(server_.get());
    CharPtr url(g_uri_to_string(static_cast<GUri*>(uris->data)));
    g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
    return url.get();
  }

 private:
  void serve_file(SoupServerMessage* message, const char* path) {
    const web::StaticFile* file = files_.find(path);
    soup_server_message_set_status(message, file ? SOUP_STATUS_OK : SOUP_STATUS_NOT_FOUND, nullptr);
    // libsoup 3.2 leaks idle keep-alive connections (see web/server.cpp).
    soup_message_headers_replace(soup_server_message_get_response_headers(message), "Connection",
                                 "close");
    if (file != nullptr) {
      soup_server_message_set_response(message, file->content_type.c_str(), SOUP_MEMORY_COPY,
                                       file->content.data(), file->content.size());
    }
  }

  void accept(SoupWebsocketConnection* socket) {
    const std::uint64_t id = next_id_++;
    auto sender = std::make_unique<Sender>();
    sender->socket = add_ref(socket);
    GError* raw_error = nullptr;
    sender->pipeline = ElementPtr(gst_parse_launch(launch_.c_str(), &raw_error));
    ErrorPtr error(raw_error);
    std::string problem = error ? error->message : "";
    if (problem.empty()) {
      sender->webrtc = ElementPtr(gst_bin_get_by_name(GST_BIN(sender->pipeline.get()), "webrtc"));
      media::configure_webrtcbin(sender->webrtc.get(), config_.webrtc, problem);
    }
    if (!problem.empty()) {
      std::fprintf(stderr, "reference sender: %s\n", problem.c_str());
      soup_websocket_connection_close(socket, SOUP_WEBSOCKET_CLOSE_SERVER_ERROR, nullptr);
      return;
    }
    media::note_capture_times(sender->pipeline.get(), config::kProducerSourceQueueName);
    media::install_stamp_painter(sender->pipeline.get(), config::kProducerStampName);
    connect_signals(id, sender.get());
    senders_.emplace(id, std::move(sender));
    send(id, signaling::hello_message(std::to_string(id)));
    send(id, signaling::state_message({"live", config_.video.width, config_.video.height,
                                       config_.video.framerate, "reference", ""}));
    gst_element_set_state(senders_[id]->pipeline.get(), GST_STATE_PLAYING);
  }

  // What webrtcbin's threads carry: the server lives as long as the process.
  struct Link {
    ReferenceServer* server;
    std::uint64_t id;
  };

  void connect_signals(std::uint64_t id, Sender* sender) {
    auto free_link = [](gpointer data, GClosure*) { delete static_cast<Link*>(data); };
    g_signal_connect_data(
        sender->webrtc.get(), "on-negotiation-needed",
        G_CALLBACK(+[](GstElement* webrtc, gpointer data) {
          PromisePtr promise(gst_promise_new_with_change_func(
              [](GstPromise* done, gpointer inner) {
                GstWebRTCSessionDescription* offer = nullptr;
                gst_structure_get(gst_promise_get_reply(done), "offer",
                                  GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, nullptr);
                const Link link = *static_cast<Link*>(inner);
                run_on_main([link, offer] { link.server->offer_created(link.id, offer); });
              },
              new Link(*static_cast<Link*>(data)),
              [](gpointer inner) { delete static_cast<Link*>(inner); }));
          g_signal_emit_by_name(webrtc, "create-offer", nullptr, promise.get());
        }),
        new Link{this, id}, free_link, GConnectFlags(0));
    g_signal_connect_data(
        sender->webrtc.get(), "on-ice-candidate",
        G_CALLBACK(+[](GstElement*, guint mline, gchar* candidate, gpointer data) {
          const Link link = *static_cast<Link*>(data);
          std::string text = candidate;
          run_on_main([link, mline, text] {
            link.server->send(link.id, signaling::ice_message(text, mline));
          });
        }),
        new Link{this, id}, free_link, GConnectFlags(0));
    g_signal_connect_data(
        sender->socket.get(), "message",
        G_CALLBACK(+[](SoupWebsocketConnection*, gint, GBytes* message, gpointer data) {
          const Link link = *static_cast<Link*>(data);
          gsize size = 0;
          const auto* bytes = static_cast<const char*>(g_bytes_get_data(message, &size));
          link.server->on_message(link.id, std::string(bytes, size));
        }),
        new Link{this, id}, free_link, GConnectFlags(0));
    g_signal_connect_data(sender->socket.get(), "closed",
                          G_CALLBACK(+[](SoupWebsocketConnection*, gpointer data) {
                            const Link link = *static_cast<Link*>(data);
                            later_on_main([link] { link.server->close(link.id); });
                          }),
                          new Link{this, id}, free_link, GConnectFlags(0));
  }

  void offer_created(std::uint64_t id, GstWebRTCSessionDescription* offer) {
    Owned<GstWebRTCSessionDescription, gst_webrtc_session_description_free> owned(offer);
    const auto found = senders_.find(id);
    if (found == senders_.end() || offer == nullptr) return;
    g_signal_emit_by_name(found->second->webrtc.get(), "set-local-description", offer, nullptr);
    CharPtr sdp(gst_sdp_message_as_text(offer->sdp));
    send(id, signaling::offer_message(sdp.get()));
  }

  void on_message(std::uint64_t id, const std::string& text) {
    const auto found = senders_.find(id);
    if (found == senders_.end()) return;
    GstElement* webrtc = found->second->webrtc.get();
    const signaling::ClientMessage message = signaling::parse_client_message(text);
    if (const auto* answer = std::get_if<signaling::Answer>(&message)) {
      GstSDPMessage* sdp = nullptr;
      if (gst_sdp_message_new_from_text(answer->sdp.c_str(), &sdp) != GST_SDP_OK) return;
      Owned<GstWebRTCSessionDescription, gst_webrtc_session_description_free> description(
          gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, sdp));
      g_signal_emit_by_name(webrtc, "set-remote-description", description.get(), nullptr);
    } else if (const auto* ice = std::get_if<signaling::IceCandidate>(&message)) {
      if (!ice->candidate.empty()) {
        g_signal_emit_by_name(webrtc, "add-ice-candidate", ice->mline_index,
                              ice->candidate.c_str());
      }
    }
  }

  void close(std::uint64_t id) {
    const auto found = senders_.find(id);
    if (found == senders_.end()) return;
    reaper_.reap(std::move(found->second->pipeline));
    senders_.erase(found);
  }

  void send(std::uint64_t id, const std::string& text) {
    const auto found = senders_.find(id);
    if (found == senders_.end()) return;
    SoupWebsocketConnection* socket = found->second->socket.get();
    if (soup_websocket_connection_get_state(socket) == SOUP_WEBSOCKET_STATE_OPEN) {
      soup_websocket_connection_send_text(socket, text.c_str());
    }
  }

  config::Config config_;
  std::string launch_;
  web::StaticFiles files_;
  GObjectPtr<SoupServer> server_{SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, nullptr))};
  media::PipelineReaper reaper_;
  std::map<std::uint64_t, std::unique_ptr<Sender>> senders_;
  std::uint64_t next_id_ = 1;
  Timer ping_;
};

}  // namespace

// What a plain webrtcbin sender gives x264: the low-latency tuning and x264's own thread count
// (sliced threads) and x264enc's default VBV (600 ms); kvmrtc's x264 settings must lose nothing to
// it. Other encoders run with kvmrtc's settings.
std::string bare_sender_encoder(const config::VideoSettings& video,
                                const media::EncoderChoice& choice) {
  if (choice.element != "x264enc") return choice.fragment;
  return "x264enc tune=zerolatency speed-preset=ultrafast bitrate=" +
         std::to_string(video.bitrate) + " key-int-max=" + std::to_string(video.keyframe_interval) +
         " ! video/x-h264,profile=constrained-baseline";
}

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  if (argc != 3 || std::string(argv[1]) != "--config") {
    std::fprintf(stderr, "usage: kvmrtc-reference-sender --config FILE\n");
    return 2;
  }
  gchar* text = nullptr;
  gsize length = 0;
  if (!g_file_get_contents(argv[2], &text, &length, nullptr)) return 1;
  CharPtr owned_text(text);
  const auto parsed = config::parse_config(std::string(text, length), argv[2], "/tmp");
  for (const auto& error : parsed.errors) std::fprintf(stderr, "%s\n", error.to_string().c_str());
  if (!parsed.ok()) return 1;
  const config::Config& config = parsed.config;
  const auto source = config::resolve_source(config.video, config::preset_dirs());
  const auto encoder = media::choose_encoder(config.video, media::installed_encoders());
  if (!source.ok() || encoder.element.empty()) return 1;
  // The same source, size and stamp as kvmrtc's producer, and the encoder a bare sender runs;
  // then straight out.
  const std::string launch =
      config::encoded_video_launch(config.video, source.fragment,
                                   bare_sender_encoder(config.video, encoder)) +
      " ! rtph264pay config-interval=-1 aggregate-mode=zero-latency mtu=1200 pt=96"
      " ! application/x-rtp,media=video,encoding-name=H264,payload=96,clock-rate=90000"
      " ! webrtcbin name=webrtc bundle-policy=max-bundle";
  std::string error;
  auto files = web::StaticFiles::load(KVMRTC_BENCH_SOURCE_DIR "/frontend", error);
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  ReferenceServer server(config, launch, std::move(files));
  const std::string url = server.listen(error);
  if (url.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  std::printf("reference sender: listening on %s\n", url.c_str());
  std::fflush(stdout);
  g_unix_signal_add(
      SIGTERM,
      [](gpointer data) -> gboolean {
        g_main_loop_quit(static_cast<GMainLoop*>(data));
        return G_SOURCE_CONTINUE;
      },
      loop.get());
  g_main_loop_run(loop.get());
  return 0;
}
