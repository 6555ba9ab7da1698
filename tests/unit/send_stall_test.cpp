#include "media/congestion/send_stall.hpp"

#include <catch2/catch.hpp>

using kvmrtc::media::SendStallDetector;

TEST_CASE("frames that wait while nothing is sent make a stall after the given checks", "[stall]") {
  SendStallDetector detector(2);
  CHECK_FALSE(detector.check(2, 5000));  // the first check only notes where sending stands
  CHECK_FALSE(detector.check(2, 5000));
  CHECK(detector.check(2, 5000));
}

TEST_CASE("a viewer that sends, however slowly, is not stalled", "[stall]") {
  SendStallDetector detector(2);
  std::uint64_t bytes = 1000;
  for (int i = 0; i < 10; ++i) {
    bytes += 100;
    CHECK_FALSE(detector.check(2, bytes));
  }
}

TEST_CASE("nothing sent with nothing waiting (no signal) is not a stall", "[stall]") {
  SendStallDetector detector(2);
  for (int i = 0; i < 10; ++i) CHECK_FALSE(detector.check(0, 7000));
}

TEST_CASE("one check that moves starts the count again", "[stall]") {
  SendStallDetector detector(2);
  detector.check(2, 100);
  CHECK_FALSE(detector.check(2, 100));
  CHECK_FALSE(detector.check(2, 200));
  CHECK_FALSE(detector.check(2, 200));
  CHECK(detector.check(2, 200));
}
