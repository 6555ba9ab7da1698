#include "media/declined_sections.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "util/ref_ptr.hpp"

using kvmrtc::Owned;
using kvmrtc::media::complete_declined_sections;
using SdpPtr = Owned<GstSDPMessage, gst_sdp_message_free>;

namespace {

// Firefox ESR's answer to an H.264-only offer when it has no H.264 decoder (abridged).
constexpr const char* kFirefoxDeclinesVideo =
    "v=0\r\n"
    "o=mozilla...THIS_IS_SDPARTA-153.8.0 1 0 IN IP4 0.0.0.0\r\n"
    "s=-\r\n"
    "t=0 0\r\n"
    "a=fingerprint:sha-256 AA:BB\r\n"
    "a=group:BUNDLE 1\r\n"
    "a=ice-options:trickle\r\n"
    "a=msid-semantic:WMS *\r\n"
    "m=video 0 UDP/TLS/RTP/SAVPF 96\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=inactive\r\n"
    "a=mid:0\r\n"
    "a=rtpmap:96 H264/90000\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
    "c=IN IP4 0.0.0.0\r\n"
    "a=sendrecv\r\n"
    "a=ice-pwd:0123456789abcdef0123456789abcdef\r\n"
    "a=ice-ufrag:f00d\r\n"
    "a=mid:1\r\n"
    "a=setup:active\r\n"
    "a=sctp-port:5000\r\n"
    "a=max-message-size:1073741823\r\n";

SdpPtr parse(const char* text) {
  GstSDPMessage* raw = nullptr;
  REQUIRE(gst_sdp_message_new_from_text(text, &raw) == GST_SDP_OK);
  return SdpPtr(raw);
}

std::string attribute(const GstSDPMessage* sdp, guint media, const char* key) {
  const char* value = gst_sdp_media_get_attribute_val(gst_sdp_message_get_media(sdp, media), key);
  return value != nullptr ? value : "(none)";
}

}  // namespace

TEST_CASE("a declined video section gets the accepted section's ICE credentials and setup",
          "[sdp]") {
  SdpPtr answer = parse(kFirefoxDeclinesVideo);
  CHECK(complete_declined_sections(answer.get()) == std::vector<std::string>{"video"});
  CHECK(attribute(answer.get(), 0, "ice-ufrag") == "f00d");
  CHECK(attribute(answer.get(), 0, "ice-pwd") == "0123456789abcdef0123456789abcdef");
  CHECK(attribute(answer.get(), 0, "setup") == "active");
  CHECK(gst_sdp_media_get_port(gst_sdp_message_get_media(answer.get(), 0)) == 0);
  // The accepted section is left as it was.
  CHECK(gst_sdp_media_attributes_len(gst_sdp_message_get_media(answer.get(), 1)) == 7);
}

TEST_CASE("an answer that accepts every section is left as it was", "[sdp]") {
  std::string accepted = kFirefoxDeclinesVideo;
  accepted.replace(accepted.find("m=video 0"), 9, "m=video 9");
  SdpPtr answer = parse(accepted.c_str());
  CHECK(complete_declined_sections(answer.get()).empty());
  CHECK(attribute(answer.get(), 0, "ice-ufrag") == "(none)");
}

TEST_CASE("a declined section keeps its own credentials when it has them", "[sdp]") {
  std::string own = kFirefoxDeclinesVideo;
  own.insert(own.find("a=mid:0"), "a=ice-ufrag:mine\r\n");
  SdpPtr answer = parse(own.c_str());
  complete_declined_sections(answer.get());
  CHECK(attribute(answer.get(), 0, "ice-ufrag") == "mine");
}

TEST_CASE("an answer that declines everything has nothing to copy and says what it declined",
          "[sdp]") {
  std::string all = kFirefoxDeclinesVideo;
  all.replace(all.find("m=application 9"), 15, "m=application 0");
  SdpPtr answer = parse(all.c_str());
  CHECK(complete_declined_sections(answer.get()) ==
        std::vector<std::string>{"video", "application"});
  CHECK(attribute(answer.get(), 0, "ice-ufrag") == "(none)");
}
