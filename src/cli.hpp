// Command-line arguments (pure).
#pragma once

#include <string>
#include <vector>

namespace kvmrtc {

enum class Command { kRun, kCheckConfig, kPrintPipeline, kListPipelines, kVersion, kHelp };

struct CommandLine {
  Command command = Command::kRun;
  std::string config_path;  // empty: the built-in default
  std::string error;        // set when the arguments do not parse
};

CommandLine parse_command_line(const std::vector<std::string>& arguments);
const char* usage_text();

}  // namespace kvmrtc
