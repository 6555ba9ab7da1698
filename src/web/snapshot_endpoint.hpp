// GET /api/snapshot: the picture now on screen as JPEG (?format=png: PNG), at the stream's size.
// The frame comes from the producer, which starts for it when no one watches; it is encoded on
// a worker thread, and the request waits for it without holding up the main loop.
#pragma once

#include <libsoup/soup.h>

#include <functional>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

// Asks for the next raw frame; `done` gets it on the main loop, or nothing when there is no
// signal.
using SnapshotSource = std::function<void(std::function<void(SamplePtr frame)> done)>;

void serve_snapshot(SoupServerMessage* message, const SnapshotSource& source);

}  // namespace kvmrtc::web
