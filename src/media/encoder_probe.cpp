#include "media/encoder_probe.hpp"

#include <gst/gst.h>

#include "media/encoder_choice.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

std::set<std::string> installed_encoders() {
  std::set<std::string> found;
  for (const auto& name : encoder_preference()) {
    GstObjectPtr<GstElementFactory> factory(gst_element_factory_find(name.c_str()));
    if (factory) found.insert(name);
  }
  return found;
}

}  // namespace kvmrtc::media
