// Changes a few keys of a config file's text the way a person would: every comment, blank
// line and key not named stays as it was (GKeyFile with G_KEY_FILE_KEEP_COMMENTS).
#pragma once

#include <string>
#include <vector>

namespace kvmrtc::config {

struct KeyValue {
  std::string group;
  std::string key;
  std::string value;
};

struct EditedConfig {
  std::string text;
  std::string error;  // the text does not parse as a key file; `text` is then empty
};

EditedConfig edit_config_text(const std::string& text, const std::vector<KeyValue>& changes);

}  // namespace kvmrtc::config
