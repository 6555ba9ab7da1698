// Brings a pipeline back to NULL however the test ends, so a failed REQUIRE does not leave it
// playing while its last reference goes.
#pragma once

#include <gst/gst.h>

struct StopOnExit {
  GstElement* pipeline;
  ~StopOnExit() { gst_element_set_state(pipeline, GST_STATE_NULL); }
};
