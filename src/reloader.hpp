// A config reload (SIGHUP, `systemctl reload kvmrtc`, POST /api/reload): the file, its preset
// and a new users file are read and checked off the main loop, as --check-config checks them;
// a file with errors changes nothing. Each changed key is then applied the least disruptive
// way (config/reload_plan.hpp), and the log says which way each went.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/reload_plan.hpp"
#include "config_loader.hpp"
#include "hid/input_hub.hpp"
#include "media/producer.hpp"
#include "web/access_control.hpp"
#include "web/pending_connections.hpp"
#include "web/session_hub.hpp"

namespace kvmrtc {

struct ReloadReport {
  std::vector<config::ConfigError> errors;
  std::vector<config::KeyChange> applied;
  std::vector<std::string> needs_restart;

  bool ok() const { return errors.empty(); }
};

// {"ok", "errors": [{"file", "line", "key", "message"}], "applied": [{"key", "how"}],
//  "needs_restart": [key…]}
std::string reload_report_json(const ReloadReport& report);

// The HID paths the input hub writes to for `hid` (a gadget keyboard also reads the LEDs).
hid::HidPaths hid_paths(const config::HidSettings& hid);

class Reloader {
 public:
  struct Targets {
    media::Producer& producer;
    hid::InputHub& input;
    web::AccessControl& access;
    web::SessionHub& hub;
    web::PendingConnections& connections;
  };
  // The limits of `config` on every part that keeps one: at start, and on a reload.
  static void apply_limits(const config::Config& config, const Targets& targets);
  using Done = std::function<void(const ReloadReport& report)>;

  // `running`: the config the daemon started on, from `config_path` (empty: the built-in
  // default, which has no file to reload).
  Reloader(std::string config_path, LoadedConfig running, Targets targets);

  // Reads, checks and applies the file; `done` gets the outcome on the main context. A reload
  // asked for while one runs waits for it and reads the file again.
  void reload(Done done);

  // The config in force: the last valid file, less what needs a restart.
  const LoadedConfig& running() const { return running_; }

 private:
  void start_reading();
  ReloadReport apply(LoadedConfig next);

  std::string config_path_;
  LoadedConfig running_;
  Targets targets_;
  bool reading_ = false;
  std::vector<Done> this_round_;  // served by the read under way
  std::vector<Done> next_round_;  // asked for during it: served by a read after it
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kvmrtc
