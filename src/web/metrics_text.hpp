// GET /metrics: the daemon's figures in the Prometheus text format (version 0.0.4), for a
// scraper. Pure: it formats a snapshot the caller takes on the main loop.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hid/input_hub.hpp"
#include "media/frame_fanout.hpp"
#include "media/video_status.hpp"
#include "web/access_control.hpp"

namespace kvmrtc::web {

struct MetricsSnapshot {
  media::VideoStatus video;
  std::size_t viewers = 0;
  std::vector<media::FrameFanout::SinkCounts> viewer_frames;  // every connected viewer's
  std::vector<hid::InputHub::DeviceCounts> hid;
  AccessControl::LoginCounts logins;
};

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string metrics_text(const MetricsSnapshot& snapshot);

}  // namespace kvmrtc::web
