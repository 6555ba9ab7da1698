// How long one stage of the video path takes (capture → encoded, capture → sent): streaming
// threads feed it, the main loop reads it, as a running average (/api/status) and as a
// histogram (/metrics), so a scraper sees the tail that an average hides.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "util/running_average.hpp"

namespace kvmrtc {

class StageTiming {
 public:
  // Upper bounds in ms: one frame at 60 and at 30 fps, and the steps a user feels.
  static constexpr std::array<double, 12> kBucketsMs = {1,  2,  5,   10,  16,  25,
                                                        33, 50, 100, 250, 500, 1000};

  struct Snapshot {
    std::array<std::uint64_t, kBucketsMs.size()> at_most{};  // cumulative, as Prometheus counts
    std::uint64_t count = 0;
    double sum_ms = 0;
  };

  void add(double ms) {
    average_.add(ms);
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
      if (ms <= kBucketsMs[i]) {
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        break;
      }
    }
    count_.fetch_add(1, std::memory_order_relaxed);
    double sum = sum_ms_.load(std::memory_order_relaxed);
    while (!sum_ms_.compare_exchange_weak(sum, sum + ms, std::memory_order_relaxed)) {
    }
  }

  double average_ms() const { return average_.value(); }

  Snapshot snapshot() const {
    Snapshot copy;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < kBucketsMs.size(); ++i) {
      running += buckets_[i].load(std::memory_order_relaxed);
      copy.at_most[i] = running;
    }
    // Read after the buckets: a sample added meanwhile counts here and in no bucket, as a
    // sample above the last bound does, never in a bucket without the count.
    copy.count = std::max(count_.load(std::memory_order_relaxed), running);
    copy.sum_ms = sum_ms_.load(std::memory_order_relaxed);
    return copy;
  }

 private:
  RunningAverage average_;
  std::array<std::atomic<std::uint64_t>, kBucketsMs.size()> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_ms_{0};
};

}  // namespace kvmrtc
