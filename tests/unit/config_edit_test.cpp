#include "config/config_edit.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "config/config.hpp"

using kvmrtc::config::edit_config_text;
using kvmrtc::config::parse_config;

TEST_CASE("an edit keeps the comments, blank lines and keys it does not name", "[config-edit]") {
  const std::string text =
      "# The board's config.\n"
      "\n"
      "[server]\n"
      "# loopback only\n"
      "address=127.0.0.1\n"
      "\n"
      "[video]\n"
      "# the HDMI bridge\n"
      "pipeline=v4l2-raw\n"
      "framerate=30\n"
      "bitrate=4000\n";
  const auto edited = edit_config_text(text, {{"video", "framerate", "15"},
                                              {"video", "width", "1280"},
                                              {"webrtc", "zero-playout-delay", "false"}});
  REQUIRE(edited.error.empty());
  const std::string& out = edited.text;
  CHECK(out.find("# The board's config.\n") == 0);
  CHECK(out.find("# loopback only\naddress=127.0.0.1\n") != std::string::npos);
  CHECK(out.find("# the HDMI bridge\npipeline=v4l2-raw\nframerate=15\nbitrate=4000\n") !=
        std::string::npos);
  CHECK(out.find("framerate=30") == std::string::npos);
  // What the daemon reads back is the edit.
  const auto parsed = parse_config(out, "edited.conf", "/tmp/state");
  REQUIRE(parsed.errors.empty());
  CHECK(parsed.config.video.framerate == 15);
  CHECK(parsed.config.video.width == 1280);
  CHECK(parsed.config.video.bitrate == 4000);
  CHECK(parsed.config.video.pipeline == "v4l2-raw");
  CHECK_FALSE(parsed.config.webrtc.zero_playout_delay);
}

TEST_CASE("an empty file gains the groups it needs; a broken one is refused", "[config-edit]") {
  const auto fresh = edit_config_text("", {{"video", "bitrate", "3000"}});
  REQUIRE(fresh.error.empty());
  CHECK(parse_config(fresh.text, "fresh.conf", "/tmp/state").config.video.bitrate == 3000);
  const auto broken = edit_config_text("[video\nwidth=1\n", {{"video", "bitrate", "3000"}});
  CHECK_FALSE(broken.error.empty());
  CHECK(broken.text.empty());
}
