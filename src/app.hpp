// Wiring: config → producer, sessions, web server; signals; clean stop.
#pragma once

#include "cli.hpp"

namespace kvmrtc {

// Carries out the command; returns the process exit status.
int run_command(const CommandLine& command_line);

}  // namespace kvmrtc
