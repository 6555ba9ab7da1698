#include "media/webrtc_setup.hpp"

#include <gst/webrtc/webrtc.h>
#include <nice/agent.h>

#include <vector>

#include "media/local_addresses.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::media {

bool configure_webrtcbin(GstElement* webrtc, const config::WebrtcSettings& settings,
                         std::string& error) {
  if (!settings.stun_server.empty()) {
    g_object_set(webrtc, "stun-server", settings.stun_server.c_str(), nullptr);
  }
  if (!settings.turn_server.empty()) {
    g_object_set(webrtc, "turn-server", settings.turn_server.c_str(), nullptr);
  }
  GstWebRTCICE* raw_ice = nullptr;
  g_object_get(webrtc, "ice-agent", &raw_ice, nullptr);
  GstObjectPtr<GstWebRTCICE> ice(raw_ice);
  NiceAgent* raw_agent = nullptr;
  g_object_get(ice.get(), "agent", &raw_agent, nullptr);
  GObjectPtr<NiceAgent> agent(raw_agent);
  // A KVM has no business opening ports on the user's router.
  g_object_set(agent.get(), "upnp", FALSE, nullptr);
  // Video over an ICE-TCP pair waits behind every retransmission and queues for seconds on a
  // slow link. UDP only (a TURN relay, over TCP or TLS if need be, is the fallback); it also
  // halves the candidate pairs to check before the picture starts.
  g_object_set(agent.get(), "ice-tcp", FALSE, nullptr);
  // libnice gathers on every interface but loopback unless told which addresses to use. They
  // are read for each viewer, not once at start: a board's addresses change (DHCP, Wi-Fi).
  const std::vector<std::string> addresses =
      settings.ice_addresses.empty() && settings.gather_loopback ? local_addresses()
                                                                 : settings.ice_addresses;
  for (const auto& address : addresses) {
    NiceAddress nice_address;
    nice_address_init(&nice_address);
    if (!nice_address_set_from_string(&nice_address, address.c_str()) ||
        !nice_agent_add_local_address(agent.get(), &nice_address)) {
      error = "ICE cannot use the address " + address;
      return false;
    }
  }

  GstWebRTCRTPTransceiver* transceiver = nullptr;
  g_signal_emit_by_name(webrtc, "get-transceiver", 0, &transceiver);
  GstObjectPtr<GstWebRTCRTPTransceiver> owned_transceiver(transceiver);
  if (transceiver != nullptr) {
    // Without NACK a single lost packet freezes the picture until the next keyframe gets
    // through, which on a lossy link can take seconds; with it, webrtcbin resends the packet
    // (RTX) when the browser asks.
    g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY, "do-nack",
                 TRUE, nullptr);
  }
  return true;
}

}  // namespace kvmrtc::media
