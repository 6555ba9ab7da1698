// Paints the latency stamp (latency_stamp.hpp) into raw I420 frames of a running producer.
#pragma once

#include <gst/gst.h>

namespace kvmrtc::media {

// Adds the probes to `pipeline`: the capture time is taken where frames leave the source (the
// sink pad of the element named `capture_element`) and painted where they enter the encoder
// (the src pad of `paint_element`). A pipeline without `paint_element` is left alone.
void install_stamp_painter(GstElement* pipeline, const char* capture_element,
                           const char* paint_element);

}  // namespace kvmrtc::media
