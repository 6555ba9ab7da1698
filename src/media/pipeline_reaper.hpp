// Takes pipelines down to NULL off the main loop, each on a thread of its own. A webrtcbin or a
// capture device can take a while to stop (network threads, a driver), and one can hang for good
// (webrtcbin 1.22 deadlocks when a sink pad goes away before negotiation): such a pipeline holds
// up nothing else. One not down within `patience` is logged and abandoned; at exit the daemon
// waits at most `patience` for the rest.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

class PipelineReaper {
 public:
  explicit PipelineReaper(std::chrono::milliseconds patience = std::chrono::seconds(3));
  ~PipelineReaper();
  PipelineReaper(const PipelineReaper&) = delete;
  PipelineReaper& operator=(const PipelineReaper&) = delete;

  // From any thread.
  void reap(ElementPtr pipeline);
  // Whether at most `count` pipelines handed over are still on their way to NULL, waiting up to
  // `timeout` for that.
  bool wait_until_pending_at_most(std::size_t count, std::chrono::milliseconds timeout);

 private:
  struct Shared;
  struct Overdue;
  std::shared_ptr<Shared> shared_;
  std::chrono::milliseconds patience_;
};

}  // namespace kvmrtc::media
