// Work that would block the main loop (a password hash, a file read) runs on a GLib worker
// thread; its continuation runs back on the main context, which owns all state.
#pragma once

#include <functional>

namespace kvmrtc {

// Runs `work` on a worker thread, then `done` on the main context. `work` must touch nothing
// the main context owns: hand it copies, and let `done` check that its owner still lives.
void run_in_background(std::function<void()> work, std::function<void()> done);

}  // namespace kvmrtc
