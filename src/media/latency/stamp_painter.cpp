#include "media/latency/stamp_painter.hpp"

#include <gst/video/video.h>

#include <algorithm>

#include "media/latency/capture_time.hpp"
#include "media/latency/latency_stamp.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::media {
namespace {

constexpr std::uint8_t kBlack = 16;
constexpr std::uint8_t kWhite = 235;

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
  const auto captured_us = capture_time_us(buffer);
  if (!captured_us) return GST_PAD_PROBE_OK;
  CapsPtr caps(gst_pad_get_current_caps(pad));
  GstVideoInfo video_info;
  if (!caps || !gst_video_info_from_caps(&video_info, caps.get()) ||
      GST_VIDEO_INFO_FORMAT(&video_info) != GST_VIDEO_FORMAT_I420) {
    return GST_PAD_PROBE_OK;
  }
  const auto milliseconds = static_cast<std::uint64_t>(*captured_us / 1000);
  buffer = gst_buffer_make_writable(buffer);
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  paint(buffer, video_info, milliseconds);
  return GST_PAD_PROBE_OK;
}

}  // namespace

void install_stamp_painter(GstElement* pipeline, const char* paint_element) {
  ElementPtr painter(gst_bin_get_by_name(GST_BIN(pipeline), paint_element));
  if (!painter) return;
  PadPtr pad(gst_element_get_static_pad(painter.get(), "src"));
  gst_pad_add_probe(pad.get(), GST_PAD_PROBE_TYPE_BUFFER, paint_capture_time, nullptr, nullptr);
}

}  // namespace kvmrtc::media
