#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <gst/gst.h>

int main(int argc, char** argv) {
  gst_init(nullptr, nullptr);
  return Catch::Session().run(argc, argv);
}
