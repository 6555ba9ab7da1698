#include "media/producer.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "config/launch.hpp"

using kvmrtc::media::BitratePolicy;
using kvmrtc::media::PipelineReaper;
using kvmrtc::media::Producer;
using kvmrtc::media::VideoCodec;

namespace {

// Raw frames as fast as the machine makes them, straight to the producer's appsink: its
// streaming thread is in the appsink's callback nearly all the time.
std::string flooding_launch_line() {
  return std::string("videotestsrc ! video/x-raw,format=I420,width=64,height=36 ! tee name=") +
         kvmrtc::config::kProducerRawTeeName +
         " ! queue ! appsink name=" + kvmrtc::config::kProducerSinkName + " sync=false";
}

// Turns the main loop until `producer` has handed over at least `frames`.
bool frames_flow(const Producer& producer, std::uint64_t frames) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (producer.status().frames < frames) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    g_main_context_iteration(nullptr, FALSE);
  }
  return true;
}

}  // namespace

// Without the producer's Tap (its streaming threads held a raw Producer*), the frames that
// arrive between the producer's end and the reaper's NULL land on freed memory:
// AddressSanitizer reports a heap-use-after-free (scripts/test-hardening.sh runs this).
TEST_CASE("frames still streaming when the producer is destroyed never reach it", "[producer]") {
  PipelineReaper reaper;
  for (int round = 0; round < 5; ++round) {
    auto producer = std::make_unique<Producer>(flooding_launch_line(), "x264enc", "", 30,
                                               BitratePolicy(500, 4000, 2000), reaper);
    producer->acquire(VideoCodec::kH264);
    REQUIRE(frames_flow(*producer, 200));
    producer.reset();
  }
  CHECK(reaper.wait_until_pending_at_most(0, std::chrono::seconds(5)));
}
