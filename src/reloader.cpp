#include "reloader.hpp"

#include <glib/gstdio.h>

#include <algorithm>

#include "auth/users_store.hpp"
#include "media/encoder_choice.hpp"
#include "util/background.hpp"
#include "util/json_text.hpp"
#include "util/log.hpp"

namespace kvmrtc {
namespace {

// A users file the new config names must be one the daemon can use, before anything changes. A
// missing file is an empty one, as it is for the running daemon.
void check_users_file(LoadedConfig& next) {
  const std::string& path = next.config.auth.users_file;
  if (!g_file_test(path.c_str(), G_FILE_TEST_EXISTS)) return;
  for (const auto& error : auth::read_users_file(path).errors) {
    next.errors.push_back({error.origin, error.line, error.message, "auth.users-file"});
  }
}

}  // namespace

std::string reload_report_json(const ReloadReport& report) {
  JsonObjectWriter json;
  json.add("ok", report.ok()).begin_array("errors");
  for (const auto& error : report.errors) {
    json.begin_element()
        .add("file", error.origin)
        .add("line", error.line)
        .add("key", error.key)
        .add("message", error.message)
        .end_object();
  }
  json.end_array().begin_array("applied");
  for (const auto& change : report.applied) {
    json.begin_element()
        .add("key", change.key)
        .add("how", config::action_name(change.action))
        .end_object();
  }
  return json.end_array().add("needs_restart", report.needs_restart).text();
}

hid::HidPaths hid_paths(const config::HidSettings& hid) {
  std::string leds = hid.keyboard_leds;
  GStatBuf info;
  // A gadget keyboard device carries the LED reports back; a plain file or FIFO does not.
  if (leds.empty() && g_stat(hid.keyboard.c_str(), &info) == 0 && S_ISCHR(info.st_mode)) {
    leds = hid.keyboard;
  }
  return {hid.keyboard, hid.mouse, hid.mouse_relative, leds};
}

void Reloader::apply_limits(const config::Config& config, const Targets& targets) {
  const auto& limits = config.limits;
  targets.hub.set_limits(config.server.max_viewers, limits);
  targets.input.set_limits({static_cast<std::size_t>(limits.message_bytes),
                            static_cast<std::size_t>(limits.paste_characters),
                            limits.input_messages_per_second});
  log::set_rejected_lines_per_second(limits.log_lines_per_second);
  targets.connections.set_limits(limits.pending_connections_per_address,
                                 std::chrono::seconds(limits.pending_connection_seconds));
}

Reloader::Reloader(std::string config_path, LoadedConfig running, Targets targets)
    : config_path_(std::move(config_path)), running_(std::move(running)), targets_(targets) {}

void Reloader::reload(Done done) {
  if (config_path_.empty()) {
    ReloadReport report;
    report.errors.push_back(
        {"", 0, "kvmrtc runs on its built-in default: there is no config file to reload"});
    log::warning("reload: %s", report.errors.front().message.c_str());
    done(report);
    return;
  }
  // A reload asked for during a read may be for an edit that read missed: it gets the next.
  (reading_ ? next_round_ : this_round_).push_back(std::move(done));
  if (!reading_) start_reading();
}

void Reloader::start_reading() {
  reading_ = true;
  auto next = std::make_shared<LoadedConfig>();
  const bool users_may_move = running_.config.auth.mode == "password";
  run_in_background(
      [next, path = config_path_, users_file = running_.config.auth.users_file, users_may_move] {
        *next = load_config_file(path);
        if (next->ok() && users_may_move && next->config.auth.users_file != users_file) {
          check_users_file(*next);
        }
      },
      [this, next, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        reading_ = false;
        const ReloadReport report = apply(std::move(*next));
        const auto served = std::move(this_round_);
        this_round_ = std::move(next_round_);
        next_round_.clear();
        for (const auto& done : served) done(report);
        if (!this_round_.empty()) start_reading();
      });
}

ReloadReport Reloader::apply(LoadedConfig next) {
  ReloadReport report;
  if (!next.ok()) {
    report.errors = std::move(next.errors);
    for (const auto& error : report.errors) log::error("reload: %s", error.to_string().c_str());
    log::error("reload: %s has errors; kvmrtc goes on with the config it runs on",
               config_path_.c_str());
    return report;
  }
  using config::ReloadAction;
  auto plan = config::plan_reload(running_.config, next.config);
  // The preset's file may have changed under the same name.
  if (next.source != running_.source && !plan.needs(ReloadAction::kRebuild)) {
    plan.changes.push_back({"video.pipeline", ReloadAction::kRebuild});
  }
  for (auto& change : plan.changes) {
    if (change.key == "video.keyframe-interval" && !media::keyframes_from_producer(next.encoder)) {
      change.action = ReloadAction::kRebuild;
    }
  }
  auto& config = next.config;
  // What needs a restart keeps its running value, so each reload until then names it again.
  const int max_viewers = config.server.max_viewers;
  config.server = running_.config.server;
  config.server.max_viewers = max_viewers;
  config.auth.mode = running_.config.auth.mode;
  config.auth.allow_insecure = running_.config.auth.allow_insecure;

  if (plan.needs(ReloadAction::kRebuild)) {
    targets_.producer.rebuild(next.launch, next.encoder, next.vp8_launch);
  }
  const auto live = plan.keys(ReloadAction::kLive);
  const auto changed_live = [&live](const char* key) {
    return std::find(live.begin(), live.end(), key) != live.end();
  };
  // The producer counts the frames between keyframes whichever way the encoder takes the change.
  const bool new_interval = std::any_of(
      plan.changes.begin(), plan.changes.end(),
      [](const config::KeyChange& change) { return change.key == "video.keyframe-interval"; });
  if (new_interval) {
    targets_.producer.set_keyframe_interval(config.video.keyframe_interval, next.vp8_launch);
  }
  const bool new_limits =
      std::any_of(plan.changes.begin(), plan.changes.end(), [](const config::KeyChange& change) {
        return change.key == "server.max-viewers" || change.key.rfind("limits.", 0) == 0;
      });
  if (new_limits) apply_limits(config, targets_);
  // A new range restarts congestion control from the configured rate: only when it changed.
  if (changed_live("video.bitrate") || changed_live("video.min-bitrate") ||
      changed_live("video.max-bitrate")) {
    targets_.producer.set_bitrate(config::effective_min_bitrate(config.video),
                                  config::effective_max_bitrate(config.video),
                                  config.video.bitrate);
  }
  if (plan.needs(ReloadAction::kReopen)) targets_.input.move_devices(hid_paths(config.hid));
  if (plan.needs(ReloadAction::kNewSessions)) targets_.access.apply(config.auth);
  if (plan.needs(ReloadAction::kNewViewers)) {
    config::WebrtcSettings webrtc = config.webrtc;
    webrtc.gather_loopback = config::is_loopback_address(config.server.address);
    targets_.hub.set_webrtc(std::move(webrtc));
  }

  for (const auto& change : plan.changes) {
    if (change.action == ReloadAction::kNeedsRestart) {
      log::warning("reload: %s changed: it takes effect at the next restart, not now",
                   change.key.c_str());
      report.needs_restart.push_back(change.key);
    } else {
      log::info("reload: %s changed: applied (%s)", change.key.c_str(),
                config::action_name(change.action));
      report.applied.push_back(change);
    }
  }
  if (plan.changes.empty()) log::info("reload: %s has no change", config_path_.c_str());
  running_ = std::move(next);
  return report;
}

}  // namespace kvmrtc
