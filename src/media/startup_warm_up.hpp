// webrtcbin's DTLS elements share one generated certificate per process, made when the first
// is created: an RSA key generation that takes from 0.1 s to most of a second on a small or
// busy board. Made at startup instead, it is ready before the first viewer's offer needs it.
#pragma once

namespace kvmrtc::media {

// Blocks while the key is generated: call it on a worker thread.
void generate_dtls_certificate();

}  // namespace kvmrtc::media
