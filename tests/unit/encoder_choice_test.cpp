#include "media/encoder_choice.hpp"

#include <gst/gst.h>
#include <gst/video/video.h>

#include <catch2/catch.hpp>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "media/keyframe_clock.hpp"
#include "stop_on_exit.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::config::VideoSettings;
using kvmrtc::media::choose_encoder;
using kvmrtc::media::EncoderChoice;

namespace {

// The order docs/configuration.md promises for encoder=auto.
const std::vector<std::string> kPreferred = {"v4l2h264enc", "vaapih264enc", "nvh264enc", "x264enc",
                                             "openh264enc"};

// Values unlike the defaults, so a fragment that ignores them shows.
VideoSettings video_with(const std::string& encoder) {
  VideoSettings video;
  video.encoder = encoder;
  video.bitrate = 2500;
  video.keyframe_interval = 45;
  video.framerate = 25;
  return video;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> split_links(const std::string& launch) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (auto at = launch.find(" ! "); at != std::string::npos; at = launch.find(" ! ", start)) {
    parts.push_back(launch.substr(start, at - start));
    start = at + 3;
  }
  parts.push_back(launch.substr(start));
  return parts;
}

// The value of `name=` in one gst-launch element description ("" when absent), quotes removed.
std::string property_of(const std::string& element, const std::string& name) {
  const std::string key = " " + name + "=";
  const auto at = element.find(key);
  if (at == std::string::npos) return "";
  const auto begin = at + key.size();
  if (element[begin] == '"') {
    return element.substr(begin + 1, element.find('"', begin + 1) - begin - 1);
  }
  return element.substr(begin, element.find(' ', begin) - begin);
}

bool element_exists(const char* factory) {
  kvmrtc::GstObjectPtr<GstElementFactory> found(gst_element_factory_find(factory));
  return found != nullptr;
}

kvmrtc::ElementPtr parse_launch(const std::string& launch) {
  GError* raw_error = nullptr;
  kvmrtc::ElementPtr pipeline(gst_parse_launch(launch.c_str(), &raw_error));
  kvmrtc::ErrorPtr error(raw_error);
  INFO(launch);
  INFO((error ? error->message : ""));
  REQUIRE(error == nullptr);
  REQUIRE(pipeline != nullptr);
  return pipeline;
}

kvmrtc::ElementPtr find_by_factory(GstElement* bin, const std::string& factory) {
  GstIterator* iterator = gst_bin_iterate_recurse(GST_BIN(bin));
  GValue item = G_VALUE_INIT;
  kvmrtc::ElementPtr found;
  while (!found && gst_iterator_next(iterator, &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    GstElementFactory* element_factory = gst_element_get_factory(element);
    if (element_factory != nullptr &&
        factory == gst_plugin_feature_get_name(GST_PLUGIN_FEATURE(element_factory))) {
      found = kvmrtc::add_ref(element);
    }
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(iterator);
  return found;
}

}  // namespace

TEST_CASE("encoder_preference is hardware first, then x264, then openh264", "[encoder]") {
  CHECK(kvmrtc::media::encoder_preference() == kPreferred);
}

TEST_CASE("auto picks the most preferred encoder that is available", "[encoder]") {
  for (std::size_t i = 0; i < kPreferred.size(); ++i) {
    std::set<std::string> available(kPreferred.begin() + static_cast<long>(i), kPreferred.end());
    available.insert("videotestsrc");
    const EncoderChoice choice = choose_encoder(video_with("auto"), available);
    INFO("expected " << kPreferred[i] << ", reason: " << choice.reason);
    CHECK(choice.element == kPreferred[i]);
    CHECK(choice.fragment.rfind(kPreferred[i] + " ", 0) == 0);
    CHECK(contains(choice.reason, kPreferred[i]));
    for (std::size_t missing = 0; missing < i; ++missing) {
      CHECK(contains(choice.reason, kPreferred[missing]));
    }
  }
}

TEST_CASE("auto takes a lone available encoder whatever its rank", "[encoder]") {
  for (const auto& element : kPreferred) {
    const EncoderChoice choice = choose_encoder(video_with("auto"), {element});
    CHECK(choice.element == element);
  }
}

TEST_CASE("auto with no encoder available gives no element and says what it looked for",
          "[encoder]") {
  const EncoderChoice choice = choose_encoder(video_with("auto"), {"videotestsrc", "h264parse"});
  CHECK(choice.element.empty());
  CHECK(choice.fragment.empty());
  for (const auto& element : kPreferred) CHECK(contains(choice.reason, element));
}

TEST_CASE("a short name maps to its element, even when a preferred one exists", "[encoder]") {
  const std::set<std::string> all(kPreferred.begin(), kPreferred.end());
  const std::vector<std::pair<std::string, std::string>> names = {
      {"x264", "x264enc"},       {"openh264", "openh264enc"}, {"v4l2", "v4l2h264enc"},
      {"vaapi", "vaapih264enc"}, {"nvenc", "nvh264enc"},
  };
  for (const auto& [name, element] : names) {
    INFO(name);
    const EncoderChoice choice = choose_encoder(video_with(name), all);
    CHECK(choice.element == element);
    CHECK(choice.fragment.rfind(element + " ", 0) == 0);
    CHECK(contains(choice.reason, element));

    const EncoderChoice missing = choose_encoder(video_with(name), {"videotestsrc"});
    CHECK(missing.element.empty());
    CHECK(missing.fragment.empty());
    CHECK(contains(missing.reason, element));
    CHECK(contains(missing.reason, "not installed"));
  }
}

TEST_CASE("a custom encoder fragment gets the constrained-baseline caps unless it names a profile",
          "[encoder]") {
  const EncoderChoice plain = choose_encoder(video_with("x264enc bitrate=777"), {});
  CHECK(plain.element == "x264enc");
  CHECK(plain.fragment == "x264enc bitrate=777 ! video/x-h264,profile=constrained-baseline");
  CHECK(contains(plain.reason, "x264enc"));
  const std::string own = "x264enc bitrate=777 ! video/x-h264,profile=high";
  CHECK(choose_encoder(video_with(own), {}).fragment == own);
}

TEST_CASE("every encoder fragment honours bitrate and keyframe interval, without B-frames",
          "[encoder]") {
  struct Case {
    std::string name, element, bitrate_key, bitrate, gop_key, gop, bframes_key;
  };
  // x264 has no interval of its own (x264's "infinite"): the producer asks for its keyframes.
  const std::vector<Case> cases = {
      {"x264", "x264enc", "bitrate", "2500", "key-int-max", "1073741824", "bframes"},
      {"openh264", "openh264enc", "bitrate", "2500000", "gop-size", "45", ""},
      {"vaapi", "vaapih264enc", "bitrate", "2500", "keyframe-period", "45", "max-bframes"},
      {"nvenc", "nvh264enc", "bitrate", "2500", "gop-size", "45", "bframes"},
  };
  const std::set<std::string> all(kPreferred.begin(), kPreferred.end());
  for (const auto& c : cases) {
    const EncoderChoice choice = choose_encoder(video_with(c.name), all);
    INFO(choice.fragment);
    const auto links = split_links(choice.fragment);
    REQUIRE(links.size() == 2);
    CHECK(links[0].substr(0, links[0].find(' ')) == c.element);
    CHECK(property_of(links[0], c.bitrate_key) == c.bitrate);
    CHECK(property_of(links[0], c.gop_key) == c.gop);
    CHECK(kvmrtc::media::keyframes_from_producer(c.element) == (c.name == "x264"));
    if (!c.bframes_key.empty()) CHECK(property_of(links[0], c.bframes_key) == "0");
  }
}

TEST_CASE("the v4l2 fragment sets bitrate in bit/s and the I-frame period via controls",
          "[encoder]") {
  const EncoderChoice choice = choose_encoder(video_with("v4l2"), {"v4l2h264enc"});
  INFO(choice.fragment);
  const auto links = split_links(choice.fragment);
  REQUIRE(links.size() == 2);
  const std::string controls = property_of(links[0], "extra-controls");
  GstStructure* structure = gst_structure_from_string(controls.c_str(), nullptr);
  REQUIRE(structure != nullptr);
  int bitrate = 0;
  int period = 0;
  CHECK(gst_structure_get_int(structure, "video_bitrate", &bitrate));
  CHECK(gst_structure_get_int(structure, "h264_i_frame_period", &period));
  gst_structure_free(structure);
  CHECK(bitrate == 2500000);
  CHECK(period == 45);
}

TEST_CASE("every encoder fragment ends with constrained-baseline H.264 caps", "[encoder]") {
  const std::set<std::string> all(kPreferred.begin(), kPreferred.end());
  for (const std::string name : {"auto", "x264", "openh264", "v4l2", "vaapi", "nvenc"}) {
    const EncoderChoice choice = choose_encoder(video_with(name), all);
    INFO(choice.fragment);
    const std::string last = split_links(choice.fragment).back();
    kvmrtc::CapsPtr caps(gst_caps_from_string(last.c_str()));
    REQUIRE(caps != nullptr);
    REQUIRE(gst_caps_get_size(caps.get()) == 1);
    const GstStructure* structure = gst_caps_get_structure(caps.get(), 0);
    CHECK(gst_structure_has_name(structure, "video/x-h264"));
    const char* profile = gst_structure_get_string(structure, "profile");
    REQUIRE(profile != nullptr);
    CHECK(std::string(profile) == "constrained-baseline");
  }
}

TEST_CASE("the x264 and openh264 fragments parse and set the encoder's properties",
          "[encoder][gstreamer]") {
  REQUIRE(element_exists("x264enc"));
  REQUIRE(element_exists("openh264enc"));

  const auto x264 = choose_encoder(video_with("x264"), {"x264enc"});
  const auto x264_pipeline =
      parse_launch("videotestsrc num-buffers=1 ! " + x264.fragment + " ! fakesink");
  const auto x264enc = find_by_factory(x264_pipeline.get(), "x264enc");
  REQUIRE(x264enc != nullptr);
  guint bitrate = 0, key_int_max = 0;
  gint bframes = -1;
  g_object_get(x264enc.get(), "bitrate", &bitrate, "key-int-max", &key_int_max, "bframes", &bframes,
               nullptr);
  CHECK(bitrate == 2500u);         // kbit/s
  CHECK(key_int_max == 1u << 30);  // x264's "infinite": the producer asks for keyframes
  CHECK(bframes == 0);

  const auto openh264 = choose_encoder(video_with("openh264"), {"openh264enc"});
  const auto openh264_pipeline =
      parse_launch("videotestsrc num-buffers=1 ! " + openh264.fragment + " ! fakesink");
  const auto openh264enc = find_by_factory(openh264_pipeline.get(), "openh264enc");
  REQUIRE(openh264enc != nullptr);
  guint bits = 0, gop = 0;
  g_object_get(openh264enc.get(), "bitrate", &bits, "gop-size", &gop, nullptr);
  CHECK(bits == 2500000u);  // bit/s
  CHECK(gop == 45u);
}

namespace {

// What reached the fakesink, filled from its streaming thread, which asks for the periodic
// keyframes as the producer's appsink does.
struct Output {
  explicit Output(int keyframe_interval) : clock(keyframe_interval) {}
  std::mutex mutex;
  kvmrtc::media::KeyframeClock clock;
  int frames = 0;
  int keyframes = 0;
  int reordered = 0;  // buffers whose decode time differs from their presentation time
};

void on_handoff(GstElement*, GstBuffer* buffer, GstPad* pad, gpointer data) {
  auto* output = static_cast<Output*>(data);
  const std::lock_guard<std::mutex> lock(output->mutex);
  ++output->frames;
  const bool keyframe = !GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_DELTA_UNIT);
  if (keyframe) ++output->keyframes;
  if (output->clock.frame_out(keyframe)) {
    gst_pad_push_event(pad,
                       gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, 0));
  }
  if (GST_BUFFER_DTS_IS_VALID(buffer) && GST_BUFFER_DTS(buffer) != GST_BUFFER_PTS(buffer)) {
    ++output->reordered;
  }
}

}  // namespace

TEST_CASE("x264 and openh264 encode constrained-baseline H.264 in order, keyframes as set",
          "[encoder][gstreamer]") {
  for (const std::string name : {"x264", "openh264"}) {
    INFO(name);
    auto video = video_with(name);
    video.keyframe_interval = 4;
    const auto choice = choose_encoder(video, {"x264enc", "openh264enc"});
    const auto pipeline = parse_launch(
        "videotestsrc num-buffers=10 ! video/x-raw,width=320,height=240,framerate=25/1 ! " +
        choice.fragment + " ! fakesink name=out signal-handoffs=true");
    kvmrtc::ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), "out"));
    REQUIRE(sink != nullptr);
    Output output(video.keyframe_interval);
    g_signal_connect(sink.get(), "handoff", G_CALLBACK(on_handoff), &output);
    const StopOnExit stop{pipeline.get()};
    REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);

    kvmrtc::BusPtr bus(gst_element_get_bus(pipeline.get()));
    kvmrtc::MessagePtr message(gst_bus_timed_pop_filtered(
        bus.get(), 30 * GST_SECOND,
        static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR)));
    REQUIRE(message != nullptr);
    if (GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_ERROR) {
      GError* raw_error = nullptr;
      gst_message_parse_error(message.get(), &raw_error, nullptr);
      kvmrtc::ErrorPtr error(raw_error);
      FAIL("pipeline error: " << error->message);
    }
    CHECK(GST_MESSAGE_TYPE(message.get()) == GST_MESSAGE_EOS);

    kvmrtc::PadPtr pad(gst_element_get_static_pad(sink.get(), "sink"));
    kvmrtc::CapsPtr caps(gst_pad_get_current_caps(pad.get()));
    REQUIRE(caps != nullptr);
    const GstStructure* structure = gst_caps_get_structure(caps.get(), 0);
    CHECK(gst_structure_has_name(structure, "video/x-h264"));
    const char* profile = gst_structure_get_string(structure, "profile");
    REQUIRE(profile != nullptr);
    CHECK(std::string(profile) == "constrained-baseline");

    const std::lock_guard<std::mutex> lock(output.mutex);
    CHECK(output.frames == 10);
    CHECK(output.reordered == 0);
    CHECK(output.keyframes == 3);  // frames 0, 4 and 8
  }
}
