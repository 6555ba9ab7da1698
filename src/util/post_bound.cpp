#include "util/post_bound.hpp"

#include "util/main_context.hpp"

namespace kvmrtc {

bool PostBound::post(std::function<void()> work) {
  if (state_->waiting.fetch_add(1) >= state_->limit) {
    state_->waiting.fetch_sub(1);
    state_->dropped.fetch_add(1);
    return false;
  }
  run_on_main([state = state_, work = std::move(work)] {
    state->waiting.fetch_sub(1);
    work();
  });
  return true;
}

}  // namespace kvmrtc
