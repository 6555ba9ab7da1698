// A config file, a preset, a keyboard layout and a settings-dialog file: text an administrator
// (or a script) writes, read by --check-config, at start and on every reload. Every error
// message is shown to that person and returned by POST /api/reload as JSON.
#include "config/config.hpp"
#include "config/config_edit.hpp"
#include "config/preset.hpp"
#include "fuzz_text.hpp"
#include "hid/paste_layout.hpp"

using namespace kvmrtc;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz_text(data, size);
  auto parsed = config::parse_config(text, "fuzz.conf", "/nonexistent");
  for (const auto& error : parsed.errors) require_utf8(error.to_string());
  if (parsed.ok()) {
    config::apply_settings_file(parsed, text, "settings.conf", text, "fuzz.conf");
    config::edit_config_text(text, {{"video", "bitrate", "3000"}, {"webrtc", "codecs", "vp8"}});
  }
  const auto preset = config::parse_preset(text, "fuzz");
  require_utf8(preset.error);
  const auto layout = hid::parse_layout(text, "fuzz");
  require_utf8(layout.error);
  return 0;
}
