#include "hid/led_reader.hpp"

#include <fcntl.h>
#include <glib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <string>

#include "temp_dir.hpp"

using kvmrtc::hid::LedReader;

namespace {

// Runs the main loop until `done` or `limit`; whether `done` came true.
template <typename Predicate>
bool iterate_until(Predicate done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    g_main_context_iteration(nullptr, FALSE);
    g_usleep(1000);
  }
  return done();
}

}  // namespace

TEST_CASE("a regular file is refused, not watched: the main loop does not spin on it",
          "[hid][leds]") {
  TempDir dir;
  const std::string path = (dir / "leds").string();
  std::ofstream(path) << '\x02';  // a report's worth, which a FIFO would deliver
  std::optional<std::uint8_t> seen;
  LedReader reader(path, [&](std::uint8_t leds) { seen = leds; });
  while (g_main_context_iteration(nullptr, FALSE)) {
  }
  // A watched regular file is always readable: the loop would have a source ready forever.
  CHECK_FALSE(g_main_context_pending(nullptr));
  CHECK_FALSE(seen);
  CHECK(reader.leds() == 0);
}

TEST_CASE("a keyboard device that is missing at first is read once it appears", "[hid][leds]") {
  TempDir dir;
  const std::string path = (dir / "hidg0").string();
  std::optional<std::uint8_t> seen;
  LedReader reader(path, [&](std::uint8_t leds) { seen = leds; });
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  // The reader opens it read-write, so this write end opens once the reader is back.
  int writer = -1;
  REQUIRE(iterate_until(
      [&] {
        writer = ::open(path.c_str(), O_WRONLY | O_NONBLOCK);
        return writer >= 0;
      },
      std::chrono::milliseconds(3000)));
  const std::uint8_t caps_lock = 0x02;
  REQUIRE(::write(writer, &caps_lock, 1) == 1);
  CHECK(iterate_until([&] { return seen.has_value(); }, std::chrono::milliseconds(3000)));
  CHECK(seen == caps_lock);
  ::close(writer);
}
