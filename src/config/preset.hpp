// Pipeline presets: named capture sources shipped in pipelines/ (and the user's, in
// /etc/kvmrtc/pipelines/), one file each, with the video settings that suit the source.
#pragma once

#include <string>
#include <vector>

#include "config/config.hpp"

namespace kvmrtc::config {

// A [video] setting a preset makes for its source (e.g. the frame rate and encoder tuning of
// an HDMI bridge): the config's own key, where it sets one, wins.
struct PresetSetting {
  std::string key;  // a [video] key: width, height, framerate, encoder, bitrate …
  std::string value;
  int line = 0;
};

struct Preset {
  std::string name;
  std::string description;
  std::string source;  // gst-launch fragment ending in raw video, with {placeholders}
  std::string path;    // the file it was read from; empty for text parsed as is
  std::vector<PresetSetting> video;
};

// The [video] keys a preset may set.
const std::vector<std::string>& preset_video_keys();

struct PresetResult {
  Preset preset;
  std::string error;  // empty on success

  bool ok() const { return error.empty(); }
};

// Parses one preset file's text (pure).
PresetResult parse_preset(const std::string& text, const std::string& name);

// Folders searched for presets, first match wins: $KVMRTC_PIPELINES_DIR, the source tree's
// pipelines/ (a build run from its tree), the installed data folder.
std::vector<std::string> preset_dirs();

// Reads the preset `[video] pipeline=` names: a name looked up in `dirs`, or a file path.
PresetResult load_preset(const std::string& name_or_path, const std::vector<std::string>& dirs);

// Every preset found in `dirs`, by name.
std::vector<Preset> list_presets(const std::vector<std::string>& dirs);

// The raw-video source the producer runs: `[video] source=` if set, else the preset's.
struct SourceResult {
  std::string fragment;
  std::string description;
  std::string error;

  bool ok() const { return error.empty(); }
};
SourceResult resolve_source(const VideoSettings& video, const std::vector<std::string>& dirs);

}  // namespace kvmrtc::config
