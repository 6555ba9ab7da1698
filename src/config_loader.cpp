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

LoadedConfig load_config_file(const std::string& path, bool resolve_video) {
  LoadedConfig loaded;
  if (path.empty()) {
    loaded.config = config::default_config(state_dir());
  } else {
    gchar* contents = nullptr;
    gsize length = 0;
    GError* raw_error = nullptr;
    if (!g_file_get_contents(path.c_str(), &contents, &length, &raw_error)) {
      ErrorPtr error(raw_error);
      loaded.errors.push_back({path, 0, std::string("cannot read the config: ") + error->message});
      return loaded;
    }
    CharPtr owned(contents);
    auto result = config::parse_config(std::string(contents, length), path, state_dir());
    loaded.config = std::move(result.config);
    loaded.errors = std::move(result.errors);
  }
  if (!loaded.ok() || !resolve_video) return loaded;

  const auto& video = loaded.config.video;
  const auto source = config::resolve_source(video, config::preset_dirs());
  if (!source.ok()) {
    loaded.errors.push_back({path, 0, "[video] pipeline: " + source.error, "video.pipeline"});
    return loaded;
  }
  const auto encoder = media::choose_encoder(video, media::installed_encoders());
  if (encoder.element.empty()) {
    loaded.errors.push_back({path, 0, "[video] encoder: " + encoder.reason, "video.encoder"});
    return loaded;
  }
  loaded.notes = {"video source: " + source.description, encoder.reason};
  loaded.launch = config::producer_launch(video, source.fragment, encoder.fragment);
  loaded.encoder = encoder.element;
  loaded.vp8_launch = config::vp8_branch_launch(video);
  return loaded;
}

}  // namespace kvmrtc
