#include <json-glib/json-glib.h>

#include <catch2/catch.hpp>
#include <string>

#include "hid/messages.hpp"
#include "util/json_text.hpp"

using namespace kvmrtc::hid;

namespace {

MessageError error_of(const std::string& text) {
  const InputMessage message = parse_input_message(text);
  REQUIRE(std::holds_alternative<MessageError>(message));
  return std::get<MessageError>(message);
}

}  // namespace

TEST_CASE("key messages carry the code and the direction", "[hid][messages]") {
  const auto message = parse_input_message(R"({"t":"key","code":"KeyA","down":true})");
  REQUIRE(std::holds_alternative<KeyMessage>(message));
  CHECK(std::get<KeyMessage>(message).code == "KeyA");
  CHECK(std::get<KeyMessage>(message).down);
  const auto up = parse_input_message(R"({"t":"key","code":"ShiftLeft","down":false})");
  CHECK_FALSE(std::get<KeyMessage>(up).down);
}

TEST_CASE("pointer messages keep fractions and clamp absurd deltas", "[hid][messages]") {
  const auto absolute = parse_input_message(R"({"t":"abs","x":0.25,"y":1,"buttons":3})");
  REQUIRE(std::holds_alternative<AbsolutePointerMessage>(absolute));
  CHECK(std::get<AbsolutePointerMessage>(absolute).x == Approx(0.25));
  CHECK(std::get<AbsolutePointerMessage>(absolute).y == Approx(1.0));
  CHECK(std::get<AbsolutePointerMessage>(absolute).buttons == 3);

  const auto relative = parse_input_message(R"({"t":"rel","dx":-5,"dy":1e300,"buttons":1})");
  REQUIRE(std::holds_alternative<RelativePointerMessage>(relative));
  CHECK(std::get<RelativePointerMessage>(relative).dx == -5);
  CHECK(std::get<RelativePointerMessage>(relative).dy == 1000000);

  const auto wheel = parse_input_message(R"({"t":"wheel","dy":2,"dx":-1,"mode":"rel"})");
  REQUIRE(std::holds_alternative<WheelMessage>(wheel));
  CHECK(std::get<WheelMessage>(wheel).dy == 2);
  CHECK(std::get<WheelMessage>(wheel).dx == -1);
  CHECK(std::get<WheelMessage>(wheel).relative);
}

TEST_CASE("buttons outside a byte are treated as none", "[hid][messages]") {
  const auto message = parse_input_message(R"({"t":"abs","x":0,"y":0,"buttons":-1})");
  CHECK(std::get<AbsolutePointerMessage>(message).buttons == 0);
  const auto huge = parse_input_message(R"({"t":"abs","x":0,"y":0,"buttons":1e12})");
  CHECK(std::get<AbsolutePointerMessage>(huge).buttons == 0);
}

TEST_CASE("release, paste and paste-cancel parse", "[hid][messages]") {
  CHECK(std::holds_alternative<ReleaseMessage>(parse_input_message(R"({"t":"release"})")));
  CHECK(std::holds_alternative<PasteCancelMessage>(parse_input_message(R"({"t":"paste-cancel"})")));
  const auto paste = parse_input_message(R"({"t":"paste","text":"a\nb","layout":"de-DE"})");
  REQUIRE(std::holds_alternative<PasteMessage>(paste));
  CHECK(std::get<PasteMessage>(paste).text == "a\nb");
  CHECK(std::get<PasteMessage>(paste).layout == "de-DE");
}

TEST_CASE("malformed and hostile input message are refused with a code", "[hid][messages]") {
  CHECK(error_of("").code == "bad-json");
  CHECK(error_of("{").code == "bad-json");
  CHECK(error_of("[]").code == "bad-json");
  CHECK(error_of("42").code == "bad-json");
  CHECK(error_of(R"({"type":"key"})").code == "bad-field");
  CHECK(error_of(R"({"t":1})").code == "bad-field");
  CHECK(error_of(R"({"t":"key","down":true})").code == "bad-field");
  CHECK(error_of(R"({"t":"key","code":"KeyA","down":"yes"})").code == "bad-field");
  CHECK(error_of(R"({"t":"key","code":7,"down":true})").code == "bad-field");
  CHECK(error_of(R"({"t":"abs","x":"0","y":0})").code == "bad-field");
  CHECK(error_of(R"({"t":"rel","dx":1})").code == "bad-field");
  CHECK(error_of(R"({"t":"paste","text":"x"})").code == "bad-field");
  CHECK(error_of(R"({"t":"self-destruct"})").code == "unknown-type");
  CHECK(error_of(R"({"t":"\udc00"})").code == "bad-json");
  const std::string huge =
      R"({"t":"paste","layout":"en-US","text":")" + std::string(kMaxHidMessageBytes, 'a') + R"("})";
  CHECK(error_of(huge).code == "too-large");
}

TEST_CASE("daemon messages are JSON with the documented fields", "[hid][messages]") {
  const auto leds = kvmrtc::parse_json_object(leds_message(0x02 | 0x04));
  REQUIRE(leds.object != nullptr);
  CHECK(std::string(json_object_get_string_member(leds.object, "t")) == "leds");
  CHECK_FALSE(json_object_get_boolean_member(leds.object, "num"));
  CHECK(json_object_get_boolean_member(leds.object, "caps"));
  CHECK(json_object_get_boolean_member(leds.object, "scroll"));

  const auto devices =
      kvmrtc::parse_json_object(devices_message("ok", "not-responding", "missing"));
  REQUIRE(devices.object != nullptr);
  CHECK(std::string(json_object_get_string_member(devices.object, "mouse")) == "not-responding");
  CHECK(std::string(json_object_get_string_member(devices.object, "mouse-relative")) == "missing");

  const auto refused =
      kvmrtc::parse_json_object(paste_progress_message("refused", 0, 0, {"€", "漢"}));
  REQUIRE(refused.object != nullptr);
  JsonArray* unsupported = json_object_get_array_member(refused.object, "unsupported");
  REQUIRE(json_array_get_length(unsupported) == 2);
  CHECK(std::string(json_array_get_string_element(unsupported, 1)) == "漢");
}
