#include "video_settings.hpp"

#include <glib/gstdio.h>

#include <algorithm>
#include <iterator>

#include "config/preset.hpp"
#include "util/background.hpp"
#include "util/json_text.hpp"
#include "util/log.hpp"

namespace kvmrtc {
namespace {

enum class FieldType { kText, kNumber, kFlag };

struct Field {
  const char* name;
  const char* group;
  FieldType type;
};

constexpr Field kFields[] = {
    {"pipeline", "video", FieldType::kText},
    {"encoder", "video", FieldType::kText},
    {"width", "video", FieldType::kNumber},
    {"height", "video", FieldType::kNumber},
    {"framerate", "video", FieldType::kNumber},
    {"bitrate", "video", FieldType::kNumber},
    {"min-bitrate", "video", FieldType::kNumber},
    {"max-bitrate", "video", FieldType::kNumber},
    {"zero-playout-delay", "webrtc", FieldType::kFlag},
};

constexpr const char* kEncoders[] = {"auto", "x264", "openh264", "v4l2", "vaapi", "nvenc"};

const Field* field_named(const std::string& name) {
  const auto found = std::find_if(std::begin(kFields), std::end(kFields),
                                  [&name](const Field& field) { return name == field.name; });
  return found != std::end(kFields) ? found : nullptr;
}

std::string errors_json(const std::vector<FieldError>& errors) {
  JsonObjectWriter json;
  json.add("ok", false).begin_array("errors");
  for (const auto& error : errors) {
    json.begin_element().add("field", error.field).add("message", error.message).end_object();
  }
  return json.end_array().text();
}

std::string settings_json(const config::Config& running, const std::vector<std::string>& presets,
                          bool writable) {
  const auto& video = running.video;
  return JsonObjectWriter()
      .add("pipeline", video.pipeline)
      .add("encoder", video.encoder)
      .add("width", video.width)
      .add("height", video.height)
      .add("framerate", video.framerate)
      .add("bitrate", video.bitrate)
      .add("min-bitrate", config::effective_min_bitrate(video))
      .add("max-bitrate", config::effective_max_bitrate(video))
      .add("zero-playout-delay", running.webrtc.zero_playout_delay)
      .add("pipelines", presets)
      .add("encoders", std::vector<std::string>(std::begin(kEncoders), std::end(kEncoders)))
      .add("writable", writable)
      .text();
}

struct WriteOutcome {
  std::vector<FieldError> errors;  // the edit makes an invalid config: nothing was written
  std::string failure;             // the file could not be read or written
};

// What a settings file holds before the dialog's first change.
std::string new_settings_file(const std::string& config_path) {
  return "# Saved by kvmrtc's settings dialog. These keys override " + config_path +
         ";\n# delete one here to go back to that file's value.\n";
}

// Reads the file the settings go in (the config file, or its `[server] settings-file`),
// applies the changes, checks the result as a reload would, and replaces the file with it
// (same mode) only when it is valid.
WriteOutcome write_settings(const std::string& config_path, const std::string& settings_path,
                            const std::vector<config::KeyValue>& changes) {
  gchar* contents = nullptr;
  gsize length = 0;
  GError* raw_error = nullptr;
  if (!g_file_get_contents(config_path.c_str(), &contents, &length, &raw_error)) {
    ErrorPtr error(raw_error);
    return {{}, std::string("cannot read ") + config_path + ": " + error->message};
  }
  CharPtr owned(contents);
  const std::string config_text(contents, length);
  const std::string& path = settings_path.empty() ? config_path : settings_path;
  std::string target_text = config_text;
  if (!settings_path.empty()) {
    std::string error;
    const auto settings = read_settings_file(settings_path, error);
    if (!error.empty()) return {{}, error};
    target_text = settings ? *settings : new_settings_file(config_path);
  }
  const auto edited = config::edit_config_text(target_text, changes);
  if (!edited.error.empty()) return {{}, path + " does not parse: " + edited.error};
  const auto checked = settings_path.empty()
                           ? load_config_text(edited.text, path)
                           : load_config_text(config_text, config_path, &edited.text);
  if (!checked.ok()) {
    WriteOutcome outcome;
    for (const auto& error : checked.errors) {
      outcome.errors.push_back({field_of(error), error.message});
    }
    return outcome;
  }
  GStatBuf info;
  const int mode = g_stat(path.c_str(), &info) == 0 ? static_cast<int>(info.st_mode & 07777) : 0600;
  if (!g_file_set_contents_full(path.c_str(), edited.text.data(),
                                static_cast<gssize>(edited.text.size()),
                                G_FILE_SET_CONTENTS_CONSISTENT, mode, &raw_error)) {
    ErrorPtr error(raw_error);
    return {{}, std::string("cannot write ") + path + ": " + error->message};
  }
  return {};
}

}  // namespace

SettingsRequest parse_settings_request(const std::string& body) {
  SettingsRequest request;
  const auto parsed = parse_json_object(body);
  if (parsed.object == nullptr) {
    request.errors.push_back({"", parsed.error});
    return request;
  }
  GList* members = json_object_get_members(parsed.object);
  for (GList* member = members; member != nullptr; member = member->next) {
    const std::string name = static_cast<const char*>(member->data);
    const Field* field = field_named(name);
    if (field == nullptr) {
      request.errors.push_back({name, "is not a video setting"});
      continue;
    }
    std::string value;
    switch (field->type) {
      case FieldType::kNumber:
        if (!has_member_of_type(parsed.object, field->name, G_TYPE_INT64)) {
          request.errors.push_back({name, "must be a whole number"});
          continue;
        }
        value = std::to_string(json_object_get_int_member(parsed.object, field->name));
        break;
      case FieldType::kText:
        if (!has_member_of_type(parsed.object, field->name, G_TYPE_STRING)) {
          request.errors.push_back({name, "must be text"});
          continue;
        }
        value = json_object_get_string_member(parsed.object, field->name);
        break;
      case FieldType::kFlag:
        if (!has_member_of_type(parsed.object, field->name, G_TYPE_BOOLEAN)) {
          request.errors.push_back({name, "must be true or false"});
          continue;
        }
        value = json_object_get_boolean_member(parsed.object, field->name) ? "true" : "false";
        break;
    }
    request.changes.push_back({field->group, field->name, value});
  }
  g_list_free(members);
  if (request.changes.empty() && request.errors.empty()) {
    request.errors.push_back({"", "names no setting to change"});
  }
  return request;
}

std::string field_of(const config::ConfigError& error) {
  const auto dot = error.key.find('.');
  return dot == std::string::npos ? "" : error.key.substr(dot + 1);
}

VideoSettings::VideoSettings(std::string config_path, Reloader& reloader)
    : config_path_(std::move(config_path)), reloader_(reloader) {}

void VideoSettings::get(Reply reply) {
  auto presets = std::make_shared<std::vector<std::string>>();
  run_in_background(
      [presets] {
        for (const auto& preset : config::list_presets(config::preset_dirs())) {
          presets->push_back(preset.name);
        }
      },
      [this, reply, presets, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        reply(200, settings_json(reloader_.running().config, *presets, !config_path_.empty()));
      });
}

void VideoSettings::put(const std::string& body, Reply reply) {
  const auto request = parse_settings_request(body);
  if (!request.errors.empty()) {
    reply(422, errors_json(request.errors));
    return;
  }
  if (config_path_.empty()) {
    reply(409, errors_json({{"",
                             "kvmrtc runs on its built-in default: there is no config file "
                             "to keep the settings in (start it with --config FILE)"}}));
    return;
  }
  auto outcome = std::make_shared<WriteOutcome>();
  // The settings file is a [server] key, which a reload does not change: the running one.
  const std::string settings_path = reloader_.running().config.server.settings_file;
  const std::string& written = settings_path.empty() ? config_path_ : settings_path;
  run_in_background(
      [outcome, path = config_path_, settings_path, changes = request.changes] {
        *outcome = write_settings(path, settings_path, changes);
      },
      [this, reply, outcome, written, alive = std::weak_ptr<bool>(alive_)] {
        if (alive.expired()) return;
        if (!outcome->failure.empty()) {
          log::error("settings: %s", outcome->failure.c_str());
          reply(500, errors_json({{"", outcome->failure}}));
          return;
        }
        if (!outcome->errors.empty()) {
          reply(422, errors_json(outcome->errors));
          return;
        }
        log::info("settings: %s rewritten from the page; reloading", written.c_str());
        reloader_.reload([reply](const ReloadReport& report) {
          reply(report.ok() ? 200 : 422, reload_report_json(report));
        });
      });
}

}  // namespace kvmrtc
