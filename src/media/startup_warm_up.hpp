// Work the first viewer would otherwise wait for, done once at startup on a worker thread:
// - webrtcbin's DTLS elements share one generated certificate per process, made when the
//   first is created: an RSA key generation that takes from 0.1 s to most of a second on a
//   small or busy board;
// - the plugins of the viewer and producer pipelines, which GStreamer loads (dlopen and
//   plugin init) the first time one of their elements is made, on the main loop otherwise.
#pragma once

#include <string>

namespace kvmrtc::media {

// Blocks while it works: call it on a worker thread.
void warm_up_media(const std::string& producer_launch);

}  // namespace kvmrtc::media
