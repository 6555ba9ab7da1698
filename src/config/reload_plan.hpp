// What a reload must do about each key that changed: the least disruptive way to apply it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace kvmrtc::config {

enum class ReloadAction {
  kLive,          // set on the running encoder and congestion control, nothing rebuilt
  kRebuild,       // the producer pipeline is built anew; viewers keep their connections
  kReopen,        // the HID devices are closed (keys released first) and opened again
  kNewSessions,   // logins and the users file: sessions whose user changed end, others go on
  kNewViewers,    // WebRTC settings: viewers that connect from now on get them
  kNeedsRestart,  // listening sockets, TLS, login mode: logged, not applied
};

const char* action_name(ReloadAction action);

struct KeyChange {
  std::string key;  // "group.key"
  ReloadAction action;
};

struct ReloadPlan {
  std::vector<KeyChange> changes;

  bool needs(ReloadAction action) const;
  std::vector<std::string> keys(ReloadAction action) const;
};

// The keys whose value differs between the running config and the next one, each with its way
// of being applied.
ReloadPlan plan_reload(const Config& running, const Config& next);

// The action for a key ("video.bitrate"); every key of known_key_names() has one, and a key
// without one would go unnoticed by plan_reload.
std::optional<ReloadAction> reload_action(const std::string& key);

}  // namespace kvmrtc::config
