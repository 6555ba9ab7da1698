#include "media/latency/capture_time.hpp"

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {
namespace {

GstCaps* capture_time_caps() {
  static GstCaps* caps = gst_caps_new_empty_simple("timestamp/x-kvmrtc-capture");
  return caps;
}

GstPadProbeReturn note_capture_time(GstPad*, GstPadProbeInfo* info, gpointer) {
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  attach_capture_time(buffer, g_get_real_time());
  return GST_PAD_PROBE_OK;
}

}  // namespace

void note_capture_times(GstElement* pipeline, const char* element_name) {
  ElementPtr element(gst_bin_get_by_name(GST_BIN(pipeline), element_name));
  if (!element) return;
  PadPtr pad(gst_element_get_static_pad(element.get(), "sink"));
  gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, note_capture_time, nullptr, nullptr);
}

void attach_capture_time(GstBuffer* buffer, gint64 unix_us) {
  gst_buffer_add_reference_timestamp_meta(buffer, capture_time_caps(),
                                          static_cast<GstClockTime>(unix_us) * GST_USECOND,
                                          GST_CLOCK_TIME_NONE);
}

std::optional<gint64> capture_time_us(GstBuffer* buffer) {
  GstReferenceTimestampMeta* meta =
      gst_buffer_get_reference_timestamp_meta(buffer, capture_time_caps());
  if (meta == nullptr) return std::nullopt;
  return static_cast<gint64>(meta->timestamp / GST_USECOND);
}

}  // namespace kvmrtc::media
