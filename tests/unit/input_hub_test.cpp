#include "hid/input_hub.hpp"

#include <fcntl.h>
#include <glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "temp_dir.hpp"

using namespace kvmrtc::hid;
using Report = std::vector<std::uint8_t>;

namespace {

// Three FIFOs standing in for the gadget devices, each with a reader that collects reports.
struct Devices {
  TempDir dir;
  std::vector<std::string> paths;
  std::vector<int> readers;

  Devices() {
    for (const char* name : {"keyboard", "mouse", "relative"}) {
      paths.push_back(dir.path() + "/" + name);
      REQUIRE(mkfifo(paths.back().c_str(), 0600) == 0);
      readers.push_back(::open(paths.back().c_str(), O_RDONLY | O_NONBLOCK));
      REQUIRE(readers.back() >= 0);
    }
  }
  ~Devices() {
    for (const int fd : readers) ::close(fd);
  }

  HidPaths hid_paths() const { return {paths[0], paths[1], paths[2], ""}; }

  // Reports read from device `index` within `limit`, split by `size`.
  std::vector<Report> reports(int index, std::size_t size, std::size_t wanted,
                              std::chrono::milliseconds limit = std::chrono::milliseconds(3000)) {
    std::vector<std::uint8_t> bytes;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (bytes.size() < wanted * size && std::chrono::steady_clock::now() < deadline) {
      g_main_context_iteration(nullptr, FALSE);
      std::uint8_t chunk[4096];
      const ssize_t count = ::read(readers[index], chunk, sizeof chunk);
      if (count > 0) bytes.insert(bytes.end(), chunk, chunk + count);
    }
    std::vector<Report> out;
    for (std::size_t at = 0; at + size <= bytes.size(); at += size) {
      out.emplace_back(bytes.begin() + static_cast<long>(at),
                       bytes.begin() + static_cast<long>(at + size));
    }
    return out;
  }
};

Report keys(std::uint8_t modifiers, std::uint8_t usage = 0) {
  return {modifiers, 0, usage, 0, 0, 0, 0, 0};
}

std::string key(const char* code, bool down) {
  return std::string(R"({"t":"key","code":")") + code + R"(","down":)" + (down ? "true" : "false") +
         "}";
}

}  // namespace

TEST_CASE("keys of two viewers combine, and a viewer that goes releases only its own",
          "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, key("ShiftLeft", true));
  hub.handle(2, key("KeyA", true));
  hub.release_viewer(1);
  CHECK(devices.reports(0, 8, 3) ==
        std::vector<Report>{keys(0x02), keys(0x02, 0x04), keys(0, 0x04)});
  hub.release_viewer(2);
  CHECK(devices.reports(0, 8, 1) == std::vector<Report>{keys(0)});
}

TEST_CASE("repeats and unknown codes write nothing", "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, key("KeyB", true));
  hub.handle(1, key("KeyB", true));  // auto-repeat
  hub.handle(1, key("NoSuchKey", true));
  hub.handle(1, key("KeyB", false));
  CHECK(devices.reports(0, 8, 3, std::chrono::milliseconds(300)) ==
        std::vector<Report>{keys(0, 0x05), keys(0)});
}

TEST_CASE("a click is written at the pointer's position and released with the viewer",
          "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, R"({"t":"abs","x":1,"y":0,"buttons":1})");
  hub.release_viewer(1);
  CHECK(devices.reports(1, 7, 2) ==
        std::vector<Report>{{1, 0xff, 0x7f, 0, 0, 0, 0}, {0, 0xff, 0x7f, 0, 0, 0, 0}});
}

TEST_CASE("relative moves and wheel go to the relative mouse, clamped to a boot mouse's range",
          "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, R"({"t":"rel","dx":-300,"dy":5,"buttons":2})");
  hub.handle(1, R"({"t":"wheel","dy":-2,"mode":"rel"})");
  hub.release_viewer(1);
  CHECK(devices.reports(2, 4, 3) ==
        std::vector<Report>{{2, 0x81, 5, 0}, {2, 0, 0, 0xfe}, {0, 0, 0, 0}});
}

TEST_CASE("paste types the text and reports progress to the viewer that asked", "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  std::vector<std::pair<std::uint64_t, std::string>> sent;
  hub.set_outputs(
      [&](std::uint64_t viewer, const std::string& text) { sent.emplace_back(viewer, text); },
      [](const std::string&) {});
  hub.handle(7, R"({"t":"paste","text":"Hi","layout":"en-US"})");
  // The last report restores the keys the user holds (none) once typing is done.
  CHECK(devices.reports(0, 8, 6) == std::vector<Report>{keys(0x02), keys(0x02, 0x0b), keys(0),
                                                        keys(0, 0x0c), keys(0), keys(0)});
  REQUIRE(sent.size() >= 2);
  CHECK(sent.front().first == 7);
  CHECK(sent.front().second.find(R"("state":"typing")") != std::string::npos);
  CHECK(sent.back().second.find(R"("state":"done")") != std::string::npos);
}

TEST_CASE("paste of characters the layout lacks is refused before typing", "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  std::vector<std::string> sent;
  hub.set_outputs([&](std::uint64_t, const std::string& text) { sent.push_back(text); },
                  [](const std::string&) {});
  hub.handle(1, R"({"t":"paste","text":"a€","layout":"en-US"})");
  hub.handle(1, R"({"t":"paste","text":"a","layout":"xx-XX"})");
  hub.handle(1, "not json");
  CHECK(devices.reports(0, 8, 1, std::chrono::milliseconds(200)).empty());
  REQUIRE(sent.size() == 3);
  CHECK(sent[0].find(R"("state":"refused")") != std::string::npos);
  CHECK(sent[0].find("€") != std::string::npos);
  CHECK(sent[1].find(R"("t":"error")") != std::string::npos);
  CHECK(sent[2].find(R"("code":"bad-json")") != std::string::npos);
}

TEST_CASE("a key two viewers hold stays down until the last of them lets it go", "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, key("KeyA", true));
  hub.handle(2, key("KeyA", true));
  // Viewer 1 lets go: viewer 2 still holds A, so the target must still see it down.
  hub.handle(1, key("KeyA", false));
  hub.handle(2, key("KeyB", true));
  hub.release_viewer(2);
  CHECK(devices.reports(0, 8, 3) ==
        std::vector<Report>{keys(0, 0x04), Report{0, 0, 0x04, 0x05, 0, 0, 0, 0}, keys(0)});
}

TEST_CASE("a viewer that goes while another holds the same key leaves it down", "[hid][input]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.handle(1, key("ControlLeft", true));
  hub.handle(2, key("ControlLeft", true));
  hub.release_viewer(1);
  hub.handle(2, key("KeyC", true));
  hub.handle(2, key("KeyC", false));
  hub.handle(2, key("ControlLeft", false));
  CHECK(devices.reports(0, 8, 4) ==
        std::vector<Report>{keys(0x01), keys(0x01, 0x06), keys(0x01), keys(0)});
}

TEST_CASE("over its message rate a viewer's presses and moves are dropped, never a release",
          "[hid][input][limits]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.set_limits({64 * 1024, 4096, 10});
  std::vector<std::string> sent;
  hub.set_outputs([&](std::uint64_t, const std::string& text) { sent.push_back(text); },
                  [](const std::string&) {});
  hub.handle(1, key("KeyA", true));  // within the rate
  // A flood, all within a moment: the rest of the second's ten, then nothing.
  for (int i = 0; i < 50; ++i) hub.handle(1, R"({"t":"rel","dx":1,"dy":0,"buttons":0})");
  hub.handle(1, key("KeyB", true));   // dropped
  hub.handle(1, key("KeyA", false));  // a release: always
  CHECK(devices.reports(0, 8, 2) == std::vector<Report>{keys(0, 0x04), keys(0)});
  CHECK(devices.reports(2, 4, 10, std::chrono::milliseconds(300)).size() == 9);
  CHECK(hub.dropped_messages() == 42);
  // Told once, not once per dropped message.
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].find(R"("code":"rate-limited")") != std::string::npos);
  CHECK(sent[0].find("input-messages-per-second") != std::string::npos);
}

TEST_CASE("a paste longer than paste-characters is refused before typing", "[hid][input][limits]") {
  Devices devices;
  InputHub hub(devices.hid_paths(), {KVMRTC_TEST_SOURCE_DIR "/layouts"});
  hub.set_limits({64 * 1024, 5, 500});
  std::vector<std::string> sent;
  hub.set_outputs([&](std::uint64_t, const std::string& text) { sent.push_back(text); },
                  [](const std::string&) {});
  hub.handle(1, R"({"t":"paste","text":"ééééé","layout":"fr-FR"})");  // 5 characters, 10 bytes
  hub.handle(1, R"({"t":"paste","text":"abcdef","layout":"en-US"})");
  REQUIRE(sent.size() >= 2);
  CHECK(sent[0].find(R"("state":"typing")") != std::string::npos);
  CHECK(sent.back().find(R"("code":"too-large")") != std::string::npos);
  CHECK(sent.back().find("a paste of 6 characters is over the limit of 5") != std::string::npos);
}
