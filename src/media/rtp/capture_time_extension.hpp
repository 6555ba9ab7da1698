// Chromium reports the time the sender captured each frame (`captureTime` in
// requestVideoFrameCallback's metadata) when its packets carry the abs-capture-time RTP header
// extension; the page's live latency meter measures capture→display from it.
#pragma once

#include <gst/rtp/rtp.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

inline constexpr const char* kCaptureTimeUri =
    "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

// NTP counts from 1900-01-01: 70 years, 17 of them leap years, before the Unix epoch.
inline constexpr guint64 kNtpToUnixEpochUs = 2'208'988'800'000'000;

// The 64-bit NTP time (UQ32.32 seconds since 1900) of `unix_us`, rounded to the nearest 2^-32 s,
// as abs-capture-time carries it.
constexpr guint64 unix_us_to_ntp(gint64 unix_us) {
  constexpr guint64 kUsPerSecond = 1'000'000;
  const guint64 ntp_us = static_cast<guint64>(unix_us) + kNtpToUnixEpochUs;
  const guint64 fraction = (((ntp_us % kUsPerSecond) << 32) + kUsPerSecond / 2) / kUsPerSecond;
  return (ntp_us / kUsPerSecond) << 32 | fraction;
}

// The inverse of unix_us_to_ntp, rounded to the nearest µs.
constexpr gint64 ntp_to_unix_us(guint64 ntp) {
  constexpr guint64 kUsPerSecond = 1'000'000;
  guint64 seconds = ntp >> 32;
  // The seconds wrap in February 2036; as RFC 4330 §3 suggests, a clear top bit means after the
  // wrap rather than before 1968.
  if (seconds < guint64{1} << 31) seconds += guint64{1} << 32;
  const guint64 fraction_us = ((ntp & 0xFFFFFFFF) * kUsPerSecond + (guint64{1} << 31)) >> 32;
  return static_cast<gint64>(seconds * kUsPerSecond + fraction_us - kNtpToUnixEpochUs);
}

// An extension that puts each frame's capture time (media/latency/capture_time.hpp) on its packets;
// packets of a frame without one go without. Reading it back attaches the capture time to the
// depayloaded buffer.
GstObjectPtr<GstRTPHeaderExtension> make_capture_time_extension();

}  // namespace kvmrtc::media
