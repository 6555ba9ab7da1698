#include "media/pipeline_reaper.hpp"

#include <gst/gst.h>

namespace kvmrtc::media {

PipelineReaper::PipelineReaper()
    : pool_(g_thread_pool_new(
          [](gpointer data, gpointer) {
            ElementPtr pipeline(static_cast<GstElement*>(data));
            gst_element_set_state(pipeline.get(), GST_STATE_NULL);
          },
          nullptr, 1, FALSE, nullptr)) {}

PipelineReaper::~PipelineReaper() {
  g_thread_pool_free(pool_, FALSE, TRUE);
}

void PipelineReaper::reap(ElementPtr pipeline) {
  if (pipeline) g_thread_pool_push(pool_, pipeline.release(), nullptr);
}

}  // namespace kvmrtc::media
