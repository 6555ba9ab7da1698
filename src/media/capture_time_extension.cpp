#include "media/capture_time_extension.hpp"

#include "media/capture_time.hpp"
#include "media/header_extension_class.hpp"

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
  GST_WRITE_UINT64_BE(data, unix_us_to_ntp(*captured));
  return kPayloadSize;
}

gboolean read_capture_time(GstRTPHeaderExtension*, GstRTPHeaderExtensionFlags, const guint8* data,
                           gsize size, GstBuffer* buffer) {
  if (size != kPayloadSize && size != kPayloadWithClockOffsetSize) return FALSE;
  attach_capture_time(buffer, ntp_to_unix_us(GST_READ_UINT64_BE(data)));
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
