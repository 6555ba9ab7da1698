// The settings panel's side of the daemon (admins only): GET /api/settings/video tells the
// video settings in force and the choices; PUT changes some of them. A change is checked by
// the same code as the config file, written into that file (its comments and other keys kept,
// replaced atomically), then applied by a reload, so the file always says what runs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/config_edit.hpp"
#include "reloader.hpp"

namespace kvmrtc {

struct FieldError {
  std::string field;  // the JSON field, which is the config key without its group
  std::string message;
};

struct SettingsRequest {
  std::vector<config::KeyValue> changes;
  std::vector<FieldError> errors;
};

// The fields a request may set, each checked for its JSON type (pure).
SettingsRequest parse_settings_request(const std::string& body);

// The field a config error is about ("video.width" → "width"); empty when none is.
std::string field_of(const config::ConfigError& error);

class VideoSettings {
 public:
  // Answers: an HTTP status and a JSON body.
  using Reply = std::function<void(unsigned status, const std::string& json)>;

  VideoSettings(std::string config_path, Reloader& reloader);

  void get(Reply reply);
  void put(const std::string& body, Reply reply);

 private:
  std::string config_path_;
  Reloader& reloader_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kvmrtc
