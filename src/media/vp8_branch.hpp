// The producer pipeline's VP8 branch: from the raw tee through its own encoder to an appsink,
// for the viewers whose browsers have no H.264 decoder. It is added to the running pipeline
// when the first such viewer comes and taken out when the last one goes, so nobody pays for a
// second encoder while no browser needs it.
#pragma once

#include <gst/gst.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "media/pipeline_reaper.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

class Vp8Branch {
 public:
  // Called on the branch's streaming thread with each encoded frame and the appsink.
  using Deliver = std::function<void(GstSample* sample, GstElement* appsink)>;

  // Builds the branch from `launch` (config::vp8_branch_launch) and links it to the pipeline's
  // raw tee, running or not. Null with `error` set when it cannot.
  static std::unique_ptr<Vp8Branch> attach(GstElement* pipeline, const std::string& launch,
                                           Deliver deliver, std::string& error);
  // Stops delivering. A branch not detached goes down with its pipeline.
  ~Vp8Branch();
  Vp8Branch(const Vp8Branch&) = delete;
  Vp8Branch& operator=(const Vp8Branch&) = delete;

  // Takes the branch out of a pipeline that goes on running: once the tee is between two
  // frames, the branch is unlinked and removed, and `reaper` stops it off the main loop.
  void detach(PipelineReaper& reaper);

  void request_keyframe(guint count);
  void set_bitrate_kbps(int kbps);
  // vp8enc applies a new interval as it runs.
  void set_keyframe_interval(int frames);

  // What the appsink callback holds: delivery ends when the branch does, even while the
  // reaper still runs the appsink.
  struct Tap {
    std::mutex mutex;
    Deliver deliver;
  };

 private:
  Vp8Branch() = default;

  ElementPtr pipeline_;
  ElementPtr tee_;
  ElementPtr bin_;
  PadPtr tee_pad_;
  std::shared_ptr<Tap> tap_;
};

}  // namespace kvmrtc::media
