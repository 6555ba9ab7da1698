#include "media/rtp/send_time_extension.hpp"

#include "media/rtp/header_extension_class.hpp"

namespace kvmrtc::media {
namespace {

constexpr gsize kPayloadSize = 3;

struct KvmrtcSendTimeExtension {
  GstRTPHeaderExtension parent;
};

struct KvmrtcSendTimeExtensionClass {
  GstRTPHeaderExtensionClass parent_class;
};

G_DEFINE_FINAL_TYPE(KvmrtcSendTimeExtension, kvmrtc_send_time_extension,
                    GST_TYPE_RTP_HEADER_EXTENSION)

gsize max_size(GstRTPHeaderExtension*, const GstBuffer*) {
  return kPayloadSize;
}

gssize write_send_time(GstRTPHeaderExtension*, const GstBuffer*, GstRTPHeaderExtensionFlags,
                       GstBuffer*, guint8* data, gsize size) {
  g_return_val_if_fail(size >= kPayloadSize, -1);
  GST_WRITE_UINT24_BE(data, abs_send_time(g_get_monotonic_time()));
  return kPayloadSize;
}

// A receiver here has no use for the sender's clock; the packet is only checked for the size.
gboolean read_send_time(GstRTPHeaderExtension*, GstRTPHeaderExtensionFlags, const guint8*,
                        gsize size, GstBuffer*) {
  return size == kPayloadSize;
}

void kvmrtc_send_time_extension_class_init(KvmrtcSendTimeExtensionClass* klass) {
  set_up_header_extension_class(GST_RTP_HEADER_EXTENSION_CLASS(klass), kSendTimeUri,
                                {max_size, write_send_time, read_send_time});
}

void kvmrtc_send_time_extension_init(KvmrtcSendTimeExtension*) {}

}  // namespace

GstObjectPtr<GstRTPHeaderExtension> make_send_time_extension() {
  return own_header_extension(g_object_new(kvmrtc_send_time_extension_get_type(), nullptr));
}

}  // namespace kvmrtc::media
