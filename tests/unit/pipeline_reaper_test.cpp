#include "media/pipeline_reaper.hpp"

#include <gst/gst.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

using kvmrtc::ElementPtr;
using kvmrtc::media::PipelineReaper;
using namespace std::chrono_literals;

namespace {

// A pipeline whose streaming thread stops inside a pad probe until released: setting it to NULL
// then waits for the stream lock that thread holds, as a deadlocked webrtcbin does.
class StuckPipeline {
 public:
  StuckPipeline() {
    pipeline_ = ElementPtr(gst_parse_launch("fakesrc ! identity name=stuck ! fakesink", nullptr));
    ElementPtr identity(gst_bin_get_by_name(GST_BIN(pipeline_.get()), "stuck"));
    kvmrtc::PadPtr pad(gst_element_get_static_pad(identity.get(), "src"));
    gst_pad_add_probe(
        pad.get(), GST_PAD_PROBE_TYPE_BUFFER,
        [](GstPad*, GstPadProbeInfo*, gpointer data) {
          static_cast<StuckPipeline*>(data)->hold();
          return GST_PAD_PROBE_OK;
        },
        this, nullptr);
    gst_element_set_state(pipeline_.get(), GST_STATE_PLAYING);
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return holding_; });
  }

  ElementPtr take() { return ElementPtr(GST_ELEMENT(gst_object_ref(pipeline_.get()))); }

  // Lets the streaming thread go, then waits for whoever is setting NULL (it takes the state
  // lock that that call holds until it is done).
  void release_and_wait_for_null() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
    gst_element_set_state(pipeline_.get(), GST_STATE_NULL);
  }

 private:
  void hold() {
    std::unique_lock<std::mutex> lock(mutex_);
    holding_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
  }

  ElementPtr pipeline_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool holding_ = false;
  bool released_ = false;
};

ElementPtr playing_pipeline() {
  ElementPtr pipeline(gst_parse_launch("fakesrc ! fakesink", nullptr));
  gst_element_set_state(pipeline.get(), GST_STATE_PLAYING);
  return pipeline;
}

}  // namespace

TEST_CASE("a pipeline that hangs on its way to NULL holds up no other", "[reaper]") {
  StuckPipeline stuck;
  PipelineReaper reaper(5000ms);
  reaper.reap(stuck.take());
  ElementPtr other = playing_pipeline();
  const ElementPtr watched(GST_ELEMENT(gst_object_ref(other.get())));
  reaper.reap(std::move(other));
  // Only the stuck one is left on its way down.
  CHECK(reaper.wait_until_pending_at_most(1, 5000ms));
  CHECK(GST_STATE(watched.get()) == GST_STATE_NULL);
  CHECK_FALSE(reaper.wait_until_pending_at_most(0, 200ms));
  stuck.release_and_wait_for_null();
  CHECK(reaper.wait_until_pending_at_most(0, 5000ms));
}

TEST_CASE("at exit the reaper waits for a hung pipeline no longer than its patience", "[reaper]") {
  StuckPipeline stuck;
  const auto start = std::chrono::steady_clock::now();
  {
    PipelineReaper reaper(300ms);
    reaper.reap(stuck.take());
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= 300ms);
  CHECK(waited < 2000ms);
  stuck.release_and_wait_for_null();
}
