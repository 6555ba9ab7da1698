// An answer that declines a section: what a browser sends for media it cannot take.
#pragma once

#include <gst/sdp/sdp.h>

#include <string>
#include <vector>

namespace kvmrtc::media {

// Firefox without an H.264 decoder answers the video section with port 0 and, as JSEP allows
// for a rejected section, without its ICE credentials and DTLS setup. webrtcbin 1.22 refuses
// such an answer whole, data channel and all. This gives every declined section that lacks them
// the ice-ufrag, ice-pwd and setup of the first accepted section; webrtcbin checks them there
// and sends nothing on a section with port 0. Returns the declined sections' media ("video").
std::vector<std::string> complete_declined_sections(GstSDPMessage* answer);

}  // namespace kvmrtc::media
