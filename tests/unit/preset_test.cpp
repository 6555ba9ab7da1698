#include "config/preset.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "config/launch.hpp"
#include "media/encoder_choice.hpp"
#include "stop_on_exit.hpp"
#include "temp_dir.hpp"
#include "util/ref_ptr.hpp"

using namespace kvmrtc::config;

namespace {

const std::string kShippedDir = KVMRTC_TEST_SOURCE_DIR "/pipelines";

std::string preset_text(const std::string& description, const std::string& source) {
  return "# a preset\n[preset]\ndescription=" + description + "\nsource=" + source + "\n";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> names_of(const std::vector<Preset>& presets) {
  std::vector<std::string> names;
  for (const auto& preset : presets) names.push_back(preset.name);
  return names;
}

}  // namespace

TEST_CASE("parse_preset reads description and source", "[preset]") {
  const auto result =
      parse_preset(preset_text("Bouncing ball", "videotestsrc pattern=ball"), "ball");
  REQUIRE(result.ok());
  CHECK(result.preset.name == "ball");
  CHECK(result.preset.description == "Bouncing ball");
  CHECK(result.preset.source == "videotestsrc pattern=ball");
}

TEST_CASE("parse_preset refuses a preset without source or description", "[preset]") {
  SECTION("no source") {
    const auto result = parse_preset("[preset]\ndescription=Nothing to see\n", "empty");
    CHECK_FALSE(result.ok());
    CHECK(contains(result.error, "'empty'"));
    CHECK(contains(result.error, "source"));
  }
  SECTION("no description") {
    const auto result = parse_preset("[preset]\nsource=videotestsrc\n", "quiet");
    CHECK_FALSE(result.ok());
    CHECK(contains(result.error, "'quiet'"));
    CHECK(contains(result.error, "description"));
  }
  SECTION("keys outside [preset]") {
    const auto result = parse_preset("[other]\ndescription=x\nsource=videotestsrc\n", "wrong");
    CHECK_FALSE(result.ok());
  }
  SECTION("not a key file") {
    const auto result = parse_preset("this is not ini\n", "junk");
    CHECK_FALSE(result.ok());
    CHECK(contains(result.error, "'junk'"));
  }
}

TEST_CASE("load_preset finds a name in the preset folders, first folder first", "[preset]") {
  const TempDir first;
  const TempDir second;
  second.write("cam.conf", preset_text("Second cam", "v4l2src device={device}"));
  second.write("both.conf", preset_text("From second", "videotestsrc"));
  first.write("both.conf", preset_text("From first", "videotestsrc"));
  const std::vector<std::string> dirs = {first.path(), second.path()};

  const auto cam = load_preset("cam", dirs);
  REQUIRE(cam.ok());
  CHECK(cam.preset.name == "cam");
  CHECK(cam.preset.description == "Second cam");
  CHECK(cam.preset.source == "v4l2src device={device}");

  const auto both = load_preset("both", dirs);
  REQUIRE(both.ok());
  CHECK(both.preset.description == "From first");
}

TEST_CASE("load_preset reads a path, named after its file", "[preset]") {
  const TempDir dir;
  const std::string path = dir.write("my-board.conf", preset_text("Board", "videotestsrc"));
  const auto result = load_preset(path, {});
  REQUIRE(result.ok());
  CHECK(result.preset.name == "my-board");
  CHECK(result.preset.description == "Board");
}

TEST_CASE("load_preset of an unknown name lists the known presets", "[preset]") {
  const TempDir dir;
  dir.write("alpha.conf", preset_text("A", "videotestsrc"));
  dir.write("beta.conf", preset_text("B", "videotestsrc"));
  const auto result = load_preset("gamma", {dir.path()});
  CHECK_FALSE(result.ok());
  CHECK(contains(result.error, "'gamma'"));
  CHECK(contains(result.error, "alpha"));
  CHECK(contains(result.error, "beta"));
}

TEST_CASE("load_preset of a missing path is an error", "[preset]") {
  const TempDir dir;
  const auto result = load_preset(dir.path() + "/nope.conf", {dir.path()});
  CHECK_FALSE(result.ok());
  CHECK(contains(result.error, "nope.conf"));
}

TEST_CASE("list_presets is sorted, de-duplicated with the first folder winning", "[preset]") {
  const TempDir first;
  const TempDir second;
  first.write("zeta.conf", preset_text("Zeta", "videotestsrc"));
  first.write("shared.conf", preset_text("Shared from first", "videotestsrc"));
  second.write("alpha.conf", preset_text("Alpha", "videotestsrc"));
  second.write("shared.conf", preset_text("Shared from second", "videotestsrc"));
  second.write("notes.txt", "not a preset");
  second.write("broken.conf", "[preset]\ndescription=No source\n");

  const auto presets = list_presets({first.path(), second.path(), first.path() + "/missing"});
  REQUIRE(names_of(presets) == std::vector<std::string>{"alpha", "shared", "zeta"});
  CHECK(presets[1].description == "Shared from first");
  CHECK(presets[0].description == "Alpha");
}

TEST_CASE("preset_dirs: KVMRTC_PIPELINES_DIR, the user's presets, then the shipped ones",
          "[preset]") {
  const TempDir dir;
  g_setenv("KVMRTC_PIPELINES_DIR", dir.path().c_str(), TRUE);
  const auto with_override = preset_dirs();
  g_unsetenv("KVMRTC_PIPELINES_DIR");
  const auto without = preset_dirs();
  REQUIRE_FALSE(with_override.empty());
  CHECK(with_override.front() == dir.path());
  CHECK(std::find(without.begin(), without.end(), dir.path()) == without.end());
  REQUIRE(without.size() >= 2);
  CHECK(without.front() == KVMRTC_CONFIG_DIR "/pipelines");
  CHECK(without.back() == KVMRTC_DATA_DIR "/pipelines");
}

TEST_CASE("the shipped presets all parse, each with a one-line description", "[preset]") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kShippedDir)) {
    if (entry.path().extension() == ".conf") ++files;
  }
  const auto presets = list_presets({kShippedDir});
  CHECK(presets.size() == files);
  const auto names = names_of(presets);
  for (const std::string wanted : {"test-pattern", "usb-mjpeg", "v4l2-raw"}) {
    CHECK(std::find(names.begin(), names.end(), wanted) != names.end());
  }
  for (const auto& preset : presets) {
    INFO(preset.name);
    CHECK_FALSE(preset.description.empty());
    CHECK(preset.description.find('\n') == std::string::npos);
    CHECK_FALSE(preset.source.empty());
  }
}

TEST_CASE("resolve_source fills the preset's placeholders from the video settings", "[preset]") {
  const TempDir dir;
  dir.write("cam.conf", preset_text("Cam",
                                    "v4l2src device={device} ! video/x-raw,width={width},"
                                    "height={height},framerate={framerate}/1 ! "
                                    "videoscale ! video/x-raw,width={width}"));
  VideoSettings video;
  video.pipeline = "cam";
  video.device = "/dev/video9";
  video.width = 640;
  video.height = 480;
  video.framerate = 15;
  const auto source = resolve_source(video, {dir.path()});
  REQUIRE(source.ok());
  CHECK(source.fragment ==
        "v4l2src device=/dev/video9 ! video/x-raw,width=640,height=480,framerate=15/1 ! "
        "videoscale ! video/x-raw,width=640");
  CHECK(source.description == "Cam");
}

TEST_CASE("resolve_source prefers source= over the preset", "[preset]") {
  const TempDir dir;
  dir.write("cam.conf", preset_text("Cam", "v4l2src device={device}"));
  VideoSettings video;
  video.pipeline = "cam";
  video.source = "videotestsrc pattern=ball ! video/x-raw,width={width},height={height}";
  video.width = 800;
  video.height = 600;
  const auto source = resolve_source(video, {dir.path()});
  REQUIRE(source.ok());
  CHECK(source.fragment == "videotestsrc pattern=ball ! video/x-raw,width=800,height=600");
  CHECK(source.description != "Cam");
}

TEST_CASE("resolve_source of an unknown preset is an error", "[preset]") {
  const TempDir dir;
  VideoSettings video;
  video.pipeline = "no-such-preset";
  const auto source = resolve_source(video, {dir.path()});
  CHECK_FALSE(source.ok());
  CHECK(contains(source.error, "no-such-preset"));
  CHECK(source.fragment.empty());
}

namespace {

// Small settings so a real pipeline starts fast; a device that cannot exist.
VideoSettings small_video(const std::string& pipeline, const std::string& missing_device) {
  VideoSettings video;
  video.pipeline = pipeline;
  video.device = missing_device;
  video.width = 320;
  video.height = 240;
  video.framerate = 30;
  return video;
}

// Parses a launch line; null with a warning when an element is not installed here.
kvmrtc::ElementPtr parse_if_installed(const std::string& launch) {
  GError* raw_error = nullptr;
  kvmrtc::ElementPtr pipeline(gst_parse_launch(launch.c_str(), &raw_error));
  kvmrtc::ErrorPtr error(raw_error);
  INFO(launch);
  if (error && g_error_matches(error.get(), GST_PARSE_ERROR, GST_PARSE_ERROR_NO_SUCH_ELEMENT)) {
    WARN("skipped, element not installed: " << error->message);
    return nullptr;
  }
  INFO((error ? error->message : ""));
  REQUIRE(error == nullptr);
  REQUIRE(pipeline != nullptr);
  return pipeline;
}

}  // namespace

TEST_CASE("the test-pattern producer line builds with its appsink and capture queue",
          "[preset][gstreamer]") {
  const auto video = small_video("test-pattern", "/nonexistent/video0");
  const auto source = resolve_source(video, {kShippedDir});
  REQUIRE(source.ok());
  const auto pipeline = parse_if_installed(producer_launch(video, source.fragment, "x264enc"));
  REQUIRE(pipeline != nullptr);
  kvmrtc::ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), kProducerSinkName));
  REQUIRE(sink != nullptr);
  CHECK(GST_IS_APP_SINK(sink.get()));
  kvmrtc::ElementPtr queue(gst_bin_get_by_name(GST_BIN(pipeline.get()), kProducerSourceQueueName));
  CHECK(queue != nullptr);
}

TEST_CASE("the test-pattern producer with the x264 choice delivers H.264 at the set size",
          "[preset][gstreamer]") {
  auto video = small_video("test-pattern", "/nonexistent/video0");
  video.encoder = "x264";
  const auto source = resolve_source(video, {kShippedDir});
  REQUIRE(source.ok());
  const auto encoder = kvmrtc::media::choose_encoder(video, {"x264enc"});
  REQUIRE(encoder.element == "x264enc");
  const auto pipeline =
      parse_if_installed(producer_launch(video, source.fragment, encoder.fragment));
  REQUIRE(pipeline != nullptr);
  const StopOnExit stop{pipeline.get()};
  kvmrtc::ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), kProducerSinkName));
  REQUIRE(sink != nullptr);
  REQUIRE(gst_element_set_state(pipeline.get(), GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE);

  kvmrtc::SamplePtr sample(gst_app_sink_try_pull_sample(GST_APP_SINK(sink.get()), 20 * GST_SECOND));
  REQUIRE(sample != nullptr);
  GstCaps* caps = gst_sample_get_caps(sample.get());
  REQUIRE(caps != nullptr);
  const GstStructure* structure = gst_caps_get_structure(caps, 0);
  CHECK(gst_structure_has_name(structure, "video/x-h264"));
  CHECK(std::string(gst_structure_get_string(structure, "stream-format")) == "byte-stream");
  int width = 0, height = 0;
  CHECK(gst_structure_get_int(structure, "width", &width));
  CHECK(gst_structure_get_int(structure, "height", &height));
  CHECK(width == 320);
  CHECK(height == 240);
  CHECK(gst_buffer_get_size(gst_sample_get_buffer(sample.get())) > 0);
}

TEST_CASE("the V4L2 producer lines parse and fail only on the missing device",
          "[preset][gstreamer]") {
  const TempDir dir;
  const std::string missing_device = dir.path() + "/video-missing";
  for (const std::string name : {"usb-mjpeg", "v4l2-raw"}) {
    INFO(name);
    const auto video = small_video(name, missing_device);
    const auto source = resolve_source(video, {kShippedDir});
    REQUIRE(source.ok());
    const auto pipeline = parse_if_installed(producer_launch(video, source.fragment, "x264enc"));
    if (pipeline == nullptr) continue;
    const StopOnExit stop{pipeline.get()};
    kvmrtc::ElementPtr sink(gst_bin_get_by_name(GST_BIN(pipeline.get()), kProducerSinkName));
    CHECK(sink != nullptr);

    // The device is only opened on the way to READY, and that must be what fails.
    CHECK(gst_element_set_state(pipeline.get(), GST_STATE_READY) == GST_STATE_CHANGE_FAILURE);
    kvmrtc::BusPtr bus(gst_element_get_bus(pipeline.get()));
    kvmrtc::MessagePtr message(gst_bus_pop_filtered(bus.get(), GST_MESSAGE_ERROR));
    REQUIRE(message != nullptr);
    GError* raw_error = nullptr;
    gst_message_parse_error(message.get(), &raw_error, nullptr);
    kvmrtc::ErrorPtr error(raw_error);
    INFO(error->message);
    CHECK(error->domain == GST_RESOURCE_ERROR);
    GstObject* failed = GST_MESSAGE_SRC(message.get());
    REQUIRE(GST_IS_ELEMENT(failed));
    GstElementFactory* factory = gst_element_get_factory(GST_ELEMENT(failed));
    REQUIRE(factory != nullptr);
    REQUIRE(std::string(GST_OBJECT_NAME(factory)) == "v4l2src");
    gchar* raw_device = nullptr;
    g_object_get(failed, "device", &raw_device, nullptr);
    kvmrtc::CharPtr device(raw_device);
    REQUIRE(device != nullptr);
    CHECK(std::string(device.get()) == missing_device);
  }
}

TEST_CASE("a preset may make the video settings that suit its source", "[preset]") {
  const auto parsed = kvmrtc::config::parse_preset(
      "[preset]\ndescription=bridge\nsource=videotestsrc\nframerate=50\nencoder=x264\n", "bridge");
  REQUIRE(parsed.ok());
  REQUIRE(parsed.preset.video.size() == 2);
  CHECK(parsed.preset.video[0].key == "framerate");
  CHECK(parsed.preset.video[0].value == "50");
  CHECK(parsed.preset.video[0].line == 4);
  CHECK(parsed.preset.video[1].key == "encoder");

  const auto wrong = kvmrtc::config::parse_preset(
      "[preset]\ndescription=bridge\nsource=videotestsrc\nport=80\n", "bridge");
  CHECK_FALSE(wrong.ok());
  CHECK_THAT(wrong.error, Catch::Contains("line 4: port is not a setting a preset makes"));
}
