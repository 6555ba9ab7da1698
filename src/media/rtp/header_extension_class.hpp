// What the RTP header extensions here share: either header form, a class set up from its four
// functions and URI, and ownership of a new instance.
#pragma once

#include <gst/rtp/rtp.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

struct HeaderExtensionFunctions {
  decltype(GstRTPHeaderExtensionClass::get_max_size) max_size;
  decltype(GstRTPHeaderExtensionClass::write) write;
  decltype(GstRTPHeaderExtensionClass::read) read;
};

// Fills in the class of an extension whose payload is the same under one- and two-byte headers.
void set_up_header_extension_class(GstRTPHeaderExtensionClass* ext_class, const char* uri,
                                   const HeaderExtensionFunctions& functions);

// Takes ownership of a new (floating) extension instance.
GstObjectPtr<GstRTPHeaderExtension> own_header_extension(gpointer instance);

}  // namespace kvmrtc::media
