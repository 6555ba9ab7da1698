// Takes pipelines down to NULL on a worker thread. A webrtcbin or a capture device can take a
// while to stop (network threads, driver), and the main loop must not wait for it.
#pragma once

#include <glib.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

class PipelineReaper {
 public:
  PipelineReaper();
  // Waits for every pipeline handed over so far to reach NULL.
  ~PipelineReaper();
  PipelineReaper(const PipelineReaper&) = delete;
  PipelineReaper& operator=(const PipelineReaper&) = delete;

  void reap(ElementPtr pipeline);

 private:
  GThreadPool* pool_;
};

}  // namespace kvmrtc::media
