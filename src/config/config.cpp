#include "config/config.hpp"

#include <glib.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <optional>

#include "config/ini_index.hpp"
#include "util/ref_ptr.hpp"
#include "util/utf8_text.hpp"

namespace kvmrtc::config {
namespace {

using Problem = std::optional<std::string>;
using Apply = std::function<Problem(Config&, const std::string& value)>;

struct KeySpec {
  const char* group;
  const char* key;
  Apply apply;
};

template <typename Section>
Apply text_in(Section Config::*section, std::string Section::*field) {
  return [=](Config& config, const std::string& value) -> Problem {
    (config.*section).*field = value;
    return std::nullopt;
  };
}

template <typename Section>
Apply nonempty_in(Section Config::*section, std::string Section::*field) {
  return [=](Config& config, const std::string& value) -> Problem {
    if (value.empty()) return "must not be empty";
    (config.*section).*field = value;
    return std::nullopt;
  };
}

template <typename Section>
Apply number_in(Section Config::*section, int Section::*field, int min, int max) {
  return [=](Config& config, const std::string& value) -> Problem {
    int parsed = 0;
    const auto* end = value.data() + value.size();
    const auto [last, status] = std::from_chars(value.data(), end, parsed);
    if (status != std::errc() || last != end) {
      return "'" + value + "' is not a whole number";
    }
    if (parsed < min || parsed > max) {
      return std::to_string(parsed) + " is out of range (" + std::to_string(min) + " to " +
             std::to_string(max) + ")";
    }
    (config.*section).*field = parsed;
    return std::nullopt;
  };
}

template <typename Section>
Apply flag_in(Section Config::*section, bool Section::*field) {
  return [=](Config& config, const std::string& value) -> Problem {
    if (value == "true") {
      (config.*section).*field = true;
    } else if (value == "false") {
      (config.*section).*field = false;
    } else {
      return "'" + value + "' is neither true nor false";
    }
    return std::nullopt;
  };
}

template <typename Section>
Apply choice_in(Section Config::*section, std::string Section::*field,
                std::vector<std::string> allowed) {
  return [=](Config& config, const std::string& value) -> Problem {
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      std::string list;
      for (const auto& option : allowed) list += (list.empty() ? "" : ", ") + option;
      return "'" + value + "' is not one of: " + list;
    }
    (config.*section).*field = value;
    return std::nullopt;
  };
}

template <typename Section>
Apply duration_in(Section Config::*section, int Section::*field, long min, long max) {
  return [=](Config& config, const std::string& value) -> Problem {
    const auto seconds = parse_duration(value);
    if (!seconds) return "'" + value + "' is not a duration (a number with s, m, h or d: 30m)";
    if (*seconds < min || *seconds > max) {
      return "'" + value + "' is out of range (" + std::to_string(min) + " s to " +
             std::to_string(max / 86400) + " d)";
    }
    (config.*section).*field = static_cast<int>(*seconds);
    return std::nullopt;
  };
}

Problem apply_encoder(Config& config, const std::string& value) {
  static const std::vector<std::string> names = {"auto", "x264",  "openh264",
                                                 "v4l2", "vaapi", "nvenc"};
  const bool is_name = std::find(names.begin(), names.end(), value) != names.end();
  // Anything else is taken as a gst-launch fragment, which names at least one element.
  if (!is_name && value.find_first_of(" !=") == std::string::npos) {
    return "'" + value +
           "' is neither an encoder name (auto, x264, openh264, v4l2, vaapi, nvenc) nor a "
           "gst-launch fragment";
  }
  config.video.encoder = value;
  return std::nullopt;
}

// The daemon listens on an address, not a name: a name would pass the check and fail at start.
Problem apply_address(Config& config, const std::string& value) {
  if (value.empty()) return std::string("must not be empty");
  if (!g_hostname_is_ip_address(value.c_str())) {
    return "'" + value +
           "' is not an IP address (127.0.0.1 or ::1: this machine only; 0.0.0.0 or ::: every "
           "interface)";
  }
  config.server.address = value;
  return std::nullopt;
}

Problem apply_ice_addresses(Config& config, const std::string& value) {
  config.webrtc.ice_addresses.clear();
  g_auto(GStrv) parts = g_strsplit_set(value.c_str(), ", ", -1);
  for (gchar** part = parts; *part != nullptr; ++part) {
    if (**part == '\0') continue;
    if (!g_hostname_is_ip_address(*part)) {
      return std::string("'") + *part + "' is not an IP address";
    }
    config.webrtc.ice_addresses.emplace_back(*part);
  }
  return std::nullopt;
}

Problem apply_hostnames(Config& config, const std::string& value) {
  config.server.hostnames.clear();
  g_auto(GStrv) parts = g_strsplit_set(value.c_str(), ", ", -1);
  for (gchar** part = parts; *part != nullptr; ++part) {
    if (**part == '\0') continue;
    const std::string name = *part;
    const bool plain = std::all_of(name.begin(), name.end(), [](unsigned char c) {
      return g_ascii_isalnum(c) || c == '.' || c == '-';
    });
    if (!plain) return "'" + name + "' is not a host name (letters, digits, '.', '-')";
    config.server.hostnames.push_back(name);
  }
  if (config.server.hostnames.empty()) return std::string("lists no host name");
  return std::nullopt;
}

Problem apply_settings_file_path(Config& config, const std::string& value) {
  if (!value.empty() && !g_path_is_absolute(value.c_str())) {
    return "'" + value + "' is not an absolute path";
  }
  config.server.settings_file = value;
  return std::nullopt;
}

Problem apply_metrics_token(Config& config, const std::string& value) {
  // A token anyone could guess would open the figures to the whole network.
  if (value.size() < 16) return std::string("must be at least 16 characters");
  const bool printable =
      std::all_of(value.begin(), value.end(), [](unsigned char c) { return g_ascii_isgraph(c); });
  if (!printable) return std::string("must be printable characters without spaces");
  config.server.metrics_token = value;
  return std::nullopt;
}

Problem apply_codecs(Config& config, const std::string& value) {
  std::vector<std::string> codecs;
  g_auto(GStrv) parts = g_strsplit_set(value.c_str(), ", ", -1);
  for (gchar** part = parts; *part != nullptr; ++part) {
    if (**part == '\0') continue;
    std::string name = *part;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return g_ascii_toupper(c); });
    if (name != "H264" && name != "VP8") {
      return std::string("'") + *part + "' is not a codec kvmrtc sends (h264, vp8)";
    }
    if (std::find(codecs.begin(), codecs.end(), name) != codecs.end()) {
      return std::string("'") + *part + "' is listed twice";
    }
    codecs.push_back(name);
  }
  if (codecs.empty()) return std::string("lists no codec (h264, vp8)");
  config.webrtc.codecs = std::move(codecs);
  return std::nullopt;
}

const std::vector<KeySpec>& key_specs() {
  static const std::vector<KeySpec> specs = {
      {"server", "address", apply_address},
      {"server", "port", number_in(&Config::server, &ServerSettings::port, 0, 65535)},
      {"server", "tls-certificate", text_in(&Config::server, &ServerSettings::tls_certificate)},
      {"server", "tls-key", text_in(&Config::server, &ServerSettings::tls_key)},
      {"server", "frontend", text_in(&Config::server, &ServerSettings::frontend_dir)},
      {"server", "hostnames", apply_hostnames},
      {"server", "http-redirect-port",
       number_in(&Config::server, &ServerSettings::http_redirect_port, 1, 65535)},
      {"server", "metrics-token", apply_metrics_token},
      {"server", "settings-file", apply_settings_file_path},
      {"server", "max-viewers", number_in(&Config::server, &ServerSettings::max_viewers, 1, 64)},
      {"video", "pipeline", nonempty_in(&Config::video, &VideoSettings::pipeline)},
      {"video", "source", text_in(&Config::video, &VideoSettings::source)},
      {"video", "device", nonempty_in(&Config::video, &VideoSettings::device)},
      {"video", "encoder", apply_encoder},
      {"video", "width", number_in(&Config::video, &VideoSettings::width, 160, 7680)},
      {"video", "height", number_in(&Config::video, &VideoSettings::height, 120, 4320)},
      {"video", "framerate", number_in(&Config::video, &VideoSettings::framerate, 1, 120)},
      {"video", "bitrate", number_in(&Config::video, &VideoSettings::bitrate, 100, 100000)},
      {"video", "min-bitrate", number_in(&Config::video, &VideoSettings::min_bitrate, 100, 100000)},
      {"video", "max-bitrate", number_in(&Config::video, &VideoSettings::max_bitrate, 100, 100000)},
      {"video", "keyframe-interval",
       number_in(&Config::video, &VideoSettings::keyframe_interval, 1, 10000)},
      {"video", "latency-stamp", flag_in(&Config::video, &VideoSettings::latency_stamp)},
      {"video", "vp8-max-height",
       number_in(&Config::video, &VideoSettings::vp8_max_height, 0, 4320)},
      {"hid", "keyboard", nonempty_in(&Config::hid, &HidSettings::keyboard)},
      {"hid", "mouse", nonempty_in(&Config::hid, &HidSettings::mouse)},
      {"hid", "mouse-relative", nonempty_in(&Config::hid, &HidSettings::mouse_relative)},
      {"hid", "keyboard-leds", text_in(&Config::hid, &HidSettings::keyboard_leds)},
      {"auth", "mode", choice_in(&Config::auth, &AuthSettings::mode, {"none", "password"})},
      {"auth", "allow-insecure", flag_in(&Config::auth, &AuthSettings::allow_insecure)},
      {"auth", "users-file", nonempty_in(&Config::auth, &AuthSettings::users_file)},
      {"auth", "idle-timeout",
       duration_in(&Config::auth, &AuthSettings::idle_timeout_s, 1, 366L * 86400)},
      {"auth", "session-lifetime",
       duration_in(&Config::auth, &AuthSettings::session_lifetime_s, 1, 366L * 86400)},
      {"webrtc", "ice-addresses", apply_ice_addresses},
      {"webrtc", "stun-server", text_in(&Config::webrtc, &WebrtcSettings::stun_server)},
      {"webrtc", "turn-server", text_in(&Config::webrtc, &WebrtcSettings::turn_server)},
      {"webrtc", "codecs", apply_codecs},
      {"webrtc", "zero-playout-delay",
       flag_in(&Config::webrtc, &WebrtcSettings::zero_playout_delay)},
      {"limits", "message-bytes",
       number_in(&Config::limits, &LimitsSettings::message_bytes, 4096, 1024 * 1024)},
      {"limits", "ice-candidates",
       number_in(&Config::limits, &LimitsSettings::ice_candidates, 4, 1000)},
      {"limits", "paste-characters",
       number_in(&Config::limits, &LimitsSettings::paste_characters, 1, 1000000)},
      {"limits", "input-messages-per-second",
       number_in(&Config::limits, &LimitsSettings::input_messages_per_second, 10, 100000)},
      {"limits", "log-lines-per-second",
       number_in(&Config::limits, &LimitsSettings::log_lines_per_second, 1, 1000)},
      {"limits", "pending-connections-per-address",
       number_in(&Config::limits, &LimitsSettings::pending_connections_per_address, 8, 100000)},
      {"limits", "pending-connection-seconds",
       number_in(&Config::limits, &LimitsSettings::pending_connection_seconds, 1, 3600)},
  };
  return specs;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = 3;  // farther than two edits is not a typo
  for (const auto& candidate : known) {
    const size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::vector<std::string> known_groups() {
  std::vector<std::string> groups;
  for (const auto& spec : key_specs()) {
    if (std::find(groups.begin(), groups.end(), spec.group) == groups.end()) {
      groups.emplace_back(spec.group);
    }
  }
  return groups;
}

std::vector<std::string> known_keys(const std::string& group) {
  std::vector<std::string> keys;
  for (const auto& spec : key_specs()) {
    if (group == spec.group) keys.emplace_back(spec.key);
  }
  return keys;
}

// The texts a config was read from, the last applied first: a key's line is in the first that
// sets it.
struct Located {
  std::string origin;
  int line = 0;
};
using Texts = std::vector<std::pair<const IniIndex*, std::string>>;

Located locate(const Texts& texts, const char* group, const std::string& key) {
  for (const auto& [index, origin] : texts) {
    if (const int line = index->line_of(group, key); line > 0) return {origin, line};
  }
  return {texts.back().second, 0};
}

void check_combination(const Config& config, const Texts& texts, std::vector<ConfigError>& errors) {
  const auto at = [&texts](const char* group, const std::string& key, std::string message,
                           std::string key_name) {
    const Located where = locate(texts, group, key);
    return ConfigError{where.origin, where.line, std::move(message), std::move(key_name)};
  };
  const auto& server = config.server;
  if (server.tls_certificate.empty() != server.tls_key.empty()) {
    const char* given = server.tls_key.empty() ? "tls-certificate" : "tls-key";
    errors.push_back(at("server", given,
                        "[server] tls-certificate and tls-key go together: set both or neither",
                        std::string("server.") + given));
  }
  if (config.auth.mode == "none" && !is_loopback_address(server.address) &&
      !config.auth.allow_insecure) {
    errors.push_back(at("auth", "mode",
                        "[auth] mode=none on the non-loopback address " + server.address +
                            " would let anyone on the network control the target; use "
                            "mode=password, or set allow-insecure=true if you mean it",
                        "auth.mode"));
  }
  const auto& video = config.video;
  const int min_bitrate = effective_min_bitrate(video);
  const int max_bitrate = effective_max_bitrate(video);
  if (min_bitrate > video.bitrate || video.bitrate > max_bitrate) {
    const bool low = min_bitrate > video.bitrate;
    const char* bound = low ? "min-bitrate" : "max-bitrate";
    errors.push_back(at("video", bound,
                        "[video] bitrate=" + std::to_string(video.bitrate) + " is " +
                            (low ? "below min-bitrate=" + std::to_string(min_bitrate)
                                 : "above max-bitrate=" + std::to_string(max_bitrate)) +
                            ": congestion control keeps min-bitrate <= bitrate <= max-bitrate",
                        std::string("video.") + bound));
  }
  if (server.http_redirect_port != 0 && server.tls_certificate.empty()) {
    errors.push_back(at("server", "http-redirect-port",
                        "[server] http-redirect-port redirects to HTTPS, which needs "
                        "tls-certificate and tls-key",
                        "server.http-redirect-port"));
  }
  if (server.http_redirect_port != 0 && server.http_redirect_port == server.port) {
    errors.push_back(at("server", "http-redirect-port",
                        "[server] http-redirect-port is the HTTPS port itself",
                        "server.http-redirect-port"));
  }
}

}  // namespace

std::string ConfigError::to_string() const {
  std::string located = origin;
  if (line > 0) located += ":" + std::to_string(line);
  return located + ": " + message;
}

bool Config::sets(const std::string& key) const {
  return std::find(keys_set.begin(), keys_set.end(), key) != keys_set.end();
}

std::optional<std::string> apply_key(Config& config, const std::string& group,
                                     const std::string& key, const std::string& value) {
  const auto& specs = key_specs();
  const auto spec = std::find_if(specs.begin(), specs.end(), [&](const KeySpec& candidate) {
    return group == candidate.group && key == candidate.key;
  });
  if (spec == specs.end()) return "is not a key of [" + group + "]";
  return spec->apply(config, value);
}

std::vector<std::string> known_key_names() {
  std::vector<std::string> names;
  for (const auto& spec : key_specs()) names.push_back(std::string(spec.group) + "." + spec.key);
  return names;
}

bool is_loopback_address(const std::string& address) {
  return address == "::1" || address.rfind("127.", 0) == 0;
}

std::optional<long> parse_duration(const std::string& text) {
  long number = 0;
  const char* end = text.data() + text.size();
  const auto [last, status] = std::from_chars(text.data(), end, number);
  if (status != std::errc() || last == text.data() || number < 0) return std::nullopt;
  const std::string unit(last, end);
  static const std::map<std::string, long> seconds_per = {
      {"", 1}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
  const auto found = seconds_per.find(unit);
  if (found == seconds_per.end() || number > 1000L * 366 * 86400 / found->second) {
    return std::nullopt;
  }
  return number * found->second;
}

Config default_config(const std::string& state_dir) {
  Config config;
  config.hid.keyboard = state_dir + "/hid-keyboard.bin";
  config.hid.mouse = state_dir + "/hid-mouse.bin";
  config.hid.mouse_relative = state_dir + "/hid-mouse-relative.bin";
  return config;
}

namespace {

// A config text read as far as its syntax: its key=value lines with where they are, and the
// values as GKeyFile parses them. Nothing when the text is not a key file (the error says why).
struct ReadText {
  IniIndex index;
  KeyFilePtr key_file;
};

std::optional<ReadText> read_text(const std::string& text, const std::string& origin,
                                  std::vector<ConfigError>& errors) {
  if (const auto line = first_line_not_utf8(text)) {
    errors.push_back({origin, *line, "the line is not UTF-8 text (a config file is UTF-8)"});
    return std::nullopt;
  }
  ReadText read{index_ini(text), KeyFilePtr(g_key_file_new())};
  if (read.index.syntax_error) {
    errors.push_back({origin, read.index.syntax_error->line,
                      "'" + read.index.syntax_error->text +
                          "' is neither a [group], a key=value line nor a # comment"});
    return std::nullopt;
  }
  GError* raw_error = nullptr;
  if (!g_key_file_load_from_data(read.key_file.get(), text.data(), text.size(), G_KEY_FILE_NONE,
                                 &raw_error)) {
    ErrorPtr error(raw_error);
    errors.push_back({origin, 0, error->message});
    return std::nullopt;
  }
  return read;
}

// Applies every key of `read` to `result`, or says at its line why not. `only`, when given,
// names the keys this text may hold; another is an error saying so.
void apply_text(ConfigResult& result, const ReadText& read, const std::string& origin,
                const std::vector<std::string>* only) {
  const auto groups = known_groups();
  for (const auto& [group, line] : read.index.groups) {
    if (std::find(groups.begin(), groups.end(), group) == groups.end()) {
      result.errors.push_back(
          {origin, line, "unknown group [" + group + "]" + suggestion(group, groups)});
    }
  }

  // GKeyFile keeps only the last of two equal keys, which hides which one the user meant: a
  // repeated key is an error at each repetition, and none of its values is applied.
  std::map<std::string, std::vector<int>> lines_of;
  for (const auto& entry : read.index.entries)
    lines_of[entry.group + "/" + entry.key].push_back(entry.line);
  for (const auto& entry : read.index.entries) {
    if (std::find(groups.begin(), groups.end(), entry.group) == groups.end()) continue;
    const auto& lines = lines_of[entry.group + "/" + entry.key];
    const std::string key_name = entry.group + "." + entry.key;
    if (lines.size() > 1) {
      if (entry.line != lines.front()) {
        result.errors.push_back({origin, entry.line,
                                 "[" + entry.group + "] " + entry.key +
                                     " is set twice (first on line " +
                                     std::to_string(lines.front()) + ")",
                                 key_name});
      }
      continue;
    }
    const auto& specs = key_specs();
    const auto spec = std::find_if(specs.begin(), specs.end(), [&](const KeySpec& candidate) {
      return entry.group == candidate.group && entry.key == candidate.key;
    });
    if (spec == specs.end()) {
      result.errors.push_back({origin, entry.line,
                               "unknown key '" + entry.key + "' in [" + entry.group + "]" +
                                   suggestion(entry.key, known_keys(entry.group)),
                               key_name});
      continue;
    }
    if (only != nullptr && std::find(only->begin(), only->end(), key_name) == only->end()) {
      result.errors.push_back({origin, entry.line,
                               "[" + entry.group + "] " + entry.key +
                                   " cannot be set here, only the settings dialog's keys; it "
                                   "belongs in the config file",
                               key_name});
      continue;
    }
    GError* raw_error = nullptr;
    CharPtr value(g_key_file_get_string(read.key_file.get(), entry.group.c_str(), entry.key.c_str(),
                                        &raw_error));
    if (!value) {
      ErrorPtr error(raw_error);
      result.errors.push_back({origin, entry.line,
                               "[" + entry.group + "] " + entry.key + ": " + error->message,
                               key_name});
      continue;
    }
    // GKeyFile keeps trailing blanks, which nobody means in a value.
    g_strchomp(value.get());
    if (auto problem = spec->apply(result.config, value.get())) {
      // GKeyFile has no comments after a value: they become part of it.
      if (std::string(value.get()).find(" #") != std::string::npos) {
        *problem += " (a # comment goes on a line of its own)";
      }
      result.errors.push_back(
          {origin, entry.line, "[" + entry.group + "] " + entry.key + ": " + *problem, key_name});
    } else if (!result.config.sets(key_name)) {
      result.config.keys_set.push_back(key_name);
    }
  }
}

}  // namespace

ConfigResult parse_config(const std::string& text, const std::string& origin,
                          const std::string& state_dir) {
  ConfigResult result{default_config(state_dir), {}};
  const auto read = read_text(text, origin, result.errors);
  if (!read) return result;
  apply_text(result, *read, origin, nullptr);
  if (result.errors.empty()) {
    check_combination(result.config, {{&read->index, origin}}, result.errors);
  }
  return result;
}

const std::vector<std::string>& settings_file_keys() {
  static const std::vector<std::string> keys = {
      "video.pipeline",    "video.encoder",     "video.width",
      "video.height",      "video.framerate",   "video.bitrate",
      "video.min-bitrate", "video.max-bitrate", "webrtc.zero-playout-delay",
  };
  return keys;
}

void apply_settings_file(ConfigResult& result, const std::string& text, const std::string& origin,
                         const std::string& config_text, const std::string& config_origin) {
  const auto read = read_text(text, origin, result.errors);
  if (!read) return;
  apply_text(result, *read, origin, &settings_file_keys());
  if (!result.errors.empty()) return;
  const IniIndex config_index = index_ini(config_text);
  check_combination(result.config, {{&read->index, origin}, {&config_index, config_origin}},
                    result.errors);
}

}  // namespace kvmrtc::config
