#include "util/post_bound.hpp"

#include <glib.h>

#include <catch2/catch.hpp>
#include <thread>

using kvmrtc::PostBound;

TEST_CASE("past its bound a source's closures are dropped and counted, until the loop catches up",
          "[limits]") {
  // Owned here, as the daemon's main loop owns it: another thread's work must wait for it.
  REQUIRE(g_main_context_acquire(nullptr));
  PostBound bound(8);
  int ran = 0;
  // From another thread, as a streaming thread posts: nothing runs until the loop turns.
  std::thread flood([&] {
    for (int i = 0; i < 20; ++i) bound.post([&] { ++ran; });
  });
  flood.join();
  CHECK(bound.dropped() == 12);
  while (g_main_context_iteration(nullptr, FALSE)) {
  }
  CHECK(ran == 8);
  std::thread more([&] { CHECK(bound.post([&] { ++ran; })); });
  more.join();
  while (g_main_context_iteration(nullptr, FALSE)) {
  }
  CHECK(ran == 9);
  CHECK(bound.dropped() == 12);
  g_main_context_release(nullptr);
}
