// Hands work from GStreamer streaming threads and webrtcbin's thread to the GLib main context,
// which owns all daemon state.
#pragma once

#include <glib.h>

#include <functional>

namespace kvmrtc {

// Runs `work` on the default main context: at once when called by the thread that owns it (the
// main loop's), otherwise at its next iteration, and never while no loop iterates it. Safe to
// call from any thread.
void run_on_main(std::function<void()> work);

// Runs `work` on the default main context at its next iteration, never at once: for work that
// must not run inside the caller's stack (e.g. destroying the object whose signal is emitting).
void later_on_main(std::function<void()> work);

}  // namespace kvmrtc
