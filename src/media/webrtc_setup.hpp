// Settings every webrtcbin of kvmrtc gets: STUN/TURN servers, the local addresses ICE may use,
// no UPnP, and a send-only video transceiver.
#pragma once

#include <gst/gst.h>

#include <string>

#include "config/config.hpp"

namespace kvmrtc::media {

// Returns false with `error` set when an address cannot be used.
bool configure_webrtcbin(GstElement* webrtc, const config::WebrtcSettings& settings,
                         std::string& error);

}  // namespace kvmrtc::media
