#include "config_loader.hpp"

#include <glib.h>
#include <glib/gstdio.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <string>

#include "temp_dir.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::load_config_text;

namespace {

// A folder of the user's presets for one test, searched first ($KVMRTC_PIPELINES_DIR).
class PresetDir {
 public:
  PresetDir() : path_(kvmrtc::CharPtr(g_dir_make_tmp("kvmrtc-presets-XXXXXX", nullptr)).get()) {
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

namespace {

// A config that keeps the settings dialog's changes in `settings` (a file under `dir`).
std::string config_with_settings_file(const std::string& settings) {
  return "[server]\nsettings-file=" + settings +
         "\n[video]\nbitrate=2000\nmax-bitrate=6000\nframerate=30\n";
}

}  // namespace

TEST_CASE("the settings dialog's file overrides the config where it sets a key",
          "[config-loader]") {
  TempDir dir;
  const std::string settings = (dir / "settings.conf").string();
  const std::string config = config_with_settings_file(settings);

  const auto before = load_config_text(config, "kvmrtc.conf");  // no file yet: nothing changes
  REQUIRE(before.ok());
  CHECK(before.config.video.bitrate == 2000);

  std::ofstream(settings) << "# from the page\n[video]\nbitrate=5000\n[webrtc]\n"
                             "zero-playout-delay=false\n";
  const auto after = load_config_text(config, "kvmrtc.conf");
  REQUIRE(after.ok());
  CHECK(after.config.video.bitrate == 5000);
  CHECK(after.config.video.framerate == 30);  // the config's, which the file does not set
  CHECK_FALSE(after.config.webrtc.zero_playout_delay);
  CHECK(after.config.sets("video.bitrate"));
  CHECK(after.notes.back() ==
        "the settings dialog's " + settings + " overrides kvmrtc.conf where it sets a key");

  // A change about to be saved is checked without being on disk.
  const std::string pending = "[video]\nbitrate=3000\n";
  CHECK(load_config_text(config, "kvmrtc.conf", &pending).config.video.bitrate == 3000);
}

TEST_CASE("the settings file holds only the dialog's keys", "[config-loader]") {
  TempDir dir;
  const std::string settings = (dir / "settings.conf").string();
  // A compromised page must not be able to turn the login off through this file.
  std::ofstream(settings) << "[video]\nbitrate=5000\n[auth]\nmode=none\n";
  const auto loaded = load_config_text(config_with_settings_file(settings), "kvmrtc.conf");
  REQUIRE(loaded.errors.size() == 1);
  const auto& error = loaded.errors.front();
  CHECK(error.origin == settings);
  CHECK(error.line == 4);
  CHECK(error.key == "auth.mode");
  CHECK(error.message ==
        "[auth] mode cannot be set here, only the settings dialog's keys; it belongs in the "
        "config file");
}

TEST_CASE("a combination the settings file breaks is an error at its line there",
          "[config-loader]") {
  TempDir dir;
  const std::string settings = (dir / "settings.conf").string();
  std::ofstream(settings) << "[video]\nbitrate=3000\nmax-bitrate=2500\n";
  const auto loaded = load_config_text(config_with_settings_file(settings), "kvmrtc.conf");
  REQUIRE(loaded.errors.size() == 1);
  CHECK(loaded.errors.front().origin == settings);
  CHECK(loaded.errors.front().line == 3);
  CHECK(loaded.errors.front().key == "video.max-bitrate");

  // Above the config's own max-bitrate: the line is the config's.
  std::ofstream(settings) << "[video]\nbitrate=9000\n";
  const auto above = load_config_text(config_with_settings_file(settings), "kvmrtc.conf");
  REQUIRE(above.errors.size() == 1);
  CHECK(above.errors.front().origin == "kvmrtc.conf");
  CHECK(above.errors.front().line == 5);
}

TEST_CASE("a settings file that is not a key file, or a relative path, is an error",
          "[config-loader]") {
  TempDir dir;
  const std::string settings = (dir / "settings.conf").string();
  std::ofstream(settings) << "[video]\nthis is not a key\n";
  const auto broken = load_config_text(config_with_settings_file(settings), "kvmrtc.conf");
  REQUIRE(broken.errors.size() == 1);
  CHECK(broken.errors.front().origin == settings);
  CHECK(broken.errors.front().line == 2);

  const auto relative = load_config_text("[server]\nsettings-file=settings.conf\n", "kvmrtc.conf");
  REQUIRE(relative.errors.size() == 1);
  CHECK(relative.errors.front().message ==
        "[server] settings-file: 'settings.conf' is not an absolute path");
}
