// The daemon's settings, as read from a GKeyFile (INI) config. See docs/configuration.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kvmrtc::config {

struct ServerSettings {
  std::string address = "127.0.0.1";
  int port = 8080;
  std::string tls_certificate;
  std::string tls_key;
  std::string frontend_dir;  // empty: the installed or source-tree frontend
  // The names a request's Host (and a browser's Origin) may give this daemon, besides its IP
  // addresses; empty: the machine's host name, <hostname>.local and localhost.
  std::vector<std::string> hostnames;
  // With TLS, a second, plain-HTTP port whose every answer is a redirect to HTTPS; 0: none.
  int http_redirect_port = 0;
  // A scraper sending "Authorization: Bearer <token>" may read /metrics without a login; empty:
  // /metrics needs a session like the API.
  std::string metrics_token;
  // Where the settings dialog saves, when not in the config file itself (which a hardened
  // service cannot write); its keys override the config file's. Empty: the config file.
  std::string settings_file;
  // Viewers at once; the next page is told `too-many-viewers` and gets no pipeline.
  int max_viewers = 8;
};

struct VideoSettings {
  std::string pipeline = "test-pattern";
  std::string source;  // overrides the preset's source when set
  std::string device = "/dev/video0";
  std::string encoder = "auto";
  int width = 1920;
  int height = 1080;
  int framerate = 30;
  int bitrate = 4000;           // kbit/s at the start, before any viewer's feedback
  int min_bitrate = 0;          // kbit/s congestion control may go down to; 0: see below
  int max_bitrate = 0;          // kbit/s it may go up to; 0: the bitrate
  int keyframe_interval = 120;  // frames between periodic keyframes
  bool latency_stamp = false;   // paint capture times into frames, for bench/latency.mjs
  // The VP8 encoder (for browsers without H.264) works on at most this many lines, scaling a
  // taller stream down: at 1080p30 it takes half a core more than at 720p (bench/RESULTS.md).
  // 0: the stream's own size.
  int vp8_max_height = 720;
};

// The range congestion control keeps the encoder in. Unset, it goes from a tenth of the
// bitrate (at least 100 kbit/s, which still shows a readable still desktop) up to the bitrate.
inline int effective_min_bitrate(const VideoSettings& video) {
  if (video.min_bitrate > 0) return video.min_bitrate;
  return video.bitrate / 10 > 100 ? video.bitrate / 10 : 100;
}
inline int effective_max_bitrate(const VideoSettings& video) {
  return video.max_bitrate > 0 ? video.max_bitrate : video.bitrate;
}

struct HidSettings {
  std::string keyboard;
  std::string mouse;
  std::string mouse_relative;
  // Where the target's LED reports are read; empty: the keyboard device when it is one.
  std::string keyboard_leds;
};

struct AuthSettings {
  std::string mode = "none";
  bool allow_insecure = false;
  std::string users_file = "/etc/kvmrtc/users";
  // A session nobody has used for this long ends; every session ends this long after login.
  int idle_timeout_s = 30 * 60;
  int session_lifetime_s = 12 * 60 * 60;
};

struct WebrtcSettings {
  std::vector<std::string> ice_addresses;
  std::string stun_server;
  std::string turn_server;
  // With no ice_addresses: gather on loopback as well as on every other interface. Set for a
  // daemon that listens on loopback, whose browser runs on this machine (or behind a tunnel)
  // and may have no interface but loopback, as in a network namespace of its own.
  bool gather_loopback = false;
  // The codecs viewers may get, in the daemon's order of preference (SDP names): each viewer
  // gets the first that its browser decodes. VP8 costs a second encoder while it is in use.
  std::vector<std::string> codecs = {"H264", "VP8"};
  // Send the RTP playout-delay extension with min = max = 0: Chromium then renders each frame
  // as soon as it is decoded instead of holding it for its smoothing renderer: 14 ms less at
  // 1080p, and it drops no frame (bench/RESULTS.md).
  bool zero_playout_delay = true;
};

// What one page may ask of the board. A page over a limit gets an error naming its key; the
// lines logged for rejected messages are limited daemon-wide, so no page can flood the log.
struct LimitsSettings {
  int message_bytes = 64 * 1024;        // one signaling or input message
  int ice_candidates = 64;              // remote ICE candidates per viewer
  int paste_characters = 4096;          // one paste
  int input_messages_per_second = 500;  // keyboard and mouse messages per viewer
  int log_lines_per_second = 5;         // rejected-message lines, for all viewers together
  // Connections from one address that no request has logged in on yet, and how long each may
  // stay so (web/pending_connections.hpp).
  int pending_connections_per_address = 64;
  int pending_connection_seconds = 10;
};

struct Config {
  ServerSettings server;
  VideoSettings video;
  HidSettings hid;
  AuthSettings auth;
  WebrtcSettings webrtc;
  LimitsSettings limits;
  // The keys the file set ("video.width"): a preset's settings fill in only the others.
  std::vector<std::string> keys_set;

  bool sets(const std::string& key) const;
};

// One problem found in a config, located for the user: "FILE:LINE: [group] key: what is wrong".
struct ConfigError {
  std::string origin;
  int line = 0;  // 0 when the problem has no single line (e.g. two keys that conflict)
  std::string message;
  std::string key;  // "group.key" when one key is at fault, for scripts (POST /api/reload)

  std::string to_string() const;
};

struct ConfigResult {
  Config config;
  std::vector<ConfigError> errors;  // empty when the config is valid

  bool ok() const { return errors.empty(); }
};

// Parses and validates config text. `origin` names it in error messages (usually the path).
// Keys not given keep the built-in defaults; HID paths default under `state_dir`.
ConfigResult parse_config(const std::string& text, const std::string& origin,
                          const std::string& state_dir);

// The keys a `[server] settings-file` may hold: the settings dialog's, as "group.key".
const std::vector<std::string>& settings_file_keys();

// Applies the settings file's `text` over `result` (parse_config's, without errors): only
// settings_file_keys() may be in it. The combination is checked again, each error located in
// the file that sets the key.
void apply_settings_file(ConfigResult& result, const std::string& text, const std::string& origin,
                         const std::string& config_text, const std::string& config_origin);

// The built-in configuration: test pattern, HID written to files under `state_dir`,
// 127.0.0.1:8080, no login.
Config default_config(const std::string& state_dir);

bool is_loopback_address(const std::string& address);

// Every key a config may set, as "group.key", in the order docs/configuration.md lists them.
std::vector<std::string> known_key_names();

// Sets one key as the file would (the same checks); returns what is wrong with the value, or
// nothing. A key that does not exist is wrong too.
std::optional<std::string> apply_key(Config& config, const std::string& group,
                                     const std::string& key, const std::string& value);

// "90s", "30m", "12h", "7d" (a bare number is seconds) in seconds, or nothing.
std::optional<long> parse_duration(const std::string& text);

}  // namespace kvmrtc::config
