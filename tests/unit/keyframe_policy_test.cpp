#include "media/keyframe_policy.hpp"

#include <catch2/catch.hpp>
#include <chrono>

using kvmrtc::media::KeyframePolicy;
using Action = KeyframePolicy::Action;
using std::chrono::milliseconds;

namespace {

// An arbitrary, fixed origin: the policy must work from any steady-clock time.
const KeyframePolicy::Clock::time_point kStart{std::chrono::hours(1000)};

KeyframePolicy::Clock::time_point at(int ms) {
  return kStart + milliseconds(ms);
}

}  // namespace

TEST_CASE("the first keyframe request is sent at once", "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  CHECK(policy.request(at(0)).action == Action::kSendNow);
}

TEST_CASE("a request inside the interval is deferred until the interval ends", "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  const auto decision = policy.request(at(100));
  CHECK(decision.action == Action::kDefer);
  CHECK(decision.delay == milliseconds(150));
}

TEST_CASE("the deferral delay is rounded up to whole milliseconds", "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  const auto decision = policy.request(at(0) + std::chrono::microseconds(100'500));
  CHECK(decision.action == Action::kDefer);
  CHECK(decision.delay == milliseconds(150));
}

TEST_CASE("a request while one is deferred is already covered", "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  REQUIRE(policy.request(at(10)).action == Action::kDefer);
  CHECK(policy.request(at(20)).action == Action::kAlreadyDeferred);
  // Even past the interval: the deferred send has not happened yet.
  CHECK(policy.request(at(400)).action == Action::kAlreadyDeferred);
}

TEST_CASE("after the deferred keyframe is sent, a request inside the interval defers again",
          "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  REQUIRE(policy.request(at(100)).action == Action::kDefer);
  policy.deferred_due(at(250));
  const auto decision = policy.request(at(300));
  CHECK(decision.action == Action::kDefer);
  CHECK(decision.delay == milliseconds(200));
}

TEST_CASE("after the deferred keyframe, a request a full interval later is sent at once",
          "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  REQUIRE(policy.request(at(100)).action == Action::kDefer);
  policy.deferred_due(at(250));
  CHECK(policy.request(at(500)).action == Action::kSendNow);
}

TEST_CASE("a request once the interval has passed is sent at once", "[keyframe]") {
  KeyframePolicy policy(milliseconds(250));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  CHECK(policy.request(at(250)).action == Action::kSendNow);
  CHECK(policy.request(at(1000)).action == Action::kSendNow);
  const auto decision = policy.request(at(1249));
  CHECK(decision.action == Action::kDefer);
  CHECK(decision.delay == milliseconds(1));
}

TEST_CASE("the interval is the one given to the policy", "[keyframe]") {
  KeyframePolicy policy(milliseconds(1000));
  REQUIRE(policy.request(at(0)).action == Action::kSendNow);
  const auto decision = policy.request(at(400));
  CHECK(decision.action == Action::kDefer);
  CHECK(decision.delay == milliseconds(600));
}
