#include "config/config.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using kvmrtc::config::Config;
using kvmrtc::config::ConfigError;
using kvmrtc::config::ConfigResult;
using kvmrtc::config::default_config;
using kvmrtc::config::is_loopback_address;
using kvmrtc::config::parse_config;

namespace {

const std::string kStateDir = "/var/lib/kvmrtc-test-state";

ConfigResult parse(const std::string& text) {
  return parse_config(text, "test.conf", kStateDir);
}

std::string describe(const ConfigResult& result) {
  std::string text;
  for (const auto& error : result.errors) text += error.to_string() + "\n";
  return text;
}

// The one error of a config that must have exactly one problem.
ConfigError only_error(const std::string& text) {
  const auto result = parse(text);
  INFO("config:\n" << text << "errors:\n" << describe(result));
  REQUIRE(result.errors.size() == 1);
  return result.errors.front();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("default config listens on loopback 8080 with the test pattern and auto encoder",
          "[config]") {
  const Config config = default_config(kStateDir);
  CHECK(config.server.address == "127.0.0.1");
  CHECK(config.server.port == 8080);
  CHECK(config.server.tls_certificate.empty());
  CHECK(config.server.tls_key.empty());
  CHECK(config.video.pipeline == "test-pattern");
  CHECK(config.video.source.empty());
  CHECK(config.video.encoder == "auto");
  CHECK(config.auth.mode == "none");
  CHECK_FALSE(config.auth.allow_insecure);
  CHECK(config.webrtc.ice_addresses.empty());
}

TEST_CASE("default HID paths are three distinct files under the given state directory",
          "[config]") {
  for (const std::string state_dir : {"/tmp/one", "/srv/other-state"}) {
    const Config config = default_config(state_dir);
    const std::vector<std::string> paths = {config.hid.keyboard, config.hid.mouse,
                                            config.hid.mouse_relative};
    for (const auto& path : paths) {
      INFO(path);
      CHECK(path.rfind(state_dir + "/", 0) == 0);
      CHECK(path.size() > state_dir.size() + 1);
    }
    CHECK(paths[0] != paths[1]);
    CHECK(paths[1] != paths[2]);
    CHECK(paths[0] != paths[2]);
  }
}

TEST_CASE("an empty config is valid and equals the defaults", "[config]") {
  const auto result = parse("");
  REQUIRE(result.ok());
  const Config defaults = default_config(kStateDir);
  CHECK(result.config.server.address == defaults.server.address);
  CHECK(result.config.server.port == defaults.server.port);
  CHECK(result.config.video.pipeline == defaults.video.pipeline);
  CHECK(result.config.video.encoder == defaults.video.encoder);
  CHECK(result.config.hid.keyboard == defaults.hid.keyboard);
  CHECK(result.config.hid.mouse == defaults.hid.mouse);
  CHECK(result.config.hid.mouse_relative == defaults.hid.mouse_relative);
}

TEST_CASE("every key of the schema is read into its setting", "[config]") {
  const auto result = parse(
      "[server]\n"
      "address=127.0.0.2\n"
      "port=9443\n"
      "tls-certificate=/etc/kvmrtc/cert.pem\n"
      "tls-key=/etc/kvmrtc/key.pem\n"
      "frontend=/opt/kvmrtc/www\n"
      "[video]\n"
      "pipeline=usb-mjpeg\n"
      "source=videotestsrc pattern=ball ! video/x-raw,width={width}\n"
      "device=/dev/video7\n"
      "encoder=openh264\n"
      "width=1280\n"
      "height=720\n"
      "framerate=60\n"
      "bitrate=2500\n"
      "keyframe-interval=45\n"
      "[hid]\n"
      "keyboard=/dev/hidg5\n"
      "mouse=/dev/hidg6\n"
      "mouse-relative=/dev/hidg7\n"
      "[auth]\n"
      "mode=none\n"
      "allow-insecure=true\n"
      "users-file=/etc/kvmrtc/users\n"
      "[webrtc]\n"
      "ice-addresses=127.0.0.1\n"
      "stun-server=stun://stun.example.org:3478\n"
      "turn-server=turn://user:pass@turn.example.org:3478\n");
  INFO(describe(result));
  REQUIRE(result.ok());
  const Config& config = result.config;
  CHECK(config.server.address == "127.0.0.2");
  CHECK(config.server.port == 9443);
  CHECK(config.server.tls_certificate == "/etc/kvmrtc/cert.pem");
  CHECK(config.server.tls_key == "/etc/kvmrtc/key.pem");
  CHECK(config.server.frontend_dir == "/opt/kvmrtc/www");
  CHECK(config.video.pipeline == "usb-mjpeg");
  CHECK(config.video.source == "videotestsrc pattern=ball ! video/x-raw,width={width}");
  CHECK(config.video.device == "/dev/video7");
  CHECK(config.video.encoder == "openh264");
  CHECK(config.video.width == 1280);
  CHECK(config.video.height == 720);
  CHECK(config.video.framerate == 60);
  CHECK(config.video.bitrate == 2500);
  CHECK(config.video.keyframe_interval == 45);
  CHECK(config.hid.keyboard == "/dev/hidg5");
  CHECK(config.hid.mouse == "/dev/hidg6");
  CHECK(config.hid.mouse_relative == "/dev/hidg7");
  CHECK(config.auth.mode == "none");
  CHECK(config.auth.allow_insecure);
  CHECK(config.auth.users_file == "/etc/kvmrtc/users");
  CHECK(config.webrtc.ice_addresses == std::vector<std::string>{"127.0.0.1"});
  CHECK(config.webrtc.stun_server == "stun://stun.example.org:3478");
  CHECK(config.webrtc.turn_server == "turn://user:pass@turn.example.org:3478");
}

TEST_CASE("every encoder short name and a gst-launch fragment are accepted", "[config]") {
  for (const std::string encoder :
       {"auto", "x264", "openh264", "v4l2", "vaapi", "nvenc", "x264enc bitrate=800"}) {
    const auto result = parse("[video]\nencoder=" + encoder + "\n");
    INFO(encoder);
    REQUIRE(result.ok());
    CHECK(result.config.video.encoder == encoder);
  }
}

TEST_CASE("allow-insecure=false parses as false", "[config]") {
  const auto result = parse("[auth]\nallow-insecure=false\n");
  REQUIRE(result.ok());
  CHECK_FALSE(result.config.auth.allow_insecure);
}

TEST_CASE("comments and blank lines are ignored but still count as lines", "[config]") {
  const std::string text =
      "# kvmrtc test config\n"
      "\n"
      "[video]\n"
      "   # an indented comment\n"
      "\n"
      "width=800\n"
      "bitrat=1000\n";
  const auto result = parse(text);
  REQUIRE(result.errors.size() == 1);
  CHECK(result.errors[0].line == 7);
  CHECK(result.config.video.width == 800);
}

TEST_CASE("an unknown key names its line and suggests the closest key", "[config]") {
  const auto error = only_error(
      "[server]\n"
      "port=8081\n"
      "\n"
      "# video settings\n"
      "[video]\n"
      "width=1280\n"
      "bitrat=3000\n"
      "height=720\n");
  CHECK(error.origin == "test.conf");
  CHECK(error.line == 7);
  CHECK(contains(error.message, "'bitrat'"));
  CHECK(contains(error.message, "[video]"));
  CHECK(contains(error.message, "did you mean 'bitrate'"));
}

TEST_CASE("an unknown key far from every known key gets no suggestion", "[config]") {
  const auto error = only_error("[video]\nzzzzzzzzzz=1\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "'zzzzzzzzzz'"));
  CHECK_FALSE(contains(error.message, "did you mean"));
}

TEST_CASE("an unknown group names its line and suggests the closest group", "[config]") {
  const auto error = only_error(
      "[server]\n"
      "port=8081\n"
      "[vidoe]\n"
      "width=1280\n");
  CHECK(error.line == 3);
  CHECK(contains(error.message, "[vidoe]"));
  CHECK(contains(error.message, "did you mean 'video'"));
}

TEST_CASE("a value that is not a whole number is an error naming line and key", "[config]") {
  const auto error = only_error("[server]\naddress=127.0.0.1\nport=eighty\n");
  CHECK(error.line == 3);
  CHECK(contains(error.message, "[server] port"));
  CHECK(contains(error.message, "'eighty'"));
}

TEST_CASE("a number with trailing garbage is not a whole number", "[config]") {
  const auto error = only_error("[video]\nwidth=1280px\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "[video] width"));
}

TEST_CASE("numbers outside their range are errors naming line, key and value", "[config]") {
  struct Case {
    std::string group, key, value;
  };
  const std::vector<Case> cases = {
      {"server", "port", "65536"},         {"server", "port", "-1"},
      {"video", "width", "159"},           {"video", "width", "7681"},
      {"video", "height", "119"},          {"video", "height", "4321"},
      {"video", "framerate", "0"},         {"video", "framerate", "500"},
      {"video", "bitrate", "99"},          {"video", "bitrate", "100001"},
      {"video", "keyframe-interval", "0"}, {"video", "keyframe-interval", "10001"},
  };
  for (const auto& c : cases) {
    INFO(c.key << "=" << c.value);
    const auto error =
        only_error("# first line\n[" + c.group + "]\n" + c.key + "=" + c.value + "\n");
    CHECK(error.line == 3);
    CHECK(contains(error.message, "[" + c.group + "] " + c.key));
    CHECK(contains(error.message, c.value));
    CHECK(contains(error.message, "out of range"));
  }
}

TEST_CASE("range limits themselves are accepted", "[config]") {
  const auto result = parse(
      "[server]\nport=0\n"
      "[video]\nwidth=7680\nheight=120\nframerate=120\nbitrate=100\nkeyframe-interval=10000\n");
  REQUIRE(result.ok());
  CHECK(result.config.server.port == 0);
  CHECK(result.config.video.width == 7680);
  CHECK(result.config.video.height == 120);
  CHECK(result.config.video.framerate == 120);
  CHECK(result.config.video.bitrate == 100);
  CHECK(result.config.video.keyframe_interval == 10000);
}

TEST_CASE("a boolean other than true or false is an error", "[config]") {
  const auto error = only_error("[auth]\nallow-insecure=yes\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "[auth] allow-insecure"));
  CHECK(contains(error.message, "'yes'"));
}

TEST_CASE("an encoder word that is neither a short name nor a fragment is an error", "[config]") {
  const auto error = only_error("[video]\nencoder=x265\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "[video] encoder"));
  CHECK(contains(error.message, "'x265'"));
}

TEST_CASE("an auth mode outside none and password is an error", "[config]") {
  const auto error = only_error("[auth]\nmode=ldap\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "[auth] mode"));
  CHECK(contains(error.message, "'ldap'"));
}

TEST_CASE("an empty value for a path or name key is an error", "[config]") {
  for (const std::string line : {"[server]\naddress=", "[video]\npipeline=", "[hid]\nmouse="}) {
    const auto error = only_error(line + "\n");
    INFO(line);
    CHECK(error.line == 2);
    CHECK(contains(error.message, "must not be empty"));
  }
}

TEST_CASE("ice-addresses splits on commas and spaces", "[config]") {
  const auto result = parse("[webrtc]\nice-addresses=127.0.0.1, 10.0.0.2,::1  192.168.1.9\n");
  REQUIRE(result.ok());
  CHECK(result.config.webrtc.ice_addresses ==
        std::vector<std::string>{"127.0.0.1", "10.0.0.2", "::1", "192.168.1.9"});
}

TEST_CASE("an ice address that is not an IP address is an error naming it", "[config]") {
  const auto error = only_error("[webrtc]\n\nice-addresses=127.0.0.1,localhost\n");
  CHECK(error.line == 3);
  CHECK(contains(error.message, "[webrtc] ice-addresses"));
  CHECK(contains(error.message, "'localhost'"));
}

TEST_CASE("codecs: H.264 first and VP8 second unless the config says otherwise", "[config]") {
  CHECK(default_config(kStateDir).webrtc.codecs == std::vector<std::string>{"H264", "VP8"});
  const auto result = parse("[webrtc]\ncodecs=vp8, h264\n");
  REQUIRE(result.ok());
  CHECK(result.config.webrtc.codecs == std::vector<std::string>{"VP8", "H264"});
  const auto only_h264 = parse("[webrtc]\ncodecs=H264\n");
  REQUIRE(only_h264.ok());
  CHECK(only_h264.config.webrtc.codecs == std::vector<std::string>{"H264"});
}

TEST_CASE("codecs: an unknown, repeated or missing codec is an error naming it", "[config]") {
  const auto unknown = only_error("[webrtc]\ncodecs=h264,vp9\n");
  CHECK(unknown.line == 2);
  CHECK(contains(unknown.message, "[webrtc] codecs"));
  CHECK(contains(unknown.message, "'vp9'"));
  CHECK(contains(only_error("[webrtc]\ncodecs=vp8,VP8\n").message, "listed twice"));
  CHECK(contains(only_error("[webrtc]\ncodecs= , \n").message, "lists no codec"));
}

TEST_CASE("hostnames: the names a request may give the daemon", "[config]") {
  const auto result = parse("[server]\nhostnames=kvm.example.lan, pikvm\n");
  REQUIRE(result.ok());
  CHECK(result.config.server.hostnames == std::vector<std::string>{"kvm.example.lan", "pikvm"});
  CHECK(contains(only_error("[server]\nhostnames=kvm/x\n").message, "'kvm/x' is not a host name"));
  CHECK(contains(only_error("[server]\nhostnames=,\n").message, "lists no host name"));
}

TEST_CASE("a line without '=' is a syntax error on its line", "[config]") {
  const auto error = only_error("[video]\nwidth=640\nheight 480\n");
  CHECK(error.line == 3);
  CHECK(contains(error.message, "height 480"));
}

TEST_CASE("a key before any group is a syntax error on its line", "[config]") {
  const auto error = only_error("# comment\nport=8081\n[server]\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "port=8081"));
}

TEST_CASE("a line with an empty key is located", "[config]") {
  const auto error = only_error("[video]\nwidth=640\n=480\n");
  CHECK(error.line == 3);
}

TEST_CASE("a bad value given twice is blamed on the line that holds it", "[config]") {
  const auto result = parse("[video]\nwidth=640\nwidth=abc\n");
  REQUIRE_FALSE(result.ok());
  for (const auto& error : result.errors) {
    INFO(error.to_string());
    CHECK(error.line == 3);
    CHECK(contains(error.message, "set twice (first on line 2)"));
  }
}

TEST_CASE("tls-certificate and tls-key must be set together", "[config]") {
  SECTION("certificate alone") {
    const auto error = only_error("[server]\nport=8443\ntls-certificate=/etc/cert.pem\n");
    CHECK(error.line == 3);
    CHECK(contains(error.message, "tls-key"));
  }
  SECTION("key alone") {
    const auto error = only_error("[server]\ntls-key=/etc/key.pem\n");
    CHECK(error.line == 2);
    CHECK(contains(error.message, "tls-certificate"));
  }
  SECTION("both") {
    CHECK(parse("[server]\ntls-certificate=/etc/cert.pem\ntls-key=/etc/key.pem\n").ok());
  }
}

TEST_CASE("mode=none on a non-loopback address is refused unless allow-insecure=true", "[config]") {
  SECTION("refused, and the error points at [auth] mode") {
    const auto error = only_error("[server]\naddress=0.0.0.0\n[auth]\nmode=none\n");
    CHECK(error.line == 4);
    CHECK(contains(error.message, "0.0.0.0"));
    CHECK(contains(error.message, "allow-insecure"));
  }
  SECTION("refused by default, when [auth] is not written at all") {
    const auto result = parse("[server]\naddress=192.168.1.20\n");
    CHECK_FALSE(result.ok());
  }
  SECTION("allowed with allow-insecure=true") {
    CHECK(parse("[server]\naddress=0.0.0.0\n[auth]\nmode=none\nallow-insecure=true\n").ok());
  }
  SECTION("allowed on loopback addresses") {
    for (const std::string address : {"127.0.0.1", "127.0.1.1", "::1"}) {
      INFO(address);
      CHECK(parse("[server]\naddress=" + address + "\n").ok());
    }
  }
}

TEST_CASE("mode=password on a network address, with session times", "[config][auth]") {
  const auto result = parse(
      "[server]\naddress=0.0.0.0\n[auth]\nmode=password\nusers-file=/srv/users\n"
      "idle-timeout=90s\nsession-lifetime=7d\n");
  INFO(describe(result));
  REQUIRE(result.ok());
  CHECK(result.config.auth.mode == "password");
  CHECK(result.config.auth.users_file == "/srv/users");
  CHECK(result.config.auth.idle_timeout_s == 90);
  CHECK(result.config.auth.session_lifetime_s == 7 * 86400);
}

TEST_CASE("sessions last 30 minutes idle and 12 hours at most unless told", "[config][auth]") {
  const auto config = parse("").config;
  CHECK(config.auth.users_file == "/etc/kvmrtc/users");
  CHECK(config.auth.idle_timeout_s == 30 * 60);
  CHECK(config.auth.session_lifetime_s == 12 * 3600);
}

TEST_CASE("durations are a number and a unit", "[config]") {
  using kvmrtc::config::parse_duration;
  CHECK(parse_duration("45") == 45);
  CHECK(parse_duration("45s") == 45);
  CHECK(parse_duration("30m") == 1800);
  CHECK(parse_duration("12h") == 43200);
  CHECK(parse_duration("2d") == 172800);
  for (const std::string bad : {"", "m", "-5m", "5 m", "5min", "1.5h", "5M", "99999999999999d"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad));
  }
  const auto error = only_error("[auth]\nidle-timeout=half an hour\n");
  CHECK(error.line == 2);
  CHECK(contains(error.message, "idle-timeout"));
  CHECK(contains(error.message, "not a duration"));
  CHECK(contains(only_error("[auth]\nsession-lifetime=0s\n").message, "out of range"));
}

TEST_CASE("http-redirect-port needs TLS and a port of its own", "[config]") {
  CHECK(contains(only_error("[server]\nhttp-redirect-port=8081\n").message, "needs"));
  const std::string tls = "[server]\nport=8443\ntls-certificate=/c.pem\ntls-key=/k.pem\n";
  CHECK(contains(only_error(tls + "http-redirect-port=8443\n").message, "HTTPS port itself"));
  const auto result = parse(tls + "http-redirect-port=8080\n");
  INFO(describe(result));
  REQUIRE(result.ok());
  CHECK(result.config.server.http_redirect_port == 8080);
}

TEST_CASE("ConfigError::to_string is origin:line: message, without line when 0", "[config]") {
  CHECK(ConfigError{"/etc/kvmrtc.conf", 7, "bad"}.to_string() == "/etc/kvmrtc.conf:7: bad");
  CHECK(ConfigError{"/etc/kvmrtc.conf", 0, "bad"}.to_string() == "/etc/kvmrtc.conf: bad");
}

TEST_CASE("a parse error's to_string names the origin, line and key", "[config]") {
  const auto result = parse_config("[video]\nframerate=500\n", "/etc/kvmrtc.conf", kStateDir);
  REQUIRE(result.errors.size() == 1);
  const std::string text = result.errors[0].to_string();
  CHECK(text.rfind("/etc/kvmrtc.conf:2: ", 0) == 0);
  CHECK(contains(text, "framerate"));
}

TEST_CASE("is_loopback_address accepts 127/8 and ::1 only", "[config]") {
  CHECK(is_loopback_address("127.0.0.1"));
  CHECK(is_loopback_address("127.255.0.9"));
  CHECK(is_loopback_address("::1"));
  CHECK_FALSE(is_loopback_address("localhost"));  // [server] address takes IP addresses only
  CHECK_FALSE(is_loopback_address("0.0.0.0"));
  CHECK_FALSE(is_loopback_address("::"));
  CHECK_FALSE(is_loopback_address("192.168.1.5"));
  CHECK_FALSE(is_loopback_address("10.127.0.1"));
  CHECK_FALSE(is_loopback_address("128.0.0.1"));
  CHECK_FALSE(is_loopback_address(""));
}

TEST_CASE("the bitrate range defaults to a tenth of the bitrate up to the bitrate", "[config]") {
  const auto result = parse("[video]\nbitrate=3000\n");
  REQUIRE(result.ok());
  CHECK(kvmrtc::config::effective_min_bitrate(result.config.video) == 300);
  CHECK(kvmrtc::config::effective_max_bitrate(result.config.video) == 3000);
  const auto low = parse("[video]\nbitrate=500\n");
  REQUIRE(low.ok());
  CHECK(kvmrtc::config::effective_min_bitrate(low.config.video) == 100);
}

TEST_CASE("an explicit bitrate range is kept", "[config]") {
  const auto result = parse("[video]\nbitrate=2000\nmin-bitrate=800\nmax-bitrate=6000\n");
  REQUIRE(result.ok());
  CHECK(kvmrtc::config::effective_min_bitrate(result.config.video) == 800);
  CHECK(kvmrtc::config::effective_max_bitrate(result.config.video) == 6000);
}

TEST_CASE("a bitrate outside its own range is an error on the range's line", "[config]") {
  const auto above = only_error("[video]\nbitrate=5000\nmax-bitrate=4000\n");
  CHECK(above.line == 3);
  CHECK(contains(above.message, "bitrate=5000 is above max-bitrate=4000"));
  const auto below = only_error("[video]\nbitrate=1000\n\nmin-bitrate=2000\n");
  CHECK(below.line == 4);
  CHECK(contains(below.message, "bitrate=1000 is below min-bitrate=2000"));
}

TEST_CASE("an error names the key it is about, for scripts", "[config]") {
  CHECK(only_error("[video]\nwidth=wide\n").key == "video.width");
  CHECK(only_error("[video]\nwdith=1280\n").key == "video.wdith");
  CHECK(only_error("[video]\nbitrate=3000\nmax-bitrate=2000\n").key == "video.max-bitrate");
  CHECK(only_error("[server]\ntls-key=/k.pem\n").key == "server.tls-key");
  // A line that is no key=value at all names none.
  CHECK(only_error("[video]\nwidth\n").key.empty());
}

TEST_CASE("a comment after a value is named as the mistake it is", "[config]") {
  const auto error = only_error("[video]\nbitrate=4000   # kbit/s\n");
  CHECK(error.message ==
        "[video] bitrate: '4000   # kbit/s' is not a whole number (a # comment goes on a line of "
        "its own)");
}

TEST_CASE("the address to listen on must be an IP address, as the daemon needs at start",
          "[config]") {
  CHECK_THAT(only_error("[server]\naddress=localhost\n").message,
             Catch::StartsWith("[server] address: 'localhost' is not an IP address"));
  CHECK(only_error("[server]\naddress=\n").key == "server.address");
  for (const char* address : {"127.0.0.1", "::1", "0.0.0.0", "::", "192.0.2.7"}) {
    INFO(address);
    CHECK(parse(std::string("[server]\naddress=") + address + "\n[auth]\nallow-insecure=true\n")
              .ok());
  }
}

TEST_CASE("a line that is not UTF-8 text is an error at its line, quoted nowhere", "[config]") {
  // Found by the config fuzz target: the message quoted the bytes, and POST /api/reload sends
  // messages as JSON, which must be UTF-8.
  const auto error = only_error(std::string("[server]\nport=0\n[video]\nwid\x91th=1280\n"));
  CHECK(error.line == 4);
  CHECK(error.message == "the line is not UTF-8 text (a config file is UTF-8)");
  CHECK(only_error(std::string("[server]\nport=0\0\n", 16)).line == 2);
}
