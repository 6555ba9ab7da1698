#include "hid/keyboard_state.hpp"

#include <catch2/catch.hpp>

using kvmrtc::hid::KeyboardReport;
using kvmrtc::hid::KeyboardState;

namespace {

constexpr std::uint8_t kA = 0x04;
constexpr std::uint8_t kB = 0x05;
constexpr std::uint8_t kC = 0x06;
constexpr std::uint8_t kD = 0x07;
constexpr std::uint8_t kE = 0x08;
constexpr std::uint8_t kF = 0x09;
constexpr std::uint8_t kG = 0x0A;
constexpr std::uint8_t kLeftShift = 0xE1;
constexpr std::uint8_t kRightAlt = 0xE6;

KeyboardState with_keys(std::initializer_list<std::uint8_t> usages) {
  KeyboardState state;
  for (const auto usage : usages) REQUIRE(state.press(usage));
  return state;
}

}  // namespace

TEST_CASE("an idle keyboard reports all zeros", "[hid]") {
  CHECK(KeyboardState{}.report() == KeyboardReport{});
}

TEST_CASE("keys fill the slots in the order they went down", "[hid]") {
  KeyboardState state;
  CHECK(state.press(kC));
  CHECK(state.press(kA));
  CHECK(state.press(kB));
  CHECK(state.report() == KeyboardReport{0, 0, kC, kA, kB, 0, 0, 0});
  CHECK(state.is_pressed(kA));
  CHECK_FALSE(state.is_pressed(kD));
}

TEST_CASE("each modifier sets its bit and takes no key slot", "[hid]") {
  const std::pair<std::uint8_t, std::uint8_t> modifiers[] = {
      {0xE0, 0x01}, {0xE1, 0x02}, {0xE2, 0x04}, {0xE3, 0x08},
      {0xE4, 0x10}, {0xE5, 0x20}, {0xE6, 0x40}, {0xE7, 0x80},
  };
  KeyboardState all;
  for (const auto& [usage, bit] : modifiers) {
    INFO("usage " << int{usage});
    KeyboardState state;
    CHECK(state.press(usage));
    CHECK(state.is_pressed(usage));
    CHECK(state.report() == KeyboardReport{bit, 0, 0, 0, 0, 0, 0, 0});
    CHECK(state.release(usage));
    CHECK_FALSE(state.is_pressed(usage));
    CHECK(state.report() == KeyboardReport{});
    CHECK(all.press(usage));
  }
  CHECK(all.report() == KeyboardReport{0xFF, 0, 0, 0, 0, 0, 0, 0});
  CHECK(all.press(kA));
  CHECK(all.report() == KeyboardReport{0xFF, 0, kA, 0, 0, 0, 0, 0});
}

TEST_CASE("modifiers do not count towards the six keys", "[hid]") {
  auto state = with_keys({kLeftShift, kA, kB, kC, kD, kE, kF, kRightAlt});
  CHECK(state.report() == KeyboardReport{0x42, 0, kA, kB, kC, kD, kE, kF});
}

TEST_CASE("a seventh key is ignored, also when it is released", "[hid]") {
  auto state = with_keys({kA, kB, kC, kD, kE, kF});
  const KeyboardReport six{0, 0, kA, kB, kC, kD, kE, kF};
  CHECK_FALSE(state.press(kG));
  CHECK_FALSE(state.is_pressed(kG));
  CHECK(state.report() == six);
  CHECK_FALSE(state.release(kG));
  CHECK(state.report() == six);

  SECTION("a key released makes room for a new one") {
    CHECK(state.release(kB));
    CHECK(state.press(kG));
    CHECK(state.report() == KeyboardReport{0, 0, kA, kC, kD, kE, kF, kG});
  }
}

TEST_CASE("a key released from the middle shifts the later keys left", "[hid]") {
  auto state = with_keys({kA, kB, kC, kD});
  CHECK(state.release(kB));
  CHECK(state.report() == KeyboardReport{0, 0, kA, kC, kD, 0, 0, 0});
  CHECK(state.release(kA));
  CHECK(state.report() == KeyboardReport{0, 0, kC, kD, 0, 0, 0, 0});
  CHECK(state.release(kD));
  CHECK(state.report() == KeyboardReport{0, 0, kC, 0, 0, 0, 0, 0});
}

TEST_CASE("auto-repeat and stray releases change nothing", "[hid]") {
  auto state = with_keys({kA, kLeftShift});
  const KeyboardReport held{0x02, 0, kA, 0, 0, 0, 0, 0};
  CHECK_FALSE(state.press(kA));
  CHECK_FALSE(state.press(kLeftShift));
  CHECK(state.report() == held);
  CHECK_FALSE(state.release(kB));
  CHECK_FALSE(state.release(kRightAlt));
  CHECK(state.report() == held);
}

TEST_CASE("usages 0..3 are not keys and are never held", "[hid]") {
  KeyboardState state;
  for (std::uint8_t usage = 0; usage <= 3; ++usage) {
    INFO("usage " << int{usage});
    CHECK_FALSE(state.press(usage));
    CHECK_FALSE(state.release(usage));
  }
  CHECK(state.report() == KeyboardReport{});
}

TEST_CASE("release_all reports a change only when something was down", "[hid]") {
  KeyboardState idle;
  CHECK_FALSE(idle.release_all());

  auto modifier_only = with_keys({kRightAlt});
  CHECK(modifier_only.release_all());
  CHECK(modifier_only.report() == KeyboardReport{});

  auto state = with_keys({kLeftShift, kA, kB});
  CHECK(state.release_all());
  CHECK(state.report() == KeyboardReport{});
  CHECK_FALSE(state.is_pressed(kA));
  CHECK_FALSE(state.is_pressed(kLeftShift));
  CHECK_FALSE(state.release_all());
  CHECK(state.press(kA));
}
