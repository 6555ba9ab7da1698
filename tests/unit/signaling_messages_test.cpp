#include <json-glib/json-glib.h>

#include <catch2/catch.hpp>
#include <string>
#include <variant>
#include <vector>

#include "signaling/messages.hpp"
#include "util/ref_ptr.hpp"

using namespace kvmrtc::signaling;

namespace {

// The error code of a message that must be rejected, "" when it was accepted.
std::string error_code(const std::string& text) {
  const ClientMessage message = parse_client_message(text);
  const auto* error = std::get_if<ParseError>(&message);
  if (error == nullptr) return "";
  CHECK_FALSE(error->message.empty());
  return error->code;
}

std::string ice_with_index(const std::string& index_json) {
  return R"({"type":"ice","candidate":"candidate:1 1 UDP 1 127.0.0.1 5000 typ host",)"
         R"("sdpMLineIndex":)" +
         index_json + "}";
}

// Parses daemon output back with json-glib, as a browser would, and keeps the root object.
class Parsed {
 public:
  explicit Parsed(const std::string& text) : parser_(json_parser_new()) {
    INFO(text);
    REQUIRE(g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr));
    GError* raw_error = nullptr;
    const bool loaded = json_parser_load_from_data(parser_.get(), text.data(),
                                                   static_cast<gssize>(text.size()), &raw_error);
    kvmrtc::ErrorPtr error(raw_error);
    INFO((error ? error->message : ""));
    REQUIRE(loaded);
    JsonNode* root = json_parser_get_root(parser_.get());
    REQUIRE(root != nullptr);
    REQUIRE(JSON_NODE_HOLDS_OBJECT(root));
    object_ = json_node_get_object(root);
  }

  std::size_t size() const { return json_object_get_size(object_); }

  std::string string(const char* name) const {
    INFO("field " << name);
    REQUIRE(value_type(name) == G_TYPE_STRING);
    return json_object_get_string_member(object_, name);
  }

  double real(const char* name) const {
    INFO("field " << name);
    REQUIRE(value_type(name) == G_TYPE_DOUBLE);
    return json_object_get_double_member(object_, name);
  }

  gint64 integer(const char* name) const {
    INFO("field " << name);
    REQUIRE(value_type(name) == G_TYPE_INT64);
    return json_object_get_int_member(object_, name);
  }

 private:
  GType value_type(const char* name) const {
    JsonNode* node = json_object_get_member(object_, name);
    if (node == nullptr || !JSON_NODE_HOLDS_VALUE(node)) return G_TYPE_INVALID;
    return json_node_get_value_type(node);
  }

  kvmrtc::GObjectPtr<JsonParser> parser_;
  JsonObject* object_ = nullptr;
};

}  // namespace

TEST_CASE("text that is not JSON is bad-json", "[signaling]") {
  CHECK(error_code("") == "bad-json");
  CHECK(error_code("hello") == "bad-json");
  CHECK(error_code(R"({"type":"pong")") == "bad-json");
  CHECK(error_code("{\"type\":\"pong\"}\xff") == "bad-json");
}

TEST_CASE("JSON that is not an object is bad-json", "[signaling]") {
  CHECK(error_code(R"([{"type":"pong"}])") == "bad-json");
  CHECK(error_code("42") == "bad-json");
  CHECK(error_code(R"("pong")") == "bad-json");
  CHECK(error_code("null") == "bad-json");
}

TEST_CASE("a message without a string type is bad-field", "[signaling]") {
  CHECK(error_code(R"({})") == "bad-field");
  CHECK(error_code(R"({"sdp":"v=0"})") == "bad-field");
  CHECK(error_code(R"({"type":7})") == "bad-field");
  CHECK(error_code(R"({"type":null})") == "bad-field");
  CHECK(error_code(R"({"type":["pong"]})") == "bad-field");
}

TEST_CASE("a type the protocol does not know is unknown-type", "[signaling]") {
  CHECK(error_code(R"({"type":"offer","sdp":"v=0"})") == "unknown-type");
  CHECK(error_code(R"({"type":"PONG"})") == "unknown-type");
  CHECK(error_code(R"({"type":""})") == "unknown-type");
}

TEST_CASE("an answer needs a string sdp", "[signaling]") {
  CHECK(error_code(R"({"type":"answer"})") == "bad-field");
  CHECK(error_code(R"({"type":"answer","sdp":5})") == "bad-field");
  CHECK(error_code(R"({"type":"answer","sdp":{"v":0}})") == "bad-field");
}

TEST_CASE("an ice message needs a string candidate", "[signaling]") {
  CHECK(error_code(R"({"type":"ice","sdpMLineIndex":0})") == "bad-field");
  CHECK(error_code(R"({"type":"ice","candidate":1,"sdpMLineIndex":0})") == "bad-field");
  CHECK(error_code(R"({"type":"ice","candidate":null,"sdpMLineIndex":0})") == "bad-field");
}

TEST_CASE("an ice message needs a whole, small, non-negative sdpMLineIndex", "[signaling]") {
  CHECK(error_code(R"({"type":"ice","candidate":"candidate:1"})") == "bad-field");
  CHECK(error_code(ice_with_index(R"("0")")) == "bad-field");
  CHECK(error_code(ice_with_index("null")) == "bad-field");
  CHECK(error_code(ice_with_index("-1")) == "bad-field");
  CHECK(error_code(ice_with_index("65")) == "bad-field");
  CHECK(error_code(ice_with_index("100000")) == "bad-field");
  CHECK(error_code(ice_with_index("0.5")) == "bad-field");
  CHECK(error_code(ice_with_index("true")) == "bad-field");
}

TEST_CASE("a message over kMaxMessageBytes is too-large, one at the limit is read", "[signaling]") {
  const std::string pong = R"({"type":"pong"})";
  std::string at_limit = pong + std::string(kMaxMessageBytes - pong.size(), ' ');
  REQUIRE(at_limit.size() == kMaxMessageBytes);
  CHECK(std::holds_alternative<Pong>(parse_client_message(at_limit)));
  CHECK(error_code(at_limit + " ") == "too-large");
  // Checked before parsing: even garbage of that size is too-large, not bad-json.
  CHECK(error_code(std::string(kMaxMessageBytes + 1, '{')) == "too-large");
}

TEST_CASE("an answer parses to Answer with its sdp", "[signaling]") {
  const auto message = parse_client_message(R"({"type":"answer","sdp":"v=0\r\no=- 1 2 IN"})");
  const auto* answer = std::get_if<Answer>(&message);
  REQUIRE(answer != nullptr);
  CHECK(answer->sdp == "v=0\r\no=- 1 2 IN");
}

TEST_CASE("an ice message parses to IceCandidate with candidate and index", "[signaling]") {
  const auto message = parse_client_message(ice_with_index("3"));
  const auto* ice = std::get_if<IceCandidate>(&message);
  REQUIRE(ice != nullptr);
  CHECK(ice->candidate == "candidate:1 1 UDP 1 127.0.0.1 5000 typ host");
  CHECK(ice->mline_index == 3u);
}

TEST_CASE("an empty candidate parses as end of candidates", "[signaling]") {
  const auto message = parse_client_message(R"({"type":"ice","candidate":"","sdpMLineIndex":0})");
  const auto* ice = std::get_if<IceCandidate>(&message);
  REQUIRE(ice != nullptr);
  CHECK(ice->candidate.empty());
  CHECK(ice->mline_index == 0u);
}

TEST_CASE("pong and keyframe parse to their messages, extra fields ignored", "[signaling]") {
  CHECK(std::holds_alternative<Pong>(parse_client_message(R"({"type":"pong"})")));
  CHECK(std::holds_alternative<KeyframeRequest>(
      parse_client_message(R"({ "type" : "keyframe", "reason": "pli" })")));
}

TEST_CASE("clock carries the page's reading; a clock without a number is refused", "[signaling]") {
  const auto message = parse_client_message(R"({"type":"clock","sent":1795526843905.25})");
  const auto* clock = std::get_if<ClockRequest>(&message);
  REQUIRE(clock != nullptr);
  CHECK(clock->sent_ms == Approx(1795526843905.25).margin(0.001));
  for (const char* text : {R"({"type":"clock"})", R"({"type":"clock","sent":"now"})"}) {
    const auto refused = parse_client_message(text);
    const auto* error = std::get_if<ParseError>(&refused);
    REQUIRE(error != nullptr);
    CHECK(error->code == "bad-field");
  }
}

TEST_CASE("check_order: an answer comes once, ice only after it", "[signaling]") {
  const ClientMessage answer = Answer{"v=0"};
  const ClientMessage ice = IceCandidate{"candidate:1", 0};
  auto code = [](const std::variant<std::monostate, ParseError>& verdict) -> std::string {
    const auto* error = std::get_if<ParseError>(&verdict);
    return error == nullptr ? "" : error->code;
  };
  CHECK(code(check_order(answer, Phase::kAwaitingAnswer)).empty());
  CHECK(code(check_order(ice, Phase::kAwaitingAnswer)) == "out-of-order");
  CHECK(code(check_order(answer, Phase::kAnswered)) == "out-of-order");
  CHECK(code(check_order(ice, Phase::kAnswered)).empty());
  for (const auto phase : {Phase::kAwaitingAnswer, Phase::kAnswered}) {
    CHECK(code(check_order(Pong{}, phase)).empty());
    CHECK(code(check_order(KeyframeRequest{}, phase)).empty());
  }
}

TEST_CASE("hello carries the viewer id and protocol version 1", "[signaling]") {
  const Parsed hello(hello_message("viewer-42"));
  CHECK(hello.string("type") == "hello");
  CHECK(hello.string("viewer") == "viewer-42");
  CHECK(hello.integer("version") == 1);
}

TEST_CASE("state carries video state, numeric size and rate, encoder, codec and message",
          "[signaling]") {
  const Parsed state(
      state_message({"no-signal", 1280, 720, 25, "x264enc", "H264", "check the cable"}));
  CHECK(state.size() == 8);
  CHECK(state.string("type") == "state");
  CHECK(state.string("video") == "no-signal");
  CHECK(state.integer("width") == 1280);
  CHECK(state.integer("height") == 720);
  CHECK(state.integer("framerate") == 25);
  CHECK(state.string("encoder") == "x264enc");
  CHECK(state.string("codec") == "H264");
  CHECK(state.string("message") == "check the cable");
}

TEST_CASE("offer, ice and ping carry their documented fields", "[signaling]") {
  const Parsed offer(offer_message("v=0\r\ns=-\r\n"));
  CHECK(offer.string("type") == "offer");
  CHECK(offer.string("sdp") == "v=0\r\ns=-\r\n");

  const Parsed ice(ice_message("candidate:7 1 UDP 9 10.0.0.1 4000 typ host", 2));
  CHECK(ice.string("type") == "ice");
  CHECK(ice.string("candidate") == "candidate:7 1 UDP 9 10.0.0.1 4000 typ host");
  CHECK(ice.integer("sdpMLineIndex") == 2);

  const Parsed ping(ping_message());
  CHECK(ping.size() == 1);
  CHECK(ping.string("type") == "ping");
}

TEST_CASE("clock echoes the page's reading next to the daemon's", "[signaling]") {
  const Parsed clock(clock_message(1000.5, 1795526843905.25));
  CHECK(clock.size() == 3);
  CHECK(clock.string("type") == "clock");
  CHECK(clock.real("sent") == Approx(1000.5));
  CHECK(clock.real("daemon") == Approx(1795526843905.25).margin(0.001));
}

TEST_CASE("the page's codec list keeps its order and skips what is not a codec name",
          "[signaling]") {
  using kvmrtc::signaling::parse_codec_list;
  CHECK(parse_codec_list("VP8,VP9,H264,AV1") ==
        std::vector<std::string>{"VP8", "VP9", "H264", "AV1"});
  CHECK(parse_codec_list("").empty());
  CHECK(parse_codec_list("H264,,x-rtx,<script>,VP8,") ==
        std::vector<std::string>{"H264", "x-rtx", "VP8"});
  CHECK(parse_codec_list(std::string(33, 'A') + ",VP8") == std::vector<std::string>{"VP8"});
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "VP8,";
  CHECK(parse_codec_list(many).size() == kvmrtc::signaling::kMaxListedCodecs);
}

TEST_CASE("error carries the code and message of a parse error", "[signaling]") {
  const Parsed error(error_message({"bad-field", "'answer' needs a field 'sdp'"}));
  CHECK(error.string("type") == "error");
  CHECK(error.string("code") == "bad-field");
  CHECK(error.string("message") == "'answer' needs a field 'sdp'");
}

TEST_CASE("quotes, backslashes, control characters and unicode survive serialization",
          "[signaling]") {
  const std::string tricky =
      "say \"hi\"\\ \n\r\t\x01 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 </script>";
  CHECK(Parsed(offer_message(tricky)).string("sdp") == tricky);
  CHECK(Parsed(hello_message(tricky)).string("viewer") == tricky);
  CHECK(Parsed(error_message({"bad-sdp", tricky})).string("message") == tricky);
  const Parsed state(state_message({"live", 0, 0, 0, tricky, "VP8", tricky}));
  CHECK(state.string("encoder") == tricky);
  CHECK(state.string("message") == tricky);
}

TEST_CASE("a client message's strings round-trip through parse and serialize", "[signaling]") {
  const auto message =
      parse_client_message(R"({"type":"answer","sdp":"a=\"q\"\n\u00e9\ud83d\ude00"})");
  const auto* answer = std::get_if<Answer>(&message);
  REQUIRE(answer != nullptr);
  CHECK(answer->sdp == "a=\"q\"\n\xc3\xa9\xf0\x9f\x98\x80");
}

TEST_CASE("every rejection serializes to a valid error message", "[signaling]") {
  for (const std::string& text : {std::string("nope"), std::string(R"({"type":"bogus"})"),
                                  std::string(R"({"type":"answer"})"), ice_with_index("-4")}) {
    const auto message = parse_client_message(text);
    const auto* error = std::get_if<ParseError>(&message);
    REQUIRE(error != nullptr);
    const Parsed parsed(error_message(*error));
    CHECK(parsed.string("type") == "error");
    CHECK(parsed.string("code") == error->code);
  }
}

TEST_CASE("a long unknown type with non-ASCII text gives a valid UTF-8 error message",
          "[signaling]") {
  // The error quotes the type cut to 64 bytes; here byte 64 is inside the two-byte 'é'.
  const std::string type = std::string(63, 'a') + "\xc3\xa9";
  const auto message = parse_client_message(R"({"type":")" + type + R"("})");
  const auto* error = std::get_if<ParseError>(&message);
  REQUIRE(error != nullptr);
  CHECK(error->code == "unknown-type");
  CHECK(
      g_utf8_validate(error->message.data(), static_cast<gssize>(error->message.size()), nullptr));
  const Parsed parsed(error_message(*error));
  CHECK(parsed.string("code") == "unknown-type");
}

TEST_CASE("an escaped lone surrogate anywhere in a message is bad-json, and the reply is text",
          "[signaling]") {
  // json-glib decodes a lone "\udc00" into bytes that are not UTF-8, and quotes them in its own
  // parse errors (found by the fuzzer in CI: the unknown-type reply echoed them).
  for (const char* text : {R"({"type":"\udc00x"})", R"({"type":"pong","note":["\udfff"]})",
                           R"({"type":"pong","\udc00":1})", R"({"type":"\udc00","b":1})"}) {
    INFO(text);
    const auto message = parse_client_message(text);
    const auto* error = std::get_if<ParseError>(&message);
    REQUIRE(error != nullptr);
    CHECK(error->code == "bad-json");
    CHECK(Parsed(error_message(*error)).string("code") == "bad-json");
  }
  CHECK(error_code(R"({"type":"\ud83d\ude00"})") == "unknown-type");
}
