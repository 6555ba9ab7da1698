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

// The tee after the raw video, where a second encoder branch (VP8) taps it.
inline constexpr const char* kProducerRawTeeName = "kvmrtc_raw";
// Between the tee and the H.264 encoder: closed while every viewer gets VP8, so the H.264
// encoder does no work for nobody.
inline constexpr const char* kProducerH264ValveName = "kvmrtc_h264_valve";
// The VP8 branch's elements.
inline constexpr const char* kVp8QueueName = "kvmrtc_vp8_queue";
inline constexpr const char* kVp8EncoderName = "kvmrtc_vp8_encoder";
inline constexpr const char* kVp8SinkName = "kvmrtc_vp8_sink";

// Replaces {device}, {width}, {height} and {framerate} with the configured values.
std::string substitute_placeholders(const std::string& fragment, const VideoSettings& video);

// source → scale/convert to the configured size and rate → (stamp): raw video.
std::string raw_video_launch(const VideoSettings& video, const std::string& source_fragment);

// raw_video_launch → encoder.
std::string encoded_video_launch(const VideoSettings& video, const std::string& source_fragment,
                                 const std::string& encoder_fragment);

// raw_video_launch → the raw tee → encoder → parse → the appsink that feeds the viewers.
std::string producer_launch(const VideoSettings& video, const std::string& source_fragment,
                            const std::string& encoder_fragment);

// The VP8 branch, from the raw tee to its own appsink (a bin description).
std::string vp8_branch_launch(const VideoSettings& video);

}  // namespace kvmrtc::config
