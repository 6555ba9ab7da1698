#include "media/stamp_painter.hpp"

#include <gst/video/video.h>

#include <algorithm>

#include "media/latency_stamp.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::media {
namespace {

// Travels with the frame from the source to the encoder through convert, scale and rate.
GstCaps* capture_time_caps() {
  static GstCaps* caps = gst_caps_new_empty_simple("timestamp/x-kvmrtc-capture");
  return caps;
}

constexpr std::uint8_t kBlack = 16;
constexpr std::uint8_t kWhite = 235;

GstPadProbeReturn note_capture_time(GstPad*, GstPadProbeInfo* info, gpointer) {
  GstBuffer* buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  gst_buffer_add_reference_timestamp_meta(
      buffer, capture_time_caps(), static_cast<GstClockTime>(g_get_real_time()) * GST_USECOND,
      GST_CLOCK_TIME_NONE);
  return GST_PAD_PROBE_OK;
}

void paint(GstBuffer* buffer, const GstVideoInfo& info, std::uint64_t milliseconds) {
  GstVideoFrame frame;
  if (!gst_video_frame_map(&frame, &info, buffer, GST_MAP_WRITE)) return;
  auto* luma = static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0));
  const int stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0);
  const int width = std::min(GST_VIDEO_FRAME_WIDTH(&frame), kStampBits * kStampBlockPixels);
  const int height = std::min(GST_VIDEO_FRAME_HEIGHT(&frame), kStampBlockPixels);
  const StampBits bits = encode_stamp(milliseconds);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      luma[y * stride + x] = bits[x / kStampBlockPixels] ? kWhite : kBlack;
    }
  }
  // Neutral chroma under the stamp, so colour does not bleed into the blocks' luma.
  for (int plane = 1; plane <= 2; ++plane) {
    auto* chroma = static_cast<std::uint8_t*>(GST_VIDEO_FRAME_PLANE_DATA(&frame, plane));
    const int chroma_stride = GST_VIDEO_FRAME_PLANE_STRIDE(&frame, plane);
    for (int y = 0; y < height / 2; ++y) std::fill_n(chroma + y * chroma_stride, width / 2, 128);
  }
  gst_video_frame_unmap(&frame);
}

GstPadProbeReturn paint_capture_time(GstPad* pad, GstPadProbeInfo* info, gpointer) {
  GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info);
  GstReferenceTimestampMeta* meta =
      gst_buffer_get_reference_timestamp_meta(buffer, capture_time_caps());
  if (meta == nullptr) return GST_PAD_PROBE_OK;
  CapsPtr caps(gst_pad_get_current_caps(pad));
  GstVideoInfo video_info;
  if (!caps || !gst_video_info_from_caps(&video_info, caps.get()) ||
      GST_VIDEO_INFO_FORMAT(&video_info) != GST_VIDEO_FORMAT_I420) {
    return GST_PAD_PROBE_OK;
  }
  const std::uint64_t milliseconds = meta->timestamp / GST_MSECOND;
  buffer = gst_buffer_make_writable(buffer);
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  paint(buffer, video_info, milliseconds);
  return GST_PAD_PROBE_OK;
}

void add_buffer_probe(GstElement* pipeline, const char* name, const char* pad_name,
                      GstPadProbeCallback callback) {
  ElementPtr element(gst_bin_get_by_name(GST_BIN(pipeline), name));
  if (!element) return;
  PadPtr pad(gst_element_get_static_pad(element.get(), pad_name));
  gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, callback, nullptr, nullptr);
}

}  // namespace

std::optional<gint64> capture_time_us(GstBuffer* buffer) {
  GstReferenceTimestampMeta* meta =
      gst_buffer_get_reference_timestamp_meta(buffer, capture_time_caps());
  if (meta == nullptr) return std::nullopt;
  return static_cast<gint64>(meta->timestamp / GST_USECOND);
}

void install_stamp_painter(GstElement* pipeline, const char* capture_element,
                           const char* paint_element) {
  // Without the paint element the config did not ask for stamps: frames stay untouched.
  ElementPtr painter(gst_bin_get_by_name(GST_BIN(pipeline), paint_element));
  if (!painter) return;
  add_buffer_probe(pipeline, capture_element, "sink", note_capture_time);
  add_buffer_probe(pipeline, paint_element, "src", paint_capture_time);
}

}  // namespace kvmrtc::media
