#include "config/reload_plan.hpp"

#include <catch2/catch.hpp>

#include "config/config.hpp"

using kvmrtc::config::Config;
using kvmrtc::config::known_key_names;
using kvmrtc::config::parse_config;
using kvmrtc::config::plan_reload;
using kvmrtc::config::reload_action;
using kvmrtc::config::ReloadAction;

namespace {

Config parsed(const std::string& text) {
  const auto result = parse_config(text, "test.conf", "/tmp/state");
  REQUIRE(result.errors.empty());
  return result.config;
}

}  // namespace

TEST_CASE("every config key has a way to be reloaded", "[reload]") {
  for (const auto& key : known_key_names()) {
    INFO(key);
    CHECK(reload_action(key).has_value());
  }
  CHECK_FALSE(reload_action("video.no-such-key").has_value());
}

TEST_CASE("the same config plans nothing", "[reload]") {
  const auto config = parsed("[video]\nwidth=1280\nheight=720\nbitrate=3000\n");
  CHECK(plan_reload(config, config).changes.empty());
}

TEST_CASE("each key goes the least disruptive way", "[reload]") {
  const std::string base = "[video]\nwidth=1280\nheight=720\nbitrate=3000\n";
  const std::string bounds = "min-bitrate=500\nmax-bitrate=8000\n";
  const auto running = parsed(base + bounds);
  struct Case {
    std::string edit;
    const char* key;
    ReloadAction action;
  };
  const Case cases[] = {
      {"[video]\nwidth=1280\nheight=720\nbitrate=5000\n" + bounds, "video.bitrate",
       ReloadAction::kLive},
      {base + "min-bitrate=500\nmax-bitrate=9000\n", "video.max-bitrate", ReloadAction::kLive},
      {"[video]\nwidth=1920\nheight=720\nbitrate=3000\n" + bounds, "video.width",
       ReloadAction::kRebuild},
      {base + bounds + "framerate=60\n", "video.framerate", ReloadAction::kRebuild},
      {base + bounds + "encoder=x264\n", "video.encoder", ReloadAction::kRebuild},
      {base + bounds + "[hid]\nkeyboard=/dev/hidg5\n", "hid.keyboard", ReloadAction::kReopen},
      {base + bounds + "[auth]\nsession-lifetime=1h\n", "auth.session-lifetime",
       ReloadAction::kNewSessions},
      {base + bounds + "[webrtc]\nzero-playout-delay=false\n", "webrtc.zero-playout-delay",
       ReloadAction::kNewViewers},
      {base + bounds + "[server]\nport=9000\n", "server.port", ReloadAction::kNeedsRestart},
      {base + bounds + "[auth]\nmode=password\n", "auth.mode", ReloadAction::kNeedsRestart},
  };
  for (const auto& edit : cases) {
    INFO(edit.edit);
    const auto plan = plan_reload(running, parsed(edit.edit));
    REQUIRE(plan.changes.size() == 1);
    CHECK(plan.changes.front().key == edit.key);
    CHECK(plan.changes.front().action == edit.action);
    CHECK(plan.needs(edit.action));
  }
}

TEST_CASE("bounds left unset and bounds set to their defaults are the same config", "[reload]") {
  // Unset, min-bitrate is a tenth of the bitrate and max-bitrate the bitrate itself.
  const auto implicit = parsed("[video]\nbitrate=3000\n");
  const auto spelled = parsed("[video]\nbitrate=3000\nmin-bitrate=300\nmax-bitrate=3000\n");
  CHECK(plan_reload(implicit, spelled).changes.empty());
  // A new bitrate moves the implicit bounds with it: three live changes, one action.
  const auto raised = parsed("[video]\nbitrate=6000\n");
  const auto plan = plan_reload(implicit, raised);
  CHECK(plan.keys(ReloadAction::kLive) ==
        std::vector<std::string>{"video.bitrate", "video.min-bitrate", "video.max-bitrate"});
  CHECK_FALSE(plan.needs(ReloadAction::kRebuild));
}

TEST_CASE("a size and a bitrate in one edit: one rebuild, and the bitrate set live", "[reload]") {
  const auto running = parsed("[video]\nwidth=1280\nheight=720\nbitrate=3000\nmax-bitrate=8000\n");
  const auto next = parsed("[video]\nwidth=1920\nheight=1080\nbitrate=5000\nmax-bitrate=8000\n");
  const auto plan = plan_reload(running, next);
  CHECK(plan.keys(ReloadAction::kRebuild) ==
        std::vector<std::string>{"video.width", "video.height"});
  CHECK(plan.keys(ReloadAction::kLive) ==
        std::vector<std::string>{"video.bitrate", "video.min-bitrate"});
}
