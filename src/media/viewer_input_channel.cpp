// A viewer's input data channel ("hid"): keyboard and mouse messages from the browser, and the
// daemon's answers to them.
#include <gst/webrtc/webrtc.h>

#include "media/viewer_link.hpp"

namespace kvmrtc::media {

using namespace viewer_link;

bool Viewer::open_input_channel(std::string& error) {
  GstStructure* options = gst_structure_new("options", "ordered", G_TYPE_BOOLEAN, TRUE, nullptr);
  GstWebRTCDataChannel* channel = nullptr;
  g_signal_emit_by_name(webrtc_.get(), "create-data-channel", "hid", options, &channel);
  gst_structure_free(options);
  if (channel == nullptr) {
    error = "webrtcbin refused to create the input data channel";
    return false;
  }
  input_channel_ = GObjectPtr<GstWebRTCDataChannel>(channel);
  g_signal_connect_data(channel, "on-open", G_CALLBACK(+[](GstWebRTCDataChannel*, gpointer data) {
                          on_viewer(shared(data), [](Viewer& viewer) { viewer.on_input_open(); });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  g_signal_connect_data(channel, "on-close", G_CALLBACK(+[](GstWebRTCDataChannel*, gpointer data) {
                          on_viewer(shared(data),
                                    [](Viewer& viewer) { viewer.events_.input_closed(); });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  g_signal_connect_data(channel, "on-message-string",
                        G_CALLBACK(+[](GstWebRTCDataChannel*, gchar* text, gpointer data) {
                          std::string message = text != nullptr ? text : "";
                          on_viewer_from_peer(shared(data),
                                              [message = std::move(message)](Viewer& viewer) {
                                                viewer.events_.input_message(message);
                                              });
                        }),
                        share(link_), unshare, GConnectFlags(0));
  return true;
}

void Viewer::on_input_open() {
  // Without video webrtcbin never calls the connection connected (its video transport stays
  // new): the open input channel is what shows that the browser is there.
  if (video_declined_) negotiation_deadline_.cancel();
  events_.input_open();
}

void Viewer::send_input(const std::string& text) {
  if (!input_channel_) return;
  GstWebRTCDataChannelState state;
  g_object_get(input_channel_.get(), "ready-state", &state, nullptr);
  // 1.22 leaks every message sent on a channel that is not open.
  if (state != GST_WEBRTC_DATA_CHANNEL_STATE_OPEN) return;
  gst_webrtc_data_channel_send_string(input_channel_.get(), text.c_str());
}

}  // namespace kvmrtc::media
