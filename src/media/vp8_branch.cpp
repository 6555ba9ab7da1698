#include "media/vp8_branch.hpp"

#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "config/launch.hpp"

GST_DEBUG_CATEGORY_STATIC(vp8_branch_debug);
#define GST_CAT_DEFAULT vp8_branch_debug

namespace kvmrtc::media {
namespace {

using TapPtr = std::shared_ptr<Vp8Branch::Tap>;

ElementPtr child(GstElement* bin, const char* name) {
  return ElementPtr(gst_bin_get_by_name(GST_BIN(bin), name));
}

// What the idle probe needs once the tee lets go of the branch.
struct Removal {
  ElementPtr pipeline;
  ElementPtr tee;
  ElementPtr bin;
  PadPtr tee_pad;
  PipelineReaper* reaper;
};

}  // namespace

std::unique_ptr<Vp8Branch> Vp8Branch::attach(GstElement* pipeline, const std::string& launch,
                                             Deliver deliver, std::string& error) {
  GST_DEBUG_CATEGORY_INIT(vp8_branch_debug, "kvmrtc-vp8", 0, "kvmrtc VP8 encoder branch");
  std::unique_ptr<Vp8Branch> branch(new Vp8Branch());
  branch->tee_ = child(pipeline, config::kProducerRawTeeName);
  if (!branch->tee_) {
    error = "the video pipeline has no raw tee for a VP8 branch";
    return nullptr;
  }
  GError* raw_error = nullptr;
  branch->bin_ = ElementPtr(gst_parse_bin_from_description(launch.c_str(), TRUE, &raw_error));
  ErrorPtr parse_error(raw_error);
  if (!branch->bin_ || parse_error) {
    error = std::string("the VP8 branch does not build: ") +
            (parse_error ? parse_error->message : "unknown error");
    return nullptr;
  }
  gst_object_ref_sink(branch->bin_.get());
  branch->pipeline_ = add_ref(pipeline);

  branch->tap_ = std::make_shared<Tap>();
  branch->tap_->deliver = std::move(deliver);
  GstAppSinkCallbacks callbacks{};
  callbacks.new_sample = [](GstAppSink* appsink, gpointer data) -> GstFlowReturn {
    SamplePtr sample(gst_app_sink_pull_sample(appsink));
    auto& tap = *static_cast<TapPtr*>(data);
    std::lock_guard lock(tap->mutex);
    if (sample && tap->deliver) tap->deliver(sample.get(), GST_ELEMENT(appsink));
    return GST_FLOW_OK;
  };
  ElementPtr sink = child(branch->bin_.get(), config::kVp8SinkName);
  if (!sink) {
    error = "the VP8 branch has no appsink";
    return nullptr;
  }
  gst_app_sink_set_callbacks(GST_APP_SINK(sink.get()), &callbacks, new TapPtr(branch->tap_),
                             [](gpointer data) { delete static_cast<TapPtr*>(data); });

  gst_bin_add(GST_BIN(pipeline), branch->bin_.get());
  branch->tee_pad_ = PadPtr(gst_element_request_pad_simple(branch->tee_.get(), "src_%u"));
  PadPtr bin_sink(gst_element_get_static_pad(branch->bin_.get(), "sink"));
  if (!branch->tee_pad_ ||
      gst_pad_link(branch->tee_pad_.get(), bin_sink.get()) != GST_PAD_LINK_OK) {
    error = "the VP8 branch cannot be linked to the raw video";
    gst_bin_remove(GST_BIN(pipeline), branch->bin_.get());
    if (branch->tee_pad_)
      gst_element_release_request_pad(branch->tee_.get(), branch->tee_pad_.get());
    return nullptr;
  }
  if (!gst_element_sync_state_with_parent(branch->bin_.get())) {
    error = "the VP8 branch refused to start";
    return nullptr;
  }
  GST_INFO("VP8 branch attached");
  return branch;
}

Vp8Branch::~Vp8Branch() {
  if (!tap_) return;
  std::lock_guard lock(tap_->mutex);
  tap_->deliver = nullptr;
}

void Vp8Branch::detach(PipelineReaper& reaper) {
  {
    std::lock_guard lock(tap_->mutex);
    tap_->deliver = nullptr;
  }
  GstPad* tee_pad = tee_pad_.get();
  auto* removal = new Removal{std::move(pipeline_), std::move(tee_), std::move(bin_),
                              std::move(tee_pad_), &reaper};
  // Runs at once when the tee is idle, else on the source's thread between two frames.
  gst_pad_add_probe(
      tee_pad, GST_PAD_PROBE_TYPE_IDLE,
      [](GstPad* pad, GstPadProbeInfo*, gpointer data) -> GstPadProbeReturn {
        auto& removal = *static_cast<Removal*>(data);
        PadPtr peer(gst_pad_get_peer(pad));
        if (peer) gst_pad_unlink(pad, peer.get());
        gst_element_release_request_pad(removal.tee.get(), removal.tee_pad.get());
        gst_bin_remove(GST_BIN(removal.pipeline.get()), removal.bin.get());
        removal.reaper->reap(std::move(removal.bin));
        GST_INFO("VP8 branch detached");
        return GST_PAD_PROBE_REMOVE;
      },
      removal, [](gpointer data) { delete static_cast<Removal*>(data); });
}

void Vp8Branch::request_keyframe(guint count) {
  if (!bin_) return;
  ElementPtr sink = child(bin_.get(), config::kVp8SinkName);
  PadPtr pad(gst_element_get_static_pad(sink.get(), "sink"));
  gst_pad_push_event(pad.get(),
                     gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE, TRUE, count));
}

void Vp8Branch::set_bitrate_kbps(int kbps) {
  if (!bin_) return;
  ElementPtr encoder = child(bin_.get(), config::kVp8EncoderName);
  g_object_set(encoder.get(), "target-bitrate", kbps * 1000, nullptr);
}

void Vp8Branch::set_keyframe_interval(int frames) {
  if (!bin_) return;
  ElementPtr encoder = child(bin_.get(), config::kVp8EncoderName);
  g_object_set(encoder.get(), "keyframe-max-dist", frames, nullptr);
}

}  // namespace kvmrtc::media
