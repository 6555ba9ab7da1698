#include "config_loader.hpp"

#include <glib.h>
#include <glib/gstdio.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

using kvmrtc::load_config_text;

namespace {

// A folder of the user's presets for one test, searched first ($KVMRTC_PIPELINES_DIR).
class PresetDir {
 public:
  PresetDir() : path_(g_dir_make_tmp("kvmrtc-presets-XXXXXX", nullptr)) {
    g_setenv("KVMRTC_PIPELINES_DIR", path_.c_str(), TRUE);
  }
  ~PresetDir() {
    g_unsetenv("KVMRTC_PIPELINES_DIR");
    g_remove(file_.c_str());
    g_rmdir(path_.c_str());
  }
  PresetDir(const PresetDir&) = delete;
  PresetDir& operator=(const PresetDir&) = delete;

  std::string write(const std::string& name, const std::string& text) {
    file_ = path_ + "/" + name + ".conf";
    std::ofstream(file_) << text;
    return file_;
  }

 private:
  std::string path_;
  std::string file_;
};

const char* const kBridge =
    "[preset]\n"
    "description=a bridge at 1080p50\n"
    "source=videotestsrc is-live=true ! video/x-raw,width={width},height={height}\n"
    "width=1920\n"
    "height=1080\n"
    "framerate=50\n"
    "encoder=x264\n";

}  // namespace

TEST_CASE("a preset's settings fill in what the config does not set", "[config-loader]") {
  PresetDir dir;
  dir.write("bridge", kBridge);
  const auto plain = load_config_text("[video]\npipeline=bridge\n", "test.conf");
  REQUIRE(plain.ok());
  CHECK(plain.config.video.framerate == 50);
  CHECK(plain.config.video.width == 1920);
  CHECK(plain.encoder == "x264enc");
  CHECK(plain.launch.find("framerate=50/1") != std::string::npos);
  // The source as the preset has it, with the preset's size in its caps.
  CHECK(plain.source.find("width=1920,height=1080") != std::string::npos);

  const auto own = load_config_text("[video]\npipeline=bridge\nframerate=30\n", "test.conf");
  REQUIRE(own.ok());
  CHECK(own.config.video.framerate == 30);
  CHECK(own.config.video.height == 1080);
}

TEST_CASE("a bad setting in a preset is an error at its line of the preset", "[config-loader]") {
  PresetDir dir;
  const auto path = dir.write("bridge", std::string(kBridge) + "bitrate=lots\n");
  const auto loaded = load_config_text("[video]\npipeline=bridge\n", "test.conf");
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors.front().origin == path);
  CHECK(loaded.errors.front().line == 8);
  CHECK(loaded.errors.front().message == "[preset] bitrate: 'lots' is not a whole number");
  // Set by the config itself, the preset's bad value is not used at all.
  CHECK(load_config_text("[video]\npipeline=bridge\nbitrate=3000\n", "test.conf").ok());
}
