#include "app.hpp"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <thread>
#include <utility>

#include "config/config.hpp"
#include "config/preset.hpp"
#include "config_loader.hpp"
#include "hid/input_hub.hpp"
#include "hid/paste_layout.hpp"
#include "media/pipeline_reaper.hpp"
#include "media/producer.hpp"
#include "media/startup_warm_up.hpp"
#include "reloader.hpp"
#include "service/service_manager.hpp"
#include "util/log.hpp"
#include "util/ref_ptr.hpp"
#include "video_settings.hpp"
#include "web/access_control.hpp"
#include "web/metrics_text.hpp"
#include "web/server.hpp"
#include "web/session_hub.hpp"
#include "web/status_json.hpp"

namespace kvmrtc {
namespace {

// The built-in default writes HID reports to files; they must exist, as a gadget device would.
bool create_default_hid_files(const config::HidSettings& hid) {
  const std::string dir = state_dir();
  if (g_mkdir_with_parents(dir.c_str(), 0700) != 0) {
    log::error("cannot create the state directory %s: %s", dir.c_str(), g_strerror(errno));
    return false;
  }
  for (const auto* path : {&hid.keyboard, &hid.mouse, &hid.mouse_relative}) {
    if (!g_file_set_contents(path->c_str(), "", 0, nullptr)) {
      log::error("cannot create %s", path->c_str());
      return false;
    }
  }
  log::info("HID reports go to files in %s (no USB gadget in the built-in default)", dir.c_str());
  return true;
}

// The config at `path` (empty: the built-in default), its errors logged; nothing when it has any.
std::optional<LoadedConfig> load_checked(const std::string& path) {
  auto loaded = load_config_file(path);
  for (const auto& problem : loaded.errors) log::error("%s", problem.to_string().c_str());
  if (!loaded.ok()) return std::nullopt;
  return loaded;
}

std::string frontend_dir(const config::ServerSettings& server) {
  if (!server.frontend_dir.empty()) return server.frontend_dir;
  if (const char* override_dir = g_getenv("KVMRTC_FRONTEND_DIR")) return override_dir;
  const std::string source_tree = KVMRTC_SOURCE_DIR "/frontend";
  if (*KVMRTC_SOURCE_DIR != '\0' && std::filesystem::exists(source_tree + "/index.html")) {
    return source_tree;
  }
  return KVMRTC_DATA_DIR "/frontend";
}

// Which of the service manager's sockets is the daemon's port and which the redirect's; the
// main one's address replaces [server] address, as that is where the daemon is reached.
bool match_inherited_sockets(const std::vector<service::InheritedSocket>& sockets,
                             config::ServerSettings& server, web::Server::BoundSockets& bound,
                             std::string& error) {
  for (const auto& inherited : sockets) {
    if (inherited.port == server.port) {
      bound.main = inherited.socket.get();
      server.address = inherited.address;
    } else if (server.http_redirect_port != 0 && inherited.port == server.http_redirect_port) {
      bound.redirect = inherited.socket.get();
    } else {
      error = "the service manager passed a socket on port " + std::to_string(inherited.port) +
              ", but [server] port is " + std::to_string(server.port) +
              (server.http_redirect_port != 0
                   ? " and http-redirect-port " + std::to_string(server.http_redirect_port)
                   : std::string()) +
              ": make ListenStream= in kvmrtc.socket match them";
      return false;
    }
  }
  return true;
}

int serve(LoadedConfig loaded, const std::string& config_path) {
  // Reloads compare the file with the file: what the service manager's sockets change below is
  // not an edit.
  const LoadedConfig as_read = loaded;
  config::Config& config = loaded.config;
  const bool built_in_default = config_path.empty();
  std::string error;
  const auto inherited = service::take_inherited_sockets(error);
  web::Server::BoundSockets bound;
  if (!error.empty() || !match_inherited_sockets(inherited, config.server, bound, error)) {
    log::error("%s", error.c_str());
    return 1;
  }
  if (!bound.main && !inherited.empty()) {
    log::error("the service manager passed no socket for [server] port %d", config.server.port);
    return 1;
  }
  if (config.auth.mode == "none" && !config::is_loopback_address(config.server.address) &&
      !config.auth.allow_insecure) {
    log::error(
        "[auth] mode=none, and kvmrtc.socket listens on %s: anyone on the network would "
        "control the target; use mode=password",
        config.server.address.c_str());
    return 1;
  }
  for (const auto& note : loaded.notes) log::info("%s", note.c_str());
  auto files = web::StaticFiles::load(frontend_dir(config.server), error);
  if (!error.empty()) {
    log::error("%s", error.c_str());
    return 1;
  }

  if (built_in_default && !create_default_hid_files(config.hid)) return 1;
  if (config.auth.mode == "none" && !config::is_loopback_address(config.server.address)) {
    // Only allow-insecure=true lets the config through: say so at every start, where the
    // owner reads the log.
    log::warning(
        "[auth] mode=none on %s: anyone who can reach this address controls the "
        "target, without a login (allow-insecure=true)",
        config.server.address.c_str());
  }

  web::AccessControl access(config.auth);
  if (!access.start(error)) {
    log::error("%s", error.c_str());
    return 1;
  }

  std::jthread warm_up(media::warm_up_media, loaded.launch);
  MainLoopPtr loop(g_main_loop_new(nullptr, FALSE));
  media::PipelineReaper reaper;
  media::Producer producer(
      loaded.launch, loaded.encoder, loaded.vp8_launch, config.video.keyframe_interval,
      media::BitratePolicy(config::effective_min_bitrate(config.video),
                           config::effective_max_bitrate(config.video), config.video.bitrate),
      reaper);
  hid::InputHub input(hid_paths(config.hid), hid::layout_dirs());
  config::WebrtcSettings webrtc = config.webrtc;
  webrtc.gather_loopback = config::is_loopback_address(config.server.address);
  web::SessionHub hub(producer, reaper, input, std::move(webrtc));
  producer.on_status_change([&hub] { hub.broadcast_video_state(); });
  access.on_sessions_ended([&hub](const auto& ids) { hub.end_sessions(ids); },
                           [&hub] { return hub.sessions_in_use(); });
  web::PendingConnections connections;
  const Reloader::Targets targets{producer, input, access, hub, connections};
  Reloader::apply_limits(config, targets);
  Reloader reloader(config_path, as_read, targets);
  VideoSettings settings(config_path, reloader);
  const auto metrics = [&producer, &hub, &input, &access] {
    web::MetricsSnapshot snapshot{
        producer.status(), hub.viewer_count(), {}, input.device_counts(), access.login_counts()};
    for (const auto codec : {media::VideoCodec::kH264, media::VideoCodec::kVp8}) {
      const auto counts = producer.fanout(codec).counts();
      snapshot.viewer_frames.insert(snapshot.viewer_frames.end(), counts.begin(), counts.end());
    }
    return web::metrics_text(snapshot);
  };
  web::Server server(
      std::move(files), hub, access, connections,
      {[&producer, &hub] { return web::status_json(producer.status(), hub.viewer_count()); },
       metrics, [&producer] { return producer.status().state != "no-signal"; },
       [&producer](auto done) { producer.snapshot(std::move(done)); },
       [&reloader](auto done) {
         reloader.reload(
             [done](const ReloadReport& report) { done(report.ok(), reload_report_json(report)); });
       },
       [&settings](auto reply) { settings.get(std::move(reply)); },
       [&settings](const std::string& body, auto reply) { settings.put(body, std::move(reply)); }});
  // The first viewer's offer waits for the DTLS certificate (up to a second on a busy board).
  // The daemon says it listens once it can answer its first page at full speed.
  warm_up.join();
  const std::string url = server.listen(config.server, bound, error);
  if (url.empty()) {
    log::error("%s", error.c_str());
    return 1;
  }
  // Stopping is handled before the daemon says it listens: a SIGTERM right after the line (a
  // service manager, a test) would otherwise kill it without closing its viewers.
  auto quit = [](gpointer data) -> gboolean {
    g_main_loop_quit(static_cast<GMainLoop*>(data));
    return G_SOURCE_CONTINUE;
  };
  const guint term_source = g_unix_signal_add(SIGTERM, quit, loop.get());
  const guint int_source = g_unix_signal_add(SIGINT, quit, loop.get());
  // SIGHUP (systemctl reload kvmrtc): the reloader logs what it did.
  const guint hup_source = g_unix_signal_add(
      SIGHUP,
      [](gpointer data) -> gboolean {
        log::info("SIGHUP: reloading the config");
        static_cast<Reloader*>(data)->reload([](const ReloadReport&) {});
        return G_SOURCE_CONTINUE;
      },
      &reloader);
  std::printf("kvmrtc: listening on %s - open it in a browser\n", url.c_str());
  std::fflush(stdout);
  service::notify_ready("listening on " + url);
  service::Watchdog watchdog;
  watchdog.start();
  g_main_loop_run(loop.get());
  service::notify_stopping();
  g_source_remove(term_source);
  g_source_remove(int_source);
  g_source_remove(hup_source);
  log::info("stopping");
  hub.close_all();
  return 0;
}

int list_pipelines() {
  for (const auto& preset : config::list_presets(config::preset_dirs())) {
    std::printf("%-16s %s (%s)\n", preset.name.c_str(), preset.description.c_str(),
                preset.path.c_str());
  }
  return 0;
}

}  // namespace

int run_command(const CommandLine& command_line) {
  switch (command_line.command) {
    case Command::kHelp:
      std::fputs(usage_text(), stdout);
      return 0;
    case Command::kVersion:
      std::printf("kvmrtc %s\n", KVMRTC_VERSION);
      return 0;
    case Command::kListPipelines:
      return list_pipelines();
    case Command::kCheckConfig: {
      const auto loaded = load_checked(command_line.config_path);
      if (!loaded) return 1;
      std::printf("%s: OK\n", command_line.config_path.c_str());
      // What was chosen, and whether the settings dialog's file overrides some of it.
      for (const auto& note : loaded->notes) std::printf("  %s\n", note.c_str());
      return 0;
    }
    case Command::kPrintPipeline: {
      const auto loaded = load_checked(command_line.config_path);
      if (!loaded) return 1;
      std::printf("%s\n", loaded->launch.c_str());
      return 0;
    }
    case Command::kRun: {
      auto loaded = load_checked(command_line.config_path);
      if (!loaded) return 1;
      return serve(std::move(*loaded), command_line.config_path);
    }
  }
  return 1;
}

}  // namespace kvmrtc
