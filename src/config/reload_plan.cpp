#include "config/reload_plan.hpp"

#include <algorithm>
#include <functional>

namespace kvmrtc::config {
namespace {

using ValueOf = std::function<std::string(const Config&)>;

struct KeyReload {
  const char* key;
  ReloadAction action;
  ValueOf value_of;  // the key's effective value, as text: two configs differ where it differs
};

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += item + ",";
  return text;
}

std::string flag(bool value) {
  return value ? "true" : "false";
}

const std::vector<KeyReload>& key_reloads() {
  using A = ReloadAction;
  static const std::vector<KeyReload> table = {
      {"server.address", A::kNeedsRestart, [](const Config& c) { return c.server.address; }},
      {"server.port", A::kNeedsRestart,
       [](const Config& c) { return std::to_string(c.server.port); }},
      {"server.tls-certificate", A::kNeedsRestart,
       [](const Config& c) { return c.server.tls_certificate; }},
      {"server.tls-key", A::kNeedsRestart, [](const Config& c) { return c.server.tls_key; }},
      {"server.frontend", A::kNeedsRestart, [](const Config& c) { return c.server.frontend_dir; }},
      {"server.hostnames", A::kNeedsRestart,
       [](const Config& c) { return joined(c.server.hostnames); }},
      {"server.http-redirect-port", A::kNeedsRestart,
       [](const Config& c) { return std::to_string(c.server.http_redirect_port); }},
      {"server.metrics-token", A::kNeedsRestart,
       [](const Config& c) { return c.server.metrics_token; }},
      {"server.settings-file", A::kNeedsRestart,
       [](const Config& c) { return c.server.settings_file; }},
      {"server.max-viewers", A::kLive,
       [](const Config& c) { return std::to_string(c.server.max_viewers); }},
      {"video.pipeline", A::kRebuild, [](const Config& c) { return c.video.pipeline; }},
      {"video.source", A::kRebuild, [](const Config& c) { return c.video.source; }},
      {"video.device", A::kRebuild, [](const Config& c) { return c.video.device; }},
      {"video.encoder", A::kRebuild, [](const Config& c) { return c.video.encoder; }},
      {"video.width", A::kRebuild, [](const Config& c) { return std::to_string(c.video.width); }},
      {"video.height", A::kRebuild, [](const Config& c) { return std::to_string(c.video.height); }},
      {"video.framerate", A::kRebuild,
       [](const Config& c) { return std::to_string(c.video.framerate); }},
      {"video.bitrate", A::kLive, [](const Config& c) { return std::to_string(c.video.bitrate); }},
      // The effective bounds: "unset" and "set to what unset means" are the same config.
      {"video.min-bitrate", A::kLive,
       [](const Config& c) { return std::to_string(effective_min_bitrate(c.video)); }},
      {"video.max-bitrate", A::kLive,
       [](const Config& c) { return std::to_string(effective_max_bitrate(c.video)); }},
      // The producer asks x264 for its keyframes; an encoder with an interval of its own is
      // rebuilt instead (Reloader::apply).
      {"video.keyframe-interval", A::kLive,
       [](const Config& c) { return std::to_string(c.video.keyframe_interval); }},
      {"video.latency-stamp", A::kRebuild,
       [](const Config& c) { return flag(c.video.latency_stamp); }},
      {"video.vp8-max-height", A::kRebuild,
       [](const Config& c) { return std::to_string(c.video.vp8_max_height); }},
      {"hid.keyboard", A::kReopen, [](const Config& c) { return c.hid.keyboard; }},
      {"hid.mouse", A::kReopen, [](const Config& c) { return c.hid.mouse; }},
      {"hid.mouse-relative", A::kReopen, [](const Config& c) { return c.hid.mouse_relative; }},
      {"hid.keyboard-leds", A::kReopen, [](const Config& c) { return c.hid.keyboard_leds; }},
      // Turning the login on or off changes who every open page is: a restart says so plainly.
      {"auth.mode", A::kNeedsRestart, [](const Config& c) { return c.auth.mode; }},
      {"auth.allow-insecure", A::kNeedsRestart,
       [](const Config& c) { return flag(c.auth.allow_insecure); }},
      {"auth.users-file", A::kNewSessions, [](const Config& c) { return c.auth.users_file; }},
      {"auth.idle-timeout", A::kNewSessions,
       [](const Config& c) { return std::to_string(c.auth.idle_timeout_s); }},
      {"auth.session-lifetime", A::kNewSessions,
       [](const Config& c) { return std::to_string(c.auth.session_lifetime_s); }},
      {"webrtc.ice-addresses", A::kNewViewers,
       [](const Config& c) { return joined(c.webrtc.ice_addresses); }},
      {"webrtc.stun-server", A::kNewViewers, [](const Config& c) { return c.webrtc.stun_server; }},
      {"webrtc.turn-server", A::kNewViewers, [](const Config& c) { return c.webrtc.turn_server; }},
      {"webrtc.codecs", A::kNewViewers, [](const Config& c) { return joined(c.webrtc.codecs); }},
      {"webrtc.zero-playout-delay", A::kNewViewers,
       [](const Config& c) { return flag(c.webrtc.zero_playout_delay); }},
      {"limits.message-bytes", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.message_bytes); }},
      {"limits.ice-candidates", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.ice_candidates); }},
      {"limits.paste-characters", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.paste_characters); }},
      {"limits.input-messages-per-second", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.input_messages_per_second); }},
      {"limits.log-lines-per-second", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.log_lines_per_second); }},
      {"limits.pending-connections-per-address", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.pending_connections_per_address); }},
      {"limits.pending-connection-seconds", A::kLive,
       [](const Config& c) { return std::to_string(c.limits.pending_connection_seconds); }},
  };
  return table;
}

}  // namespace

const char* action_name(ReloadAction action) {
  switch (action) {
    case ReloadAction::kLive:
      return "live";
    case ReloadAction::kRebuild:
      return "rebuild";
    case ReloadAction::kReopen:
      return "reopen";
    case ReloadAction::kNewSessions:
      return "new-sessions";
    case ReloadAction::kNewViewers:
      return "new-viewers";
    case ReloadAction::kNeedsRestart:
      return "needs-restart";
  }
  return "unknown";
}

bool ReloadPlan::needs(ReloadAction action) const {
  return std::any_of(changes.begin(), changes.end(),
                     [action](const KeyChange& change) { return change.action == action; });
}

std::vector<std::string> ReloadPlan::keys(ReloadAction action) const {
  std::vector<std::string> found;
  for (const auto& change : changes) {
    if (change.action == action) found.push_back(change.key);
  }
  return found;
}

ReloadPlan plan_reload(const Config& running, const Config& next) {
  ReloadPlan plan;
  for (const auto& entry : key_reloads()) {
    if (entry.value_of(running) != entry.value_of(next)) {
      plan.changes.push_back({entry.key, entry.action});
    }
  }
  return plan;
}

std::optional<ReloadAction> reload_action(const std::string& key) {
  const auto& table = key_reloads();
  const auto found = std::find_if(table.begin(), table.end(),
                                  [&key](const KeyReload& entry) { return key == entry.key; });
  if (found == table.end()) return std::nullopt;
  return found->action;
}

}  // namespace kvmrtc::config
