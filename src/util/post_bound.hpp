// A bound on the closures one source has waiting for the main loop. Streaming threads hand each
// of a peer's messages (input, RTCP) to the main loop; a peer that sends faster than the loop
// runs must not grow that queue without end: past the bound its messages are dropped, and
// counted.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace kvmrtc {

class PostBound {
 public:
  explicit PostBound(int limit) : state_(std::make_shared<State>(limit)) {}

  // From any thread: `work` for the main loop, unless `limit` closures of this source wait there
  // already; then it is dropped (false).
  bool post(std::function<void()> work);
  std::uint64_t dropped() const { return state_->dropped.load(); }

 private:
  // Shared with the waiting closures, which may run after the owner is gone.
  struct State {
    explicit State(int bound) : limit(bound) {}
    const int limit;
    std::atomic<int> waiting{0};
    std::atomic<std::uint64_t> dropped{0};
  };
  std::shared_ptr<State> state_;
};

}  // namespace kvmrtc
