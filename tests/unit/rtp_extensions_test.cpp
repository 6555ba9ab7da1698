#include <gst/app/app.h>
#include <gst/rtp/rtp.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "media/latency/capture_time.hpp"
#include "media/rtp/capture_time_extension.hpp"
#include "media/rtp/playout_delay_extension.hpp"
#include "media/rtp/send_time_extension.hpp"
#include "stop_on_exit.hpp"
#include "util/ref_ptr.hpp"

using namespace kvmrtc::media;
using kvmrtc::BufferPtr;
using kvmrtc::GstObjectPtr;

namespace {

using ExtensionPtr = GstObjectPtr<GstRTPHeaderExtension>;

constexpr gint64 kCapturedUs = 1795478400123456;  // 2026-11-24, with a µs part

ExtensionPtr with_id(ExtensionPtr ext, guint id) {
  gst_rtp_header_extension_set_id(ext.get(), id);
  return ext;
}

// What `ext` writes for a packet payloaded from `input`; empty when it writes nothing.
std::vector<guint8> written_by(GstRTPHeaderExtension* ext, GstBuffer* input) {
  const BufferPtr output(gst_buffer_new());
  std::array<guint8, 16> data{};
  const gsize max_size = gst_rtp_header_extension_get_max_size(ext, input);
  REQUIRE(max_size <= data.size());
  const gssize written = gst_rtp_header_extension_write(
      ext, input, GST_RTP_HEADER_EXTENSION_ONE_BYTE, output.get(), data.data(), max_size);
  REQUIRE(written >= 0);
  REQUIRE(static_cast<gsize>(written) <= max_size);
  return {data.begin(), data.begin() + written};
}

std::uint32_t ntp_seconds(guint64 ntp) {
  return static_cast<std::uint32_t>(ntp >> 32);
}
std::uint32_t ntp_fraction(guint64 ntp) {
  return static_cast<std::uint32_t>(ntp & 0xFFFFFFFF);
}

}  // namespace

TEST_CASE("Unix times convert to NTP seconds since 1900 and a 2^-32 s fraction", "[rtp]") {
  CHECK(ntp_seconds(unix_us_to_ntp(0)) == 2208988800u);
  CHECK(ntp_fraction(unix_us_to_ntp(0)) == 0u);
  CHECK(ntp_seconds(unix_us_to_ntp(500'000)) == 2208988800u);
  CHECK(ntp_fraction(unix_us_to_ntp(500'000)) == 0x80000000u);
  CHECK(ntp_fraction(unix_us_to_ntp(1)) == 4295u);  // 2^32 / 10^6 = 4294.97
  // 2024-01-01T00:00:00Z
  CHECK(ntp_seconds(unix_us_to_ntp(1'704'067'200'000'000)) == 3913056000u);
  // 2040-01-01T00:00:00Z, past the 2036 wrap of the seconds
  CHECK(ntp_seconds(unix_us_to_ntp(2'208'988'800'000'000)) == 123010304u);
}

TEST_CASE("NTP times convert back to the Unix µs they were made from", "[rtp]") {
  for (const gint64 unix_us : {gint64{0}, gint64{1}, gint64{999'999}, kCapturedUs,
                               gint64{2'085'978'496'000'000}, gint64{2'208'988'800'654'321}}) {
    INFO(unix_us);
    CHECK(ntp_to_unix_us(unix_us_to_ntp(unix_us)) == unix_us);
  }
}

TEST_CASE("playout delay 0..0 is written as three zero bytes", "[rtp]") {
  const auto ext = with_id(make_playout_delay_extension(0, 0), 1);
  CHECK(std::string(gst_rtp_header_extension_get_uri(ext.get())) == kPlayoutDelayUri);
  const BufferPtr input(gst_buffer_new());
  CHECK(written_by(ext.get(), input.get()) == std::vector<guint8>{0x00, 0x00, 0x00});
}

TEST_CASE("playout delay bounds are 12-bit 10 ms units that read back", "[rtp]") {
  const auto ext = with_id(make_playout_delay_extension(100, 400), 1);
  const BufferPtr input(gst_buffer_new());
  const auto bytes = written_by(ext.get(), input.get());
  CHECK(bytes == std::vector<guint8>{0x00, 0xA0, 0x28});  // 10 units, 40 units

  const BufferPtr output(gst_buffer_new());
  CHECK(gst_rtp_header_extension_read(ext.get(), GST_RTP_HEADER_EXTENSION_ONE_BYTE, bytes.data(),
                                      bytes.size(), output.get()));
  CHECK(parse_playout_delay(bytes.data(), bytes.size()) == std::pair{100u, 400u});
  CHECK_FALSE(gst_rtp_header_extension_read(ext.get(), GST_RTP_HEADER_EXTENSION_ONE_BYTE,
                                            bytes.data(), 2, output.get()));

  const auto rounded = with_id(make_playout_delay_extension(105, 100'000), 1);
  const auto rounded_bytes = written_by(rounded.get(), input.get());
  CHECK(rounded_bytes == std::vector<guint8>{0x00, 0xBF, 0xFF});  // 11 units, 4095 units
  CHECK(parse_playout_delay(rounded_bytes.data(), rounded_bytes.size()) == std::pair{110u, 40950u});
}

TEST_CASE("the capture-time extension writes the input's capture time, or nothing", "[rtp]") {
  const auto ext = with_id(make_capture_time_extension(), 2);
  CHECK(std::string(gst_rtp_header_extension_get_uri(ext.get())) == kCaptureTimeUri);

  const BufferPtr without(gst_buffer_new());
  CHECK(written_by(ext.get(), without.get()).empty());

  const BufferPtr with(gst_buffer_new());
  attach_capture_time(with.get(), kCapturedUs);
  const auto bytes = written_by(ext.get(), with.get());
  REQUIRE(bytes.size() == 8);
  CHECK(GST_READ_UINT64_BE(bytes.data()) == unix_us_to_ntp(kCapturedUs));

  const BufferPtr depayloaded(gst_buffer_new());
  CHECK(gst_rtp_header_extension_read(ext.get(), GST_RTP_HEADER_EXTENSION_ONE_BYTE, bytes.data(),
                                      bytes.size(), depayloaded.get()));
  CHECK(capture_time_us(depayloaded.get()) == kCapturedUs);
}

namespace {

kvmrtc::ElementPtr parse_launch(const char* launch) {
  GError* raw_error = nullptr;
  kvmrtc::ElementPtr pipeline(gst_parse_launch(launch, &raw_error));
  const kvmrtc::ErrorPtr error(raw_error);
  INFO(launch);
  INFO((error ? error->message : ""));
  REQUIRE(error == nullptr);
  REQUIRE(pipeline != nullptr);
  return pipeline;
}

kvmrtc::ElementPtr by_name(GstElement* pipeline, const char* name) {
  kvmrtc::ElementPtr element(gst_bin_get_by_name(GST_BIN(pipeline), name));
  REQUIRE(element != nullptr);
  return element;
}

// Generous: reached only when the pipeline is broken, so the test fails instead of hanging.
constexpr GstClockTime kPullTimeout = 5 * GST_SECOND;

// One IDR access unit as the daemon's encoder makes it.
BufferPtr encoded_frame() {
  const auto pipeline = parse_launch(
      "videotestsrc num-buffers=1 ! video/x-raw,width=320,height=240,framerate=30/1 "
      "! x264enc tune=zerolatency speed-preset=ultrafast "
      "! video/x-h264,profile=constrained-baseline,stream-format=byte-stream,alignment=au "
      "! appsink name=out sync=false");
  const auto sink = by_name(pipeline.get(), "out");
  const StopOnExit stop{pipeline.get()};
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);
  const kvmrtc::SamplePtr sample(
      gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), kPullTimeout));
  REQUIRE(sample != nullptr);
  return BufferPtr(gst_buffer_ref(gst_sample_get_buffer(sample.get())));
}

// The payloader input for frame `index`: a copy of `frame`, 40 ms (3600 RTP ticks, no rounding)
// after the one before.
BufferPtr input_frame(GstBuffer* frame, GstClockTime index) {
  BufferPtr input(gst_buffer_copy(frame));
  GST_BUFFER_PTS(input.get()) = GST_BUFFER_DTS(input.get()) = index * 40 * GST_MSECOND;
  GST_BUFFER_DURATION(input.get()) = 40 * GST_MSECOND;
  return input;
}

struct Packet {
  guint32 rtp_time;
  bool two_byte_header;
  std::vector<guint8> playout_delay;  // empty when the packet has none
  std::vector<guint8> capture_time;
};

std::vector<guint8> extension(GstRTPBuffer* rtp, guint8 id, bool two_byte_header) {
  gpointer data = nullptr;
  guint size = 0;
  guint8 appbits = 0;
  const bool found =
      two_byte_header
          ? gst_rtp_buffer_get_extension_twobytes_header(rtp, &appbits, id, 0, &data, &size)
          : gst_rtp_buffer_get_extension_onebyte_header(rtp, id, 0, &data, &size);
  if (!found) return {};
  const auto* bytes = static_cast<const guint8*>(data);
  return {bytes, bytes + size};
}

Packet read_packet(GstBuffer* buffer, guint8 delay_id, guint8 capture_id) {
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  REQUIRE(gst_rtp_buffer_map(buffer, GST_MAP_READ, &rtp));
  guint16 bits = 0;
  gst_rtp_buffer_get_extension_data(&rtp, &bits, nullptr, nullptr);
  const bool two_byte_header = (bits >> 4) == 0x100;  // RFC 8285: 0x100 then 4 app bits
  Packet packet{gst_rtp_buffer_get_timestamp(&rtp), two_byte_header,
                extension(&rtp, delay_id, two_byte_header),
                extension(&rtp, capture_id, two_byte_header)};
  gst_rtp_buffer_unmap(&rtp);
  return packet;
}

struct Payloaded {
  kvmrtc::CapsPtr caps;
  std::vector<Packet> packets;
};

// Payloads a frame with a capture time, then one without, through a payloader set up like the
// viewer pipeline's.
Payloaded payload_two_frames(guint delay_id, guint capture_id) {
  const auto pipeline = parse_launch(
      "appsrc name=src format=time caps=video/x-h264,stream-format=byte-stream,alignment=au "
      "! rtph264pay name=pay config-interval=-1 aggregate-mode=zero-latency mtu=400 pt=96 "
      "timestamp-offset=0 ! appsink name=out sync=false");
  const auto pay = by_name(pipeline.get(), "pay");
  const auto delay = with_id(make_playout_delay_extension(0, 0), delay_id);
  const auto capture = with_id(make_capture_time_extension(), capture_id);
  g_signal_emit_by_name(pay.get(), "add-extension", delay.get());
  g_signal_emit_by_name(pay.get(), "add-extension", capture.get());

  const auto src = by_name(pipeline.get(), "src");
  const auto sink = by_name(pipeline.get(), "out");
  const StopOnExit stop{pipeline.get()};
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);

  const BufferPtr frame = encoded_frame();
  BufferPtr stamped = input_frame(frame.get(), 0);
  attach_capture_time(stamped.get(), kCapturedUs);
  REQUIRE(gst_app_src_push_buffer(GST_APP_SRC(src.get()), stamped.release()) == GST_FLOW_OK);
  REQUIRE(gst_app_src_push_buffer(GST_APP_SRC(src.get()), input_frame(frame.get(), 1).release()) ==
          GST_FLOW_OK);
  REQUIRE(gst_app_src_end_of_stream(GST_APP_SRC(src.get())) == GST_FLOW_OK);

  Payloaded payloaded;
  while (const kvmrtc::SamplePtr sample{
      gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), kPullTimeout)}) {
    if (!payloaded.caps) payloaded.caps.reset(gst_caps_ref(gst_sample_get_caps(sample.get())));
    payloaded.packets.push_back(read_packet(gst_sample_get_buffer(sample.get()),
                                            static_cast<guint8>(delay_id),
                                            static_cast<guint8>(capture_id)));
  }
  REQUIRE(gst_app_sink_is_eos(GST_APP_SINK(sink.get())));
  return payloaded;
}

}  // namespace

TEST_CASE("rtph264pay puts the playout delay on every packet, the capture time where known",
          "[rtp][gstreamer]") {
  struct Ids {
    guint delay;
    guint capture;
    bool two_byte_header;
  };
  // One-byte headers carry ids up to 14; a higher id makes the payloader use two-byte ones.
  for (const Ids ids : {Ids{1, 2, false}, Ids{1, 15, true}}) {
    INFO("ids " << ids.delay << " and " << ids.capture);
    const Payloaded payloaded = payload_two_frames(ids.delay, ids.capture);

    REQUIRE(payloaded.caps != nullptr);
    const GstStructure* caps = gst_caps_get_structure(payloaded.caps.get(), 0);
    const std::string delay_field = "extmap-" + std::to_string(ids.delay);
    const std::string capture_field = "extmap-" + std::to_string(ids.capture);
    REQUIRE(gst_structure_get_string(caps, delay_field.c_str()) != nullptr);
    CHECK(std::string(gst_structure_get_string(caps, delay_field.c_str())) == kPlayoutDelayUri);
    REQUIRE(gst_structure_get_string(caps, capture_field.c_str()) != nullptr);
    CHECK(std::string(gst_structure_get_string(caps, capture_field.c_str())) == kCaptureTimeUri);

    constexpr guint32 kFirstFrameRtpTime = 0;
    constexpr guint32 kSecondFrameRtpTime = 3600;  // 40 ms at 90 kHz
    int first_frame_packets = 0;
    int second_frame_packets = 0;
    for (const Packet& packet : payloaded.packets) {
      INFO("packet at RTP time " << packet.rtp_time);
      CHECK(packet.two_byte_header == ids.two_byte_header);
      CHECK(packet.playout_delay == std::vector<guint8>{0x00, 0x00, 0x00});
      if (packet.rtp_time == kFirstFrameRtpTime) {
        ++first_frame_packets;
        REQUIRE(packet.capture_time.size() == 8);
        const gint64 captured_us = ntp_to_unix_us(GST_READ_UINT64_BE(packet.capture_time.data()));
        CHECK(captured_us >= kCapturedUs - 1);
        CHECK(captured_us <= kCapturedUs + 1);
      } else {
        CHECK(packet.rtp_time == kSecondFrameRtpTime);
        ++second_frame_packets;
        CHECK(packet.capture_time.empty());
      }
    }
    // SPS, PPS and the IDR slice in several fragments, so "every packet" covers each kind.
    CHECK(first_frame_packets >= 3);
    CHECK(second_frame_packets == first_frame_packets);
  }
}

TEST_CASE("abs-send-time is seconds in 6.18 fixed point, wrapping every 64 s", "[rtp]") {
  CHECK(abs_send_time(0) == 0u);
  CHECK(abs_send_time(1'000'000) == 1u << 18);
  CHECK(abs_send_time(500'000) == 1u << 17);
  CHECK(abs_send_time(4) == 1u);                  // one unit is 2^-18 s, about 3.8 µs
  CHECK(abs_send_time(63'000'000) == 63u << 18);  // the largest whole second
  CHECK(abs_send_time(64'000'000) == 0u);
  CHECK(abs_send_time(64'000'000 + 1'000'000) == abs_send_time(1'000'000));
}

TEST_CASE("the send-time extension writes the moment each packet is made", "[rtp]") {
  const auto ext = with_id(make_send_time_extension(), 3);
  const BufferPtr input(gst_buffer_new());
  const guint32 before = abs_send_time(g_get_monotonic_time());
  const std::vector<guint8> bytes = written_by(ext.get(), input.get());
  const guint32 after = abs_send_time(g_get_monotonic_time());
  REQUIRE(bytes.size() == 3);
  const guint32 written = GST_READ_UINT24_BE(bytes.data());
  // The 64 s wrap falling inside these few µs would put `after` below `before`.
  if (after >= before) {
    CHECK(written >= before);
    CHECK(written <= after);
  }
}
