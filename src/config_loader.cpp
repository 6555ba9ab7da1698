#include "config_loader.hpp"

#include <glib.h>
#include <unistd.h>

#include "config/launch.hpp"
#include "config/preset.hpp"
#include "media/encoder_choice.hpp"
#include "media/encoder_probe.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc {

std::string state_dir() {
  if (const char* systemd_dir = g_getenv("STATE_DIRECTORY")) return systemd_dir;
  if (geteuid() == 0) return "/var/lib/kvmrtc";
  return std::string(g_get_user_state_dir()) + "/kvmrtc";
}

namespace {

// The preset's own video settings fill in what the config does not set; a bad one is an error
// at its line of the preset file.
void apply_preset_settings(LoadedConfig& loaded) {
  auto& config = loaded.config;
  if (!config.video.source.empty()) return;
  const auto loaded_preset = config::load_preset(config.video.pipeline, config::preset_dirs());
  if (!loaded_preset.ok()) return;  // resolve() reports it
  const auto& preset = loaded_preset.preset;
  for (const auto& setting : preset.video) {
    if (config.sets("video." + setting.key)) continue;
    if (auto problem = config::apply_key(config, "video", setting.key, setting.value)) {
      loaded.errors.push_back({preset.path, setting.line,
                               "[preset] " + setting.key + ": " + *problem, "video.pipeline"});
    }
  }
}

// Adds the producer's pipeline for the config's video settings, or the errors that stop it.
void resolve(LoadedConfig& loaded, const std::string& origin) {
  apply_preset_settings(loaded);
  if (!loaded.ok()) return;
  const auto& video = loaded.config.video;
  const auto source = config::resolve_source(video, config::preset_dirs());
  if (!source.ok()) {
    loaded.errors.push_back({origin, 0, "[video] pipeline: " + source.error, "video.pipeline"});
    return;
  }
  const auto encoder = media::choose_encoder(video, media::installed_encoders());
  if (encoder.element.empty()) {
    loaded.errors.push_back({origin, 0, "[video] encoder: " + encoder.reason, "video.encoder"});
    return;
  }
  loaded.notes = {"video source: " + source.description, encoder.reason};
  loaded.source = source.fragment;
  loaded.launch = config::producer_launch(video, source.fragment, encoder.fragment);
  loaded.encoder = encoder.element;
  loaded.vp8_launch = config::vp8_branch_launch(video);
}

}  // namespace

std::optional<std::string> read_settings_file(const std::string& path, std::string& error) {
  gchar* contents = nullptr;
  gsize length = 0;
  GError* raw_error = nullptr;
  if (g_file_get_contents(path.c_str(), &contents, &length, &raw_error)) {
    CharPtr owned(contents);
    return std::string(contents, length);
  }
  ErrorPtr failure(raw_error);
  // Until the dialog first saves, there is no file: nothing overrides the config.
  if (!g_error_matches(failure.get(), G_FILE_ERROR, G_FILE_ERROR_NOENT)) {
    error = std::string("cannot read the settings file: ") + failure->message;
  }
  return std::nullopt;
}

LoadedConfig load_config_text(const std::string& text, const std::string& origin,
                              const std::string* settings_text) {
  auto result = config::parse_config(text, origin, state_dir());
  const std::string settings_path = result.config.server.settings_file;
  std::optional<std::string> settings;
  if (result.ok() && !settings_path.empty()) {
    std::string error;
    settings = settings_text ? *settings_text : read_settings_file(settings_path, error);
    if (!error.empty()) result.errors.push_back({settings_path, 0, error, "server.settings-file"});
    if (settings) config::apply_settings_file(result, *settings, settings_path, text, origin);
  }
  LoadedConfig loaded;
  loaded.config = std::move(result.config);
  loaded.errors = std::move(result.errors);
  if (!loaded.ok()) return loaded;
  resolve(loaded, origin);
  if (settings) {
    loaded.notes.push_back("the settings dialog's " + settings_path + " overrides " + origin +
                           " where it sets a key");
  }
  return loaded;
}

LoadedConfig load_config_file(const std::string& path) {
  if (path.empty()) {
    LoadedConfig loaded;
    loaded.config = config::default_config(state_dir());
    resolve(loaded, path);
    return loaded;
  }
  gchar* contents = nullptr;
  gsize length = 0;
  GError* raw_error = nullptr;
  if (!g_file_get_contents(path.c_str(), &contents, &length, &raw_error)) {
    ErrorPtr error(raw_error);
    LoadedConfig loaded;
    loaded.errors.push_back({path, 0, std::string("cannot read the config: ") + error->message});
    return loaded;
  }
  CharPtr owned(contents);
  return load_config_text(std::string(contents, length), path);
}

}  // namespace kvmrtc
