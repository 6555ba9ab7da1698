// A viewer's negotiation: the daemon's offer, the browser's answer and ICE candidates.
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

#include "media/declined_sections.hpp"
#include "media/viewer_link.hpp"
#include "util/log.hpp"

#define GST_CAT_DEFAULT viewer_debug

namespace kvmrtc::media {
namespace {

using namespace viewer_link;
using SessionDescriptionPtr =
    Owned<GstWebRTCSessionDescription, gst_webrtc_session_description_free>;
using SdpMessagePtr = Owned<GstSDPMessage, gst_sdp_message_free>;

}  // namespace

void Viewer::on_offer_created(GstWebRTCSessionDescription* offer) {
  if (offer == nullptr) {
    events_.failed("webrtcbin could not create an offer");
    return;
  }
  // The daemon negotiates once. An answer that declines the video makes webrtcbin ask again,
  // for a section the browser has just said it cannot take.
  if (offered_) {
    GST_DEBUG("viewer %" G_GUINT64_FORMAT ": no second offer", id_);
    return;
  }
  offered_ = true;
  GST_DEBUG("viewer %" G_GUINT64_FORMAT " offer created", id_);
  g_signal_emit_by_name(webrtc_.get(), "set-local-description", offer, nullptr);
  CharPtr sdp(gst_sdp_message_as_text(offer->sdp));
  events_.offer_ready(sdp.get());
}

std::string Viewer::set_answer(const std::string& sdp) {
  GstSDPMessage* raw_message = nullptr;
  if (gst_sdp_message_new_from_text(sdp.c_str(), &raw_message) != GST_SDP_OK) {
    return "the answer's SDP does not parse";
  }
  SdpMessagePtr message(raw_message);
  if (gst_sdp_message_medias_len(message.get()) == 0) {
    return "the answer's SDP has no media section";
  }
  for (const auto& media : complete_declined_sections(message.get())) {
    log::info(log::Context{id_, "", ""},
              "viewer %" G_GUINT64_FORMAT ": the browser declined the %s (it cannot decode %s)",
              id_, media.c_str(), media == "video" ? codec_name(codec_) : "it");
    if (media == "video") {
      video_declined_ = true;
      events_.video_declined();
    }
  }
  SessionDescriptionPtr answer(
      gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER, message.release()));
  PromisePtr promise(gst_promise_new_with_change_func(
      [](GstPromise* done, gpointer data) {
        const GstStructure* reply = gst_promise_get_reply(done);
        GError* raw_error = nullptr;
        if (reply != nullptr && gst_structure_has_field(reply, "error")) {
          gst_structure_get(reply, "error", G_TYPE_ERROR, &raw_error, nullptr);
        }
        if (raw_error == nullptr) return;
        ErrorPtr error(raw_error);
        std::string why = error->message;
        on_viewer(shared(data), [why](Viewer& viewer) { viewer.events_.answer_refused(why); });
      },
      share(link_), [](gpointer data) { unshare(data); }));
  g_signal_emit_by_name(webrtc_.get(), "set-remote-description", answer.get(), promise.get());
  return "";
}

void Viewer::add_remote_candidate(unsigned mline_index, const std::string& candidate) {
  g_signal_emit_by_name(webrtc_.get(), "add-ice-candidate", mline_index, candidate.c_str());
}

}  // namespace kvmrtc::media
