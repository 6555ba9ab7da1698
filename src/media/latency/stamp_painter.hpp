// Paints the latency stamp (latency_stamp.hpp) into raw I420 frames of a running producer.
#pragma once

#include <gst/gst.h>

namespace kvmrtc::media {

// Paints the capture time (capture_time.hpp) of each frame leaving the element named
// `paint_element`, the last before the encoder. A pipeline without it is left alone: only the
// benchmark's config asks for stamps.
void install_stamp_painter(GstElement* pipeline, const char* paint_element);

}  // namespace kvmrtc::media
