#include "media/congestion/bitrate_policy.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using kvmrtc::media::BitratePolicy;
using std::chrono::milliseconds;

namespace {

const BitratePolicy::Clock::time_point kStart{std::chrono::hours(1000)};

BitratePolicy::Clock::time_point at(int ms) {
  return kStart + milliseconds(ms);
}

// Feeds REMB every 200 ms for `duration_ms` to a viewer that is sent `sent_kbps`, starting at
// `from_ms`; `bytes` carries the viewer's running byte count between calls.
void feed(BitratePolicy& policy, std::uint64_t viewer, int from_ms, int duration_ms,
          double sent_kbps, double estimate_kbps, std::uint64_t& bytes) {
  for (int t = from_ms; t <= from_ms + duration_ms; t += 200) {
    bytes += static_cast<std::uint64_t>(sent_kbps * 1000 / 8 * 0.2);
    policy.feedback(viewer, {static_cast<std::uint64_t>(estimate_kbps * 1000), std::nullopt}, bytes,
                    at(t));
  }
}

// Receiver reports alone, as when REMB has nothing new to say, every 200 ms for `duration_ms`.
void feed_loss(BitratePolicy& policy, int from_ms, int duration_ms, double sent_kbps,
               double fraction_lost, std::uint64_t& bytes) {
  for (int t = from_ms; t <= from_ms + duration_ms; t += 200) {
    bytes += static_cast<std::uint64_t>(sent_kbps * 1000 / 8 * 0.2);
    policy.feedback(1, {std::nullopt, fraction_lost}, bytes, at(t));
  }
}

}  // namespace

TEST_CASE("without feedback the encoder runs at the configured bitrate", "[bitrate]") {
  BitratePolicy policy(300, 4000, 2500);
  CHECK(policy.target_kbps() == 2500);
  CHECK(policy.lowest_estimate_kbps() == 0);
  CHECK(BitratePolicy(300, 4000, 9000).target_kbps() == 4000);
}

TEST_CASE("an estimate below what was sent cuts the bitrate to 90 % of it", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 3000, 5000, bytes);
  CHECK(policy.target_kbps() == 4000);
  feed(policy, 1, 1200, 0, 3000, 1400, bytes);
  CHECK(policy.target_kbps() == 1260);
}

TEST_CASE("a still picture's low estimate is not taken as congestion", "[bitrate]") {
  // The browser's estimate follows what arrives: 300 kbit/s of a still desktop says nothing
  // about the link.
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 5000, 200, 330, bytes);
  CHECK(policy.target_kbps() == 4000);
}

TEST_CASE("without congestion the bitrate climbs back by about 15 % a second", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 3000, 5000, bytes);
  feed(policy, 1, 1200, 0, 3000, 1000, bytes);
  REQUIRE(policy.target_kbps() == 900);
  // An estimate above what is sent now: the link has room again. 2.2 s of growth follow.
  feed(policy, 1, 1400, 2000, 900, 1100, bytes);
  CHECK(policy.target_kbps() > 900);
  CHECK(policy.target_kbps() <= std::lround(900 * std::pow(1.15, 2.2)));
  feed(policy, 1, 3600, 20000, 1000, 5000, bytes);
  CHECK(policy.target_kbps() == 4000);
}

TEST_CASE("an estimate that holds while a burst goes above it is not congestion", "[bitrate]") {
  // A still desktop at 200 kbit/s: Chromium's estimate sits just above it.
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 3000, 200, 230, bytes);
  // A window moves: a second at 600 kbit/s, the estimate unchanged.
  feed(policy, 1, 3200, 1000, 600, 230, bytes);
  CHECK(policy.target_kbps() == 4000);
}

TEST_CASE("an estimate that rises below what is sent is catching up, not congestion", "[bitrate]") {
  BitratePolicy policy(300, 4000, 1000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 1000, 1500, bytes);
  REQUIRE(policy.target_kbps() > 1000);
  // The link got faster; the browser's estimate climbs about 8 % a second, behind the encoder.
  double estimate = 1000;
  for (int t = 1200; t <= 10000; t += 200) {
    estimate *= 1.016;
    feed(policy, 1, t, 0, policy.target_kbps(), estimate, bytes);
  }
  CHECK(policy.target_kbps() == 4000);
  // Then the estimate falls: that is the queue the browser saw growing.
  feed(policy, 1, 10200, 0, 4000, 2000, bytes);
  CHECK(policy.target_kbps() == 1800);
}

TEST_CASE("heavy loss cuts the bitrate even when REMB does not move", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 4000, 5000, bytes);
  REQUIRE(policy.target_kbps() == 4000);
  // A queue that stays full: no more growing delay for REMB to see, but a fifth of it lost.
  feed_loss(policy, 1200, 0, 4000, 0.2, bytes);
  CHECK(policy.target_kbps() == 3600);
  feed_loss(policy, 1400, 3000, 1500, 0.2, bytes);
  CHECK(policy.target_kbps() < 1500);
}

TEST_CASE("a viewer's first report of heavy loss cuts from the bitrate the encoder was told",
          "[bitrate]") {
  // A page on a slow link: its first report comes before a sending rate can be measured.
  BitratePolicy policy(300, 4000, 4000);
  policy.feedback(1, {std::nullopt, 0.86}, 240'000, at(1900));
  CHECK(policy.target_kbps() == 2280);
  BitratePolicy milder(300, 4000, 4000);
  milder.feedback(1, {std::nullopt, 0.2}, 240'000, at(1900));
  CHECK(milder.target_kbps() == 3600);
}

TEST_CASE("a viewer's first estimate, however low, is not taken as congestion", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  policy.feedback(1, {300'000, std::nullopt}, 10'000, at(1000));
  policy.feedback(1, {250'000, std::nullopt}, 12'000, at(1200));
  CHECK(policy.target_kbps() == 4000);
}

TEST_CASE("some loss holds the bitrate, little loss lets it grow", "[bitrate]") {
  BitratePolicy policy(300, 4000, 2000);
  std::uint64_t bytes = 0;
  feed_loss(policy, 0, 1000, 2000, 0.05, bytes);
  CHECK(policy.target_kbps() == 2000);
  feed_loss(policy, 1200, 2000, 2000, 0.01, bytes);
  CHECK(policy.target_kbps() > 2000);
}

TEST_CASE("reports that stop arriving for 3 s cut the bitrate by a fifth each second",
          "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 4000, 5000, bytes);
  // A low-rate stream gets a report only every 1–1.5 s: no reason to cut.
  CHECK_FALSE(policy.check_silence(at(2500), kStart));
  CHECK(policy.target_kbps() == 4000);
  CHECK(policy.check_silence(at(4000), kStart));
  CHECK(policy.target_kbps() == 3200);
  CHECK_FALSE(policy.check_silence(at(4500), kStart));
  CHECK(policy.check_silence(at(5000), kStart));
  CHECK(policy.target_kbps() == 2560);
  // Reports again: the link has room, the bitrate climbs back.
  feed(policy, 1, 5200, 2000, 2560, 5000, bytes);
  CHECK(policy.target_kbps() > 2560);
  CHECK_FALSE(policy.check_silence(at(8000), kStart));
}

TEST_CASE("silence while the source was down is not congestion", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 4000, 5000, bytes);
  // The source came back at 9 s after a long "no signal": reports are due from then on.
  CHECK_FALSE(policy.check_silence(at(10000), at(9000)));
  CHECK(policy.target_kbps() == 4000);
  CHECK(policy.check_silence(at(12000), at(9000)));
}

TEST_CASE("the slowest viewer sets the shared encoder's pace", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t fast = 0, slow = 0;
  feed(policy, 1, 0, 1000, 3000, 8000, fast);
  feed(policy, 2, 0, 1000, 3000, 8000, slow);
  feed(policy, 2, 1200, 0, 3000, 1000, slow);
  CHECK(policy.target_kbps() == 900);
  CHECK(policy.lowest_estimate_kbps() == 1000);
  policy.forget(2);
  CHECK(policy.target_kbps() == 4000);
  policy.forget(1);
  CHECK(policy.target_kbps() == 4000);
}

TEST_CASE("the target stays within min-bitrate and max-bitrate", "[bitrate]") {
  BitratePolicy policy(500, 3000, 3000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 3000, 8000, bytes);
  feed(policy, 1, 1200, 0, 3000, 100, bytes);
  CHECK(policy.target_kbps() == 500);
}

TEST_CASE("the next viewer starts where the last one left off", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 3000, 8000, bytes);
  feed(policy, 1, 1200, 0, 3000, 1000, bytes);
  REQUIRE(policy.target_kbps() == 900);
  policy.forget(1);
  CHECK(policy.target_kbps() == 900);
  std::uint64_t next = 0;
  feed(policy, 2, 2000, 0, 0, 5000, next);
  CHECK(policy.target_kbps() == 900);
}

TEST_CASE("after a loss the bitrate grows no further than the estimate, for 10 s", "[bitrate]") {
  BitratePolicy policy(300, 4000, 4000);
  std::uint64_t bytes = 0;
  feed(policy, 1, 0, 1000, 4000, 5000, bytes);
  // A queue overflows: 40 % of what the last second carried is lost.
  feed_loss(policy, 1200, 2000, 1000, 0.4, bytes);
  CHECK(policy.target_kbps() == 800);
  // The browser's estimate holds at 1500 kbit/s: the bitrate climbs to 90 % of it, no further.
  feed(policy, 1, 3400, 8000, 1000, 1500, bytes);
  CHECK(policy.target_kbps() == 1350);
  // Ten seconds after the last loss the estimate is no ceiling any more.
  feed(policy, 1, 11600, 4000, 1350, 1500, bytes);
  CHECK(policy.target_kbps() > 1600);
}
