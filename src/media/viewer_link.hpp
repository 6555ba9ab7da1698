// What the files of a Viewer share (viewer.cpp, viewer_negotiation.cpp,
// viewer_input_channel.cpp, viewer_send_timing.cpp): how webrtcbin's callbacks, on its threads,
// reach the viewer on the main loop, if it still exists by then.
#pragma once

#include <gst/gst.h>

#include <functional>
#include <memory>

#include "media/viewer.hpp"
#include "util/main_context.hpp"
#include "util/post_bound.hpp"

GST_DEBUG_CATEGORY_EXTERN(viewer_debug);

namespace kvmrtc::media {

// Input messages and RTCP packets of one browser waiting for the main loop: a page sends at most
// a few hundred a second, which the loop runs in milliseconds; more wait only when it stalls.
inline constexpr int kPeerMessagesWaiting = 256;

// It outlives the Viewer while a callback is in flight.
struct Viewer::Link {
  Viewer* viewer;  // null once the viewer is gone; read on the main loop only
  // What the browser sends many of (input messages, RTCP) waits for the main loop within this.
  PostBound from_peer{kPeerMessagesWaiting};
};

namespace viewer_link {

using LinkPtr = std::shared_ptr<Viewer::Link>;

// A reference to the link as a signal's or probe's user data, and its release.
inline gpointer share(const LinkPtr& link) {
  return new LinkPtr(link);
}
inline void unshare(gpointer data, GClosure* = nullptr) {
  delete static_cast<LinkPtr*>(data);
}
inline const LinkPtr& shared(gpointer data) {
  return *static_cast<LinkPtr*>(data);
}

// Runs `work` on the main loop with the viewer, if it still exists by then.
inline void on_viewer(const LinkPtr& link, std::function<void(Viewer&)> work) {
  run_on_main([link, work = std::move(work)] {
    if (link->viewer != nullptr) work(*link->viewer);
  });
}

// The same for a message the browser may send any number of: dropped while the viewer already
// has kPeerMessagesWaiting of them waiting.
inline void on_viewer_from_peer(const LinkPtr& link, std::function<void(Viewer&)> work) {
  link->from_peer.post([link, work = std::move(work)] {
    if (link->viewer != nullptr) work(*link->viewer);
  });
}

}  // namespace viewer_link
}  // namespace kvmrtc::media
