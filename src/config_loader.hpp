// The daemon's config as it runs: read from its file and checked, with the video resolved to
// the producer's pipeline (preset, encoder). Used at start, by --check-config and
// --print-pipeline, and by every reload, off the main loop: it logs nothing itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace kvmrtc {

struct LoadedConfig {
  config::Config config;
  std::string source;              // the raw-video source, from the preset or [video] source
  std::string launch;              // the producer's gst-launch line
  std::string encoder;             // the H.264 encoder element it uses
  std::string vp8_launch;          // the VP8 branch
  std::vector<std::string> notes;  // what was chosen and why, for the log at start
  std::vector<config::ConfigError> errors;

  bool ok() const { return errors.empty(); }
};

// Where the daemon keeps its state: systemd's StateDirectory, else /var/lib/kvmrtc for root,
// else the user's state directory.
std::string state_dir();

// `path` empty: the built-in default. The preset's settings fill in the [video] keys the file
// does not set.
LoadedConfig load_config_file(const std::string& path);
// The same for config text; `origin` names it in errors. The settings file it names is read
// from disk, or is `settings_text` when given (a change the settings dialog is about to save).
LoadedConfig load_config_text(const std::string& text, const std::string& origin,
                              const std::string* settings_text = nullptr);

// The settings file's text, or nothing when it does not exist yet; `error` says why one that
// exists cannot be read.
std::optional<std::string> read_settings_file(const std::string& path, std::string& error);

}  // namespace kvmrtc
