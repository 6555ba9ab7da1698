#include "media/rtp/capture_time_extension.hpp"

#include "media/latency/capture_time.hpp"
#include "media/rtp/header_extension_class.hpp"

namespace kvmrtc::media {
namespace {

constexpr gsize kPayloadSize = 8;
// A sender relaying another's frames may append its estimate of the offset between its clock and
// the capturer's as 8 more bytes.
constexpr gsize kPayloadWithClockOffsetSize = 16;

struct KvmrtcCaptureTimeExtension {
  GstRTPHeaderExtension parent;
};

struct KvmrtcCaptureTimeExtensionClass {
  GstRTPHeaderExtensionClass parent_class;
};

G_DEFINE_FINAL_TYPE(KvmrtcCaptureTimeExtension, kvmrtc_capture_time_extension,
                    GST_TYPE_RTP_HEADER_EXTENSION)

// Byte by byte: the extension's bytes sit wherever the RTP header ends, seldom 8-aligned, and
// GStreamer's GST_WRITE_UINT64_BE stores a whole guint64 there (undefined behaviour, and a
// fault on some ARM cores).
void write_u64_be(guint8* data, guint64 value) {
  for (int at = 7; at >= 0; --at, value >>= 8) data[at] = static_cast<guint8>(value & 0xff);
}

guint64 read_u64_be(const guint8* data) {
  guint64 value = 0;
  for (int at = 0; at < 8; ++at) value = value << 8 | data[at];
  return value;
}

gsize max_size(GstRTPHeaderExtension*, const GstBuffer*) {
  return kPayloadSize;
}

// The payload is the same under either header form; the payloader writes the header itself.
gssize write_capture_time(GstRTPHeaderExtension*, const GstBuffer* input_meta,
                          GstRTPHeaderExtensionFlags, GstBuffer*, guint8* data, gsize size) {
  g_return_val_if_fail(size >= kPayloadSize, -1);
  // Looking a meta up does not change the buffer; GStreamer's lookup just takes no const.
  const auto captured = capture_time_us(const_cast<GstBuffer*>(input_meta));
  // The payloader leaves out an extension that writes nothing; a negative size would be an error.
  if (!captured) return 0;
  write_u64_be(data, unix_us_to_ntp(*captured));
  return kPayloadSize;
}

gboolean read_capture_time(GstRTPHeaderExtension*, GstRTPHeaderExtensionFlags, const guint8* data,
                           gsize size, GstBuffer* buffer) {
  if (size != kPayloadSize && size != kPayloadWithClockOffsetSize) return FALSE;
  attach_capture_time(buffer, ntp_to_unix_us(read_u64_be(data)));
  return TRUE;
}

void kvmrtc_capture_time_extension_class_init(KvmrtcCaptureTimeExtensionClass* klass) {
  set_up_header_extension_class(GST_RTP_HEADER_EXTENSION_CLASS(klass), kCaptureTimeUri,
                                {max_size, write_capture_time, read_capture_time});
}

void kvmrtc_capture_time_extension_init(KvmrtcCaptureTimeExtension*) {}

}  // namespace

GstObjectPtr<GstRTPHeaderExtension> make_capture_time_extension() {
  return own_header_extension(g_object_new(kvmrtc_capture_time_extension_get_type(), nullptr));
}

}  // namespace kvmrtc::media
