// Builds the producer's gst-launch line from its parts (pure).
#pragma once

#include <string>

#include "config/config.hpp"

namespace kvmrtc::config {

// The appsink that hands encoded access units to the viewers.
inline constexpr const char* kProducerSinkName = "kvmrtc_sink";
// The element right after the source, where capture timing is observed.
inline constexpr const char* kProducerSourceQueueName = "kvmrtc_capture";
// With [video] latency-stamp: the element before the encoder, where the stamp is painted.
inline constexpr const char* kProducerStampName = "kvmrtc_stamp";

// Replaces {device}, {width}, {height} and {framerate} with the configured values.
std::string substitute_placeholders(const std::string& fragment, const VideoSettings& video);

// source → scale/convert to the configured size and rate → (stamp) → encoder.
std::string encoded_video_launch(const VideoSettings& video, const std::string& source_fragment,
                                 const std::string& encoder_fragment);

// encoded_video_launch → parse → the appsink that feeds the viewers.
std::string producer_launch(const VideoSettings& video, const std::string& source_fragment,
                            const std::string& encoder_fragment);

}  // namespace kvmrtc::config
