#include "video_settings.hpp"

#include <catch2/catch.hpp>

using kvmrtc::field_of;
using kvmrtc::parse_settings_request;

TEST_CASE("a settings request becomes config keys in their groups", "[settings]") {
  const auto request = parse_settings_request(
      R"({"framerate": 15, "pipeline": "usb-mjpeg", "zero-playout-delay": false})");
  REQUIRE(request.errors.empty());
  REQUIRE(request.changes.size() == 3);
  CHECK(request.changes[0].group == "video");
  CHECK(request.changes[0].key == "framerate");
  CHECK(request.changes[0].value == "15");
  CHECK(request.changes[1].value == "usb-mjpeg");
  CHECK(request.changes[2].group == "webrtc");
  CHECK(request.changes[2].key == "zero-playout-delay");
  CHECK(request.changes[2].value == "false");
}

TEST_CASE("a settings request names each field it cannot take", "[settings]") {
  const auto request = parse_settings_request(
      R"({"width": "wide", "encoder": 7, "zero-playout-delay": "yes", "colour": "blue",
          "height": 720})");
  REQUIRE(request.errors.size() == 4);
  CHECK(request.errors[0].field == "width");
  CHECK(request.errors[0].message == "must be a whole number");
  CHECK(request.errors[1].field == "encoder");
  CHECK(request.errors[1].message == "must be text");
  CHECK(request.errors[2].field == "zero-playout-delay");
  CHECK(request.errors[3].field == "colour");
  CHECK(request.errors[3].message == "is not a video setting");
  // The good field is kept, but the caller applies nothing while errors stand.
  CHECK(request.changes.size() == 1);

  CHECK(parse_settings_request("{}").errors.front().message == "names no setting to change");
  CHECK_FALSE(parse_settings_request("[1, 2]").errors.empty());
  CHECK_FALSE(parse_settings_request("not json").errors.empty());
  // A key of another group is no video setting, even when the file has it.
  CHECK(parse_settings_request(R"({"port": 80})").errors.front().field == "port");
}

TEST_CASE("a config error's field is its key without the group", "[settings]") {
  CHECK(field_of({"f.conf", 3, "…", "video.max-bitrate"}) == "max-bitrate");
  CHECK(field_of({"f.conf", 0, "cannot read the config", ""}).empty());
}
