// A figure that streaming threads feed and the main loop reads (latency stages in
// /api/status): an exponential average over about the last `span` samples, steady enough to
// read and quick to follow a change.
#pragma once

#include <atomic>

namespace kvmrtc {

class RunningAverage {
 public:
  explicit RunningAverage(double span = 30) : span_(span) {}

  void add(double sample) {
    double current = value_.load();
    double next;
    do {
      next = current == 0 ? sample : current + (sample - current) / span_;
    } while (!value_.compare_exchange_weak(current, next));
  }
  double value() const { return value_.load(); }

 private:
  const double span_;
  std::atomic<double> value_{0};
};

}  // namespace kvmrtc
