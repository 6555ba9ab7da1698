#define CATCH_CONFIG_RUNNER
#include <gst/gst.h>

#include <catch2/catch.hpp>

int main(int argc, char** argv) {
  gst_init(nullptr, nullptr);
  return Catch::Session().run(argc, argv);
}
