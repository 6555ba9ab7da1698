#include "media/retransmission_budget.hpp"

#include <catch2/catch.hpp>

using kvmrtc::media::RetransmissionBudget;
using namespace std::chrono_literals;

namespace {

// How many of `requests` made at `now` the budget allows.
int allowed(RetransmissionBudget& budget, int requests, std::uint64_t media_packets,
            RetransmissionBudget::Clock::time_point now) {
  int count = 0;
  for (int i = 0; i < requests; ++i) count += budget.allow(media_packets, now) ? 1 : 0;
  return count;
}

}  // namespace

TEST_CASE("a few resends a second are allowed before any media", "[resend]") {
  const auto start = RetransmissionBudget::Clock::now();
  RetransmissionBudget budget(1.0, start);
  CHECK(allowed(budget, 50, 0, start + 100ms) == 10);
}

TEST_CASE("resends get the share of the media packets sent in the last second", "[resend]") {
  const auto start = RetransmissionBudget::Clock::now();
  RetransmissionBudget half(0.5, start);
  CHECK(allowed(half, 500, 200, start + 500ms) == 10 + 100);
  RetransmissionBudget whole(1.0, start);
  CHECK(allowed(whole, 500, 200, start + 500ms) == 10 + 200);
}

TEST_CASE("the resends of more than a second ago no longer count", "[resend]") {
  const auto start = RetransmissionBudget::Clock::now();
  RetransmissionBudget budget(1.0, start);
  CHECK(allowed(budget, 100, 0, start + 200ms) == 10);
  CHECK(allowed(budget, 100, 30, start + 900ms) == 30);
  // The first 10 are more than a second old; the 30 media packets, and the 30 resends they
  // paid for, are not.
  CHECK(allowed(budget, 100, 30, start + 1250ms) == 10);
}

TEST_CASE("media packets of more than a second ago no longer pay for resends", "[resend]") {
  const auto start = RetransmissionBudget::Clock::now();
  RetransmissionBudget budget(1.0, start);
  CHECK(allowed(budget, 1, 300, start + 100ms) == 1);
  // Nothing sent since: a stream that stopped does not keep its old budget.
  CHECK(allowed(budget, 500, 300, start + 2500ms) == 10);
}

TEST_CASE("a storm of requests on a full link is cut to the budget", "[resend]") {
  // The shaped link of bench/RESULTS.md: 240 media packets a second, and the browser asking
  // for 1800 packets a second, each several times.
  const auto start = RetransmissionBudget::Clock::now();
  RetransmissionBudget budget(1.0, start);
  std::uint64_t media = 0;
  int resent = 0;
  for (int ms = 0; ms < 5000; ms += 10) {
    const auto now = start + std::chrono::milliseconds(ms);
    media += ms % 40 == 0 ? 10 : 0;  // 250 a second
    resent += allowed(budget, 18, media, now);
  }
  CHECK(resent <= 5 * (250 + 10));
  CHECK(resent >= 4 * 250);
}
