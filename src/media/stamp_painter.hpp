// Paints the latency stamp (latency_stamp.hpp) into raw I420 frames of a running producer.
#pragma once

#include <gst/gst.h>

#include <optional>

namespace kvmrtc::media {

// Adds the probes to `pipeline`: the capture time is taken where frames leave the source (the
// sink pad of the element named `capture_element`) and painted where they enter the encoder
// (the src pad of `paint_element`). A pipeline without `paint_element` is left alone.
void install_stamp_painter(GstElement* pipeline, const char* capture_element,
                           const char* paint_element);

// The wall-clock capture time (µs since the epoch) a stamped frame carries, if the elements it
// went through kept it; the encoders do, so the producer can time capture → encoded.
std::optional<gint64> capture_time_us(GstBuffer* buffer);

}  // namespace kvmrtc::media
