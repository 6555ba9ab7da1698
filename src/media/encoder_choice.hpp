// Which H.264 encoder to run and with which low-latency settings (pure: the caller says which
// elements exist).
#pragma once

#include <optional>
#include <set>
#include <string>

#include "config/config.hpp"

namespace kvmrtc::media {

struct EncoderChoice {
  std::string element;   // factory name, empty when nothing fits
  std::string fragment;  // gst-launch fragment: encoder ! caps
  std::string reason;    // why this one, for the log
};

// `requested` is `[video] encoder=`: auto, a short name, or a gst-launch fragment.
EncoderChoice choose_encoder(const config::VideoSettings& video,
                             const std::set<std::string>& available_elements);

// How congestion control changes a running encoder's bitrate: which property, and how many
// bit/s one unit of it is. v4l2h264enc has none: its bitrate is a V4L2 control set at start.
struct BitrateProperty {
  std::string name;
  int bits_per_unit;
};
std::optional<BitrateProperty> bitrate_property(const std::string& element);

// Whether the encoder runs with no periodic keyframes of its own, the producer asking for them
// (a new interval then needs no rebuild). The others are built with the interval.
bool keyframes_from_producer(const std::string& element);

// Factory names, in the order `auto` prefers them: hardware first, then software.
const std::vector<std::string>& encoder_preference();

}  // namespace kvmrtc::media
