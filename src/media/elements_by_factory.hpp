// Calls `action` on every element in `bin` and its sub-bins that `factory` made: how the daemon
// reaches elements it did not create itself (the encoder inside a launch line, webrtcbin's own).
#pragma once

#include <gst/gst.h>

#include <string_view>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

template <typename Action>
void for_each_element_made_by(GstBin* bin, std::string_view factory, Action&& action) {
  IteratorPtr elements(gst_bin_iterate_recurse(bin));
  g_auto(GValue) item = G_VALUE_INIT;
  while (gst_iterator_next(elements.get(), &item) == GST_ITERATOR_OK) {
    auto* element = GST_ELEMENT(g_value_get_object(&item));
    GstElementFactory* made_by = gst_element_get_factory(element);
    if (made_by != nullptr && factory == GST_OBJECT_NAME(made_by)) action(element);
    g_value_reset(&item);
  }
}

}  // namespace kvmrtc::media
