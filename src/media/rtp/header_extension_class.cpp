#include "media/rtp/header_extension_class.hpp"

namespace kvmrtc::media {
namespace {

GstRTPHeaderExtensionFlags either_header_form(GstRTPHeaderExtension*) {
  return static_cast<GstRTPHeaderExtensionFlags>(GST_RTP_HEADER_EXTENSION_ONE_BYTE |
                                                 GST_RTP_HEADER_EXTENSION_TWO_BYTE);
}

}  // namespace

void set_up_header_extension_class(GstRTPHeaderExtensionClass* ext_class, const char* uri,
                                   const HeaderExtensionFunctions& functions) {
  ext_class->get_supported_flags = either_header_form;
  ext_class->get_max_size = functions.max_size;
  ext_class->write = functions.write;
  ext_class->read = functions.read;
  gst_rtp_header_extension_class_set_uri(ext_class, uri);
}

GstObjectPtr<GstRTPHeaderExtension> own_header_extension(gpointer instance) {
  return GstObjectPtr<GstRTPHeaderExtension>(
      GST_RTP_HEADER_EXTENSION(gst_object_ref_sink(instance)));
}

}  // namespace kvmrtc::media
