#include <gst/gst.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app.hpp"
#include "cli.hpp"

int main(int argc, char** argv) {
  gst_init(&argc, &argv);
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const kvmrtc::CommandLine command_line = kvmrtc::parse_command_line(arguments);
  if (!command_line.error.empty()) {
    std::fprintf(stderr, "kvmrtc: %s\n\n%s", command_line.error.c_str(), kvmrtc::usage_text());
    return 2;
  }
  return kvmrtc::run_command(command_line);
}
