// The daemon's config as it runs: read from its file and checked, with the video resolved to
// the producer's pipeline (preset, encoder). Used at start, by --check-config and
// --print-pipeline, and by every reload, off the main loop: it logs nothing itself.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace kvmrtc {

struct LoadedConfig {
  config::Config config;
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

// `path` empty: the built-in default. With `resolve_video` false the pipeline is not resolved
// (launch, encoder and vp8_launch stay empty).
LoadedConfig load_config_file(const std::string& path, bool resolve_video = true);

}  // namespace kvmrtc
