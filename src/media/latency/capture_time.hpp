// The wall-clock time each raw frame left the source travels with it as a reference-timestamp
// meta, through convert, scale, the encoder and the payloader, to every stage that reports
// latency: the producer's capture→encoded figure, the latency stamp, and the RTP
// abs-capture-time header extension the page's live latency meter reads.
#pragma once

#include <gst/gst.h>

#include <optional>

namespace kvmrtc::media {

// Notes the capture time on every buffer entering the sink pad of the element named
// `element_name` in `pipeline`; a pipeline without it is left alone.
void note_capture_times(GstElement* pipeline, const char* element_name);

// Notes `unix_us` (µs since the Unix epoch) as the capture time of `buffer`, which must be
// writable.
void attach_capture_time(GstBuffer* buffer, gint64 unix_us);

// The capture time (µs since the Unix epoch) a frame carries, if the elements it went through
// kept it.
std::optional<gint64> capture_time_us(GstBuffer* buffer);

}  // namespace kvmrtc::media
