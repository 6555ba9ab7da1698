#include "config/preset.hpp"

#include <glib.h>

#include <algorithm>
#include <filesystem>

#include "config/ini_index.hpp"
#include "config/launch.hpp"
#include "util/ref_ptr.hpp"
#include "util/utf8_text.hpp"

namespace kvmrtc::config {
namespace {

constexpr const char* kPresetSuffix = ".conf";

std::string read_preset_string(GKeyFile* file, const char* key) {
  CharPtr value(g_key_file_get_string(file, "preset", key, nullptr));
  return value ? value.get() : "";
}

}  // namespace

const std::vector<std::string>& preset_video_keys() {
  static const std::vector<std::string> keys = {"width",       "height",           "framerate",
                                                "encoder",     "bitrate",          "min-bitrate",
                                                "max-bitrate", "keyframe-interval"};
  return keys;
}

PresetResult parse_preset(const std::string& text, const std::string& name) {
  if (const auto line = first_line_not_utf8(text)) {
    return {{}, "preset '" + name + "' line " + std::to_string(*line) + ": not UTF-8 text"};
  }
  KeyFilePtr file(g_key_file_new());
  GError* raw_error = nullptr;
  if (!g_key_file_load_from_data(file.get(), text.data(), text.size(), G_KEY_FILE_NONE,
                                 &raw_error)) {
    ErrorPtr error(raw_error);
    return {{}, "preset '" + name + "': " + error->message};
  }
  Preset preset{name,
                read_preset_string(file.get(), "description"),
                read_preset_string(file.get(), "source"),
                "",
                {}};
  if (preset.source.empty()) return {{}, "preset '" + name + "' has no [preset] source="};
  if (preset.description.empty()) {
    return {{}, "preset '" + name + "' has no [preset] description="};
  }
  const auto& video_keys = preset_video_keys();
  for (const auto& entry : index_ini(text).entries) {
    if (entry.group != "preset" || entry.key == "description" || entry.key == "source") continue;
    if (std::find(video_keys.begin(), video_keys.end(), entry.key) == video_keys.end()) {
      return {{},
              "preset '" + name + "' line " + std::to_string(entry.line) + ": " + entry.key +
                  " is not a setting a preset makes (description, source, width, height, "
                  "framerate, encoder, bitrate, min-bitrate, max-bitrate, keyframe-interval)"};
    }
    preset.video.push_back(
        {entry.key, read_preset_string(file.get(), entry.key.c_str()), entry.line});
  }
  return {preset, ""};
}

std::vector<std::string> preset_dirs() {
  std::vector<std::string> dirs;
  if (const char* override_dir = g_getenv("KVMRTC_PIPELINES_DIR")) dirs.emplace_back(override_dir);
  // The user's presets first: one of a shipped preset's name replaces it.
  dirs.emplace_back(KVMRTC_CONFIG_DIR "/pipelines");
  if (*KVMRTC_SOURCE_DIR != '\0') dirs.emplace_back(KVMRTC_SOURCE_DIR "/pipelines");
  dirs.emplace_back(KVMRTC_DATA_DIR "/pipelines");
  return dirs;
}

PresetResult load_preset(const std::string& name_or_path, const std::vector<std::string>& dirs) {
  std::vector<std::string> candidates;
  if (name_or_path.find('/') != std::string::npos) {
    candidates.push_back(name_or_path);
  } else {
    for (const auto& dir : dirs) candidates.push_back(dir + "/" + name_or_path + kPresetSuffix);
  }
  for (const auto& path : candidates) {
    gchar* contents = nullptr;
    gsize length = 0;
    if (!g_file_get_contents(path.c_str(), &contents, &length, nullptr)) continue;
    CharPtr owned(contents);
    const std::string name = std::filesystem::path(path).stem().string();
    auto parsed = parse_preset(std::string(contents, length), name);
    parsed.preset.path = path;
    return parsed;
  }
  std::string known;
  for (const auto& preset : list_presets(dirs)) known += (known.empty() ? "" : ", ") + preset.name;
  return {{},
          "no pipeline preset '" + name_or_path +
              "' (known: " + (known.empty() ? "none found" : known) + ")"};
}

std::vector<Preset> list_presets(const std::vector<std::string>& dirs) {
  std::vector<Preset> presets;
  for (const auto& dir : dirs) {
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
      if (entry.path().extension() != kPresetSuffix) continue;
      const std::string name = entry.path().stem().string();
      const bool seen = std::any_of(presets.begin(), presets.end(),
                                    [&](const Preset& preset) { return preset.name == name; });
      if (seen) continue;
      auto loaded = load_preset(entry.path().string(), dirs);
      if (loaded.ok()) presets.push_back(loaded.preset);
    }
  }
  std::sort(presets.begin(), presets.end(),
            [](const Preset& a, const Preset& b) { return a.name < b.name; });
  return presets;
}

SourceResult resolve_source(const VideoSettings& video, const std::vector<std::string>& dirs) {
  if (!video.source.empty()) {
    return {substitute_placeholders(video.source, video), "custom source", ""};
  }
  auto loaded = load_preset(video.pipeline, dirs);
  if (!loaded.ok()) return {"", "", loaded.error};
  return {substitute_placeholders(loaded.preset.source, video), loaded.preset.description, ""};
}

}  // namespace kvmrtc::config
