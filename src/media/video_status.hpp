#pragma once

#include <cstdint>
#include <string>

#include "util/stage_timing.hpp"

namespace kvmrtc::media {

// What the producer is doing, as shown to users (status bar, /api/status).
struct VideoStatus {
  std::string state = "stopped";  // stopped, starting, reconfiguring, live, no-signal
  int width = 0;
  int height = 0;
  int framerate = 0;
  std::string encoder;
  std::string message;       // why there is no signal, for the user
  std::uint64_t frames = 0;  // H.264 access units encoded (none while every viewer gets VP8)
  std::uint64_t captured_frames = 0;
  std::uint64_t restarts = 0;
  int bitrate_kbps = 0;            // the encoder's target, as congestion control last set it
  int receiver_estimate_kbps = 0;  // the slowest viewer's latest REMB; 0 before any
  // Averaged over recent frames: capture → encoded access unit, and capture → the frame's last
  // RTP packet leaving a viewer pipeline for the network.
  double capture_to_encoded_ms = 0;
  double capture_to_sent_ms = 0;
  // The same stages as histograms since the start, and the time spent with no signal (/metrics).
  StageTiming::Snapshot capture_to_encoded;
  StageTiming::Snapshot capture_to_sent;
  double no_signal_s = 0;
};

}  // namespace kvmrtc::media
