#include "media/dtls_certificate.hpp"

#include <gst/gst.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

void generate_dtls_certificate() {
  GstElement* decoder = gst_element_factory_make("dtlsdec", nullptr);
  if (decoder == nullptr) return;  // webrtcbin will say what is missing when it is used
  // dtlsdec keeps the agent holding the generated certificate for the life of the process.
  ElementPtr owned(GST_ELEMENT(gst_object_ref_sink(decoder)));
}

}  // namespace kvmrtc::media
