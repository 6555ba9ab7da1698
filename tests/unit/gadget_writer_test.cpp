#include "hid/gadget_writer.hpp"

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
using Clock = std::chrono::steady_clock;

namespace {

// A FIFO in a fresh temporary folder, removed with it.
struct Fifo {
  TempDir dir;
  std::string path = dir.path() + "/hidg";

  Fifo() { REQUIRE(mkfifo(path.c_str(), 0600) == 0); }
};

// Runs the main context until `done` holds or `limit` passes.
template <typename Condition>
bool iterate_until(Condition done, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) g_main_context_iteration(nullptr, FALSE);
  return done();
}

std::vector<std::uint8_t> read_available(int fd) {
  std::vector<std::uint8_t> bytes(1 << 17);
  const ssize_t count = ::read(fd, bytes.data(), bytes.size());
  bytes.resize(count > 0 ? static_cast<std::size_t>(count) : 0);
  return bytes;
}

}  // namespace

TEST_CASE("a device that is read gets the exact reports in order", "[hid][writer]") {
  Fifo fifo;
  const int reader = ::open(fifo.path.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  GadgetWriter writer("keyboard", fifo.path);
  CHECK(writer.state() == DeviceState::kOk);
  writer.write({0x02, 0, 0x0b, 0, 0, 0, 0, 0});
  writer.write({0x00, 0, 0x00, 0, 0, 0, 0, 0});
  CHECK(read_available(reader) ==
        std::vector<std::uint8_t>{0x02, 0, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  ::close(reader);
}

TEST_CASE("a device nobody reads never blocks, keeps the newest state and reports it",
          "[hid][writer]") {
  Fifo fifo;
  // A reader that opens and then never reads: the pipe fills up, as a gadget does when the
  // target is off.
  const int reader = ::open(fifo.path.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  GadgetWriter writer("keyboard", fifo.path);
  int state_changes = 0;
  writer.on_state_change([&] { ++state_changes; });

  const auto started = Clock::now();
  std::vector<std::uint8_t> last;
  for (int i = 0; i < 20000; ++i) {
    last = {
        static_cast<std::uint8_t>(i & 0x7f), 0, static_cast<std::uint8_t>(i % 200), 0, 0, 0, 0, 0};
    writer.write(last);
  }
  const auto elapsed = Clock::now() - started;
  CHECK(elapsed < std::chrono::milliseconds(500));  // 20000 writes, none of them waited
  CHECK_FALSE(writer.idle());

  REQUIRE(iterate_until([&] { return writer.state() == DeviceState::kNotResponding; },
                        std::chrono::milliseconds(2000)));
  CHECK(state_changes == 1);

  // The target reads again: what it gets ends with the newest state, and the writer recovers.
  std::vector<std::uint8_t> received;
  REQUIRE(iterate_until(
      [&] {
        auto chunk = read_available(reader);
        received.insert(received.end(), chunk.begin(), chunk.end());
        return writer.idle() && writer.state() == DeviceState::kOk;
      },
      std::chrono::milliseconds(2000)));
  REQUIRE(received.size() >= 8);
  CHECK(std::vector<std::uint8_t>(received.end() - 8, received.end()) == last);
  ::close(reader);
}

TEST_CASE("moves waiting for a stalled device are coalesced, clicks are not", "[hid][writer]") {
  Fifo fifo;
  const int reader = ::open(fifo.path.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  GadgetWriter writer("mouse", fifo.path);
  // Fill the pipe so that everything after waits in the writer's queue.
  const std::vector<std::uint8_t> filler(7, 0xee);
  while (writer.idle()) writer.write(filler);
  writer.write({0, 1, 0, 1, 0, 0, 0}, true);
  writer.write({0, 2, 0, 2, 0, 0, 0}, true);
  writer.write({1, 2, 0, 2, 0, 0, 0}, false);  // button down
  writer.write({1, 3, 0, 3, 0, 0, 0}, true);
  writer.write({1, 4, 0, 4, 0, 0, 0}, true);

  std::vector<std::uint8_t> received;
  REQUIRE(iterate_until(
      [&] {
        auto chunk = read_available(reader);
        received.insert(received.end(), chunk.begin(), chunk.end());
        return writer.idle();
      },
      std::chrono::milliseconds(2000)));
  // Drop the filler (and the report that did not fit the pipe) and look at the tail.
  const std::vector<std::uint8_t> tail(received.end() - 21, received.end());
  CHECK(tail ==
        std::vector<std::uint8_t>{0, 2, 0, 2, 0, 0, 0, 1, 2, 0, 2, 0, 0, 0, 1, 4, 0, 4, 0, 0, 0});
  ::close(reader);
}

TEST_CASE("a missing device is a state, and is opened once it appears", "[hid][writer]") {
  Fifo fifo;
  const std::string missing = fifo.dir.path() + "/hidg-later";
  GadgetWriter writer("keyboard", missing);
  CHECK(writer.state() == DeviceState::kMissing);
  writer.write({0, 0, 4, 0, 0, 0, 0, 0});  // kept until the device exists

  REQUIRE(mkfifo(missing.c_str(), 0600) == 0);
  const int reader = ::open(missing.c_str(), O_RDONLY | O_NONBLOCK);
  REQUIRE(reader >= 0);
  REQUIRE(iterate_until([&] { return writer.state() == DeviceState::kOk && writer.idle(); },
                        std::chrono::milliseconds(3000)));
  CHECK(read_available(reader) == std::vector<std::uint8_t>{0, 0, 4, 0, 0, 0, 0, 0});
  ::close(reader);
}
