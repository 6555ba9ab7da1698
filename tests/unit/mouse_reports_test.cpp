#include "hid/mouse_reports.hpp"

#include <catch2/catch.hpp>
#include <limits>

using kvmrtc::hid::absolute_report;
using kvmrtc::hid::AbsoluteMouseReport;
using kvmrtc::hid::clamp_delta;
using kvmrtc::hid::mask_buttons;
using kvmrtc::hid::relative_report;
using kvmrtc::hid::RelativeMouseReport;
using kvmrtc::hid::scale_absolute;

TEST_CASE("scale_absolute maps 0..1 onto 0..32767, rounding half away from zero", "[hid]") {
  CHECK(scale_absolute(0.0) == 0);
  CHECK(scale_absolute(1.0) == 32767);
  CHECK(scale_absolute(0.5) == 16384);  // 16383.5
  CHECK(scale_absolute(0.25) == 8192);  // 8191.75
  CHECK(scale_absolute(1.0 / 32767) == 1);
  CHECK(scale_absolute(0.4 / 32767) == 0);
  CHECK(scale_absolute(0.6 / 32767) == 1);
  CHECK(scale_absolute(32766.4 / 32767) == 32766);
}

TEST_CASE("scale_absolute clamps positions outside the picture and maps NaN to 0", "[hid]") {
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  CHECK(scale_absolute(-1.0) == 0);
  CHECK(scale_absolute(-0.0) == 0);
  CHECK(scale_absolute(2.0) == 32767);
  CHECK(scale_absolute(1.0000001) == 32767);
  CHECK(scale_absolute(kInfinity) == 32767);
  CHECK(scale_absolute(-kInfinity) == 0);
  CHECK(scale_absolute(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(scale_absolute(-std::numeric_limits<double>::quiet_NaN()) == 0);
}

TEST_CASE("clamp_delta keeps −127..127", "[hid]") {
  CHECK(clamp_delta(0) == 0);
  CHECK(clamp_delta(5) == 5);
  CHECK(clamp_delta(-5) == -5);
  CHECK(clamp_delta(127) == 127);
  CHECK(clamp_delta(-127) == -127);
  CHECK(clamp_delta(128) == 127);
  CHECK(clamp_delta(-128) == -127);
  CHECK(clamp_delta(1000) == 127);
  CHECK(clamp_delta(std::numeric_limits<long>::max()) == 127);
  CHECK(clamp_delta(std::numeric_limits<long>::min()) == -127);
}

TEST_CASE("mask_buttons keeps the five known buttons", "[hid]") {
  CHECK(mask_buttons(0) == 0);
  CHECK(mask_buttons(0x01) == 0x01);
  CHECK(mask_buttons(0x1F) == 0x1F);
  CHECK(mask_buttons(0x20) == 0);
  CHECK(mask_buttons(0xFF) == 0x1F);
  CHECK(mask_buttons(0x125) == 0x05);
  CHECK(mask_buttons(std::numeric_limits<long>::max()) == 0x1F);
  CHECK(mask_buttons(-1) == 0);
  CHECK(mask_buttons(std::numeric_limits<long>::min()) == 0);
}

TEST_CASE("absolute reports put X and Y little-endian between buttons and wheel", "[hid]") {
  CHECK(absolute_report(0x05, 0x1234, 0x7FFF, -1, 3) ==
        AbsoluteMouseReport{0x05, 0x34, 0x12, 0xFF, 0x7F, 0xFF, 0x03});
  CHECK(absolute_report(0, 0, 0, 0, 0) == AbsoluteMouseReport{});
  CHECK(absolute_report(0x1F, 16384, 1, 127, -127) ==
        AbsoluteMouseReport{0x1F, 0x00, 0x40, 0x01, 0x00, 0x7F, 0x81});
}

TEST_CASE("relative reports are buttons, dx, dy, wheel as two's complement bytes", "[hid]") {
  CHECK(relative_report(0x03, -1, 127, -127) == RelativeMouseReport{0x03, 0xFF, 0x7F, 0x81});
  CHECK(relative_report(0, 0, 0, 0) == RelativeMouseReport{});
  CHECK(relative_report(0x10, 5, -5, 1) == RelativeMouseReport{0x10, 0x05, 0xFB, 0x01});
}
