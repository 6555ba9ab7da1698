#include "util/main_context.hpp"

#include <glib.h>

#include <catch2/catch.hpp>
#include <thread>

using kvmrtc::run_on_main;

TEST_CASE("work posted from a streaming thread while no loop runs waits for the main context",
          "[threads]") {
  // As at shutdown, after the main loop returned: nobody owns the default context.
  std::thread::id ran_on;
  std::thread streaming([&] { run_on_main([&] { ran_on = std::this_thread::get_id(); }); });
  const std::thread::id streaming_id = streaming.get_id();
  streaming.join();
  CHECK(ran_on == std::thread::id());
  while (g_main_context_iteration(nullptr, FALSE)) {
  }
  CHECK(ran_on == std::this_thread::get_id());
  CHECK(ran_on != streaming_id);
}

TEST_CASE("work posted by the thread that owns the main context runs at once", "[threads]") {
  REQUIRE(g_main_context_acquire(nullptr));
  bool ran = false;
  run_on_main([&] { ran = true; });
  CHECK(ran);
  g_main_context_release(nullptr);
}
