#include "web/metrics_text.hpp"

#include <glib.h>

#include <cstdint>

namespace kvmrtc::web {
namespace {

// Numbers as Prometheus reads them, whatever the locale: a '.' for the decimal point.
std::string number(double value) {
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  return g_ascii_formatd(text, sizeof text, "%.6g", value);
}

std::string number(std::uint64_t value) {
  return std::to_string(value);
}

class MetricsWriter {
 public:
  // Starts a family: its help line and type; its samples follow.
  MetricsWriter& family(const char* name, const char* type, const char* help) {
    text_ += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    return *this;
  }
  MetricsWriter& sample(const std::string& name, const std::string& value,
                        const std::string& labels = "") {
    text_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + value + "\n";
    return *this;
  }
  // A histogram of a stage timed in ms, written in seconds as Prometheus names durations.
  MetricsWriter& histogram(const char* name, const char* help,
                           const StageTiming::Snapshot& timing) {
    family(name, "histogram", help);
    const std::string base = name;
    for (std::size_t i = 0; i < StageTiming::kBucketsMs.size(); ++i) {
      sample(base + "_bucket", number(timing.at_most[i]),
             "le=\"" + number(StageTiming::kBucketsMs[i] / 1000) + "\"");
    }
    sample(base + "_bucket", number(timing.count), "le=\"+Inf\"");
    sample(base + "_sum", number(timing.sum_ms / 1000));
    return sample(base + "_count", number(timing.count));
  }
  std::string text() const { return text_; }

 private:
  std::string text_;
};

std::string label(const char* name, const std::string& value) {
  return std::string(name) + "=\"" + value + "\"";
}

}  // namespace

std::string metrics_text(const MetricsSnapshot& snapshot) {
  const auto& video = snapshot.video;
  MetricsWriter out;
  out.family("kvmrtc_viewers", "gauge", "Viewer pipelines alive now.")
      .sample("kvmrtc_viewers", number(std::uint64_t{snapshot.viewers}));
  out.family("kvmrtc_video_live", "gauge", "1 while the source sends frames, else 0.")
      .sample("kvmrtc_video_live", video.state == "live" ? "1" : "0");
  out.family("kvmrtc_frames_captured_total", "counter", "Raw frames from the video source.")
      .sample("kvmrtc_frames_captured_total", number(video.captured_frames));
  out.family("kvmrtc_frames_encoded_total", "counter", "H.264 access units encoded.")
      .sample("kvmrtc_frames_encoded_total", number(video.frames));
  out.family("kvmrtc_viewer_frames_sent_total", "counter",
             "Encoded frames handed to each connected viewer.");
  for (const auto& viewer : snapshot.viewer_frames) {
    out.sample("kvmrtc_viewer_frames_sent_total", number(viewer.sent),
               label("viewer", std::to_string(viewer.viewer_id)));
  }
  out.family("kvmrtc_viewer_frames_lost_total", "counter",
             "Frames a viewer missed: its queue was full, or it waited for a keyframe.");
  for (const auto& viewer : snapshot.viewer_frames) {
    out.sample("kvmrtc_viewer_frames_lost_total", number(viewer.dropped),
               label("viewer", std::to_string(viewer.viewer_id)));
  }
  out.family("kvmrtc_encoder_bitrate_kbps", "gauge",
             "The encoder's bitrate target, as congestion control set it last.")
      .sample("kvmrtc_encoder_bitrate_kbps", number(static_cast<double>(video.bitrate_kbps)));
  out.family("kvmrtc_receiver_estimate_kbps", "gauge",
             "The slowest viewer's latest bandwidth estimate (REMB); 0 before any.")
      .sample("kvmrtc_receiver_estimate_kbps",
              number(static_cast<double>(video.receiver_estimate_kbps)));
  out.histogram("kvmrtc_capture_to_encoded_seconds",
                "From a frame's capture to its encoded access unit.", video.capture_to_encoded);
  out.histogram("kvmrtc_capture_to_sent_seconds",
                "From a frame's capture to its last RTP packet leaving a viewer pipeline.",
                video.capture_to_sent);
  out.family("kvmrtc_producer_restarts_total", "counter",
             "Rebuilds of the capture pipeline after the source failed.")
      .sample("kvmrtc_producer_restarts_total", number(video.restarts));
  out.family("kvmrtc_no_signal_seconds_total", "counter", "Time the source sent no picture.")
      .sample("kvmrtc_no_signal_seconds_total", number(video.no_signal_s));
  out.family("kvmrtc_hid_reports_written_total", "counter", "HID reports written per device.");
  for (const auto& device : snapshot.hid) {
    out.sample("kvmrtc_hid_reports_written_total", number(device.counts.written),
               label("device", device.device));
  }
  out.family(
      "kvmrtc_hid_reports_dropped_total", "counter",
      "HID reports given up: stale while the target did not read, or for a replaced device.");
  for (const auto& device : snapshot.hid) {
    out.sample("kvmrtc_hid_reports_dropped_total", number(device.counts.dropped),
               label("device", device.device));
  }
  out.family("kvmrtc_hid_write_errors_total", "counter", "Failed writes per HID device.");
  for (const auto& device : snapshot.hid) {
    out.sample("kvmrtc_hid_write_errors_total", number(device.counts.errors),
               label("device", device.device));
  }
  out.family("kvmrtc_logins_total", "counter", "Login attempts by outcome.")
      .sample("kvmrtc_logins_total", number(snapshot.logins.ok), label("outcome", "ok"))
      .sample("kvmrtc_logins_total", number(snapshot.logins.failed), label("outcome", "failed"));
  return out.text();
}

}  // namespace kvmrtc::web
