#include "cli.hpp"

namespace kvmrtc {

const char* usage_text() {
  return "Usage: kvmrtc [--config FILE]\n"
         "       kvmrtc --check-config FILE\n"
         "       kvmrtc --print-pipeline [FILE]\n"
         "       kvmrtc --list-pipelines\n"
         "       kvmrtc user add|passwd|del|list|totp ...   (kvmrtc user --help)\n"
         "       kvmrtc tls generate --out DIR [--force]\n"
         "       kvmrtc --version | --help\n"
         "\n"
         "Without --config, kvmrtc runs on its built-in default: a moving test pattern,\n"
         "HID reports written to files, http://127.0.0.1:8080/, no login.\n"
         "\n"
         "  --config FILE          run with FILE (INI; see docs/configuration.md)\n"
         "  --check-config FILE    validate FILE; exit 1 naming the bad key and line\n"
         "  --print-pipeline FILE  print the producer pipeline that would run\n"
         "  --list-pipelines       list the pipeline presets with their descriptions\n";
}

CommandLine parse_command_line(const std::vector<std::string>& arguments) {
  CommandLine line;
  bool command_given = false;
  auto set_command = [&](Command command, const std::string& flag) {
    if (command_given) {
      line.error = flag + " cannot be combined with another command";
      return false;
    }
    command_given = true;
    line.command = command;
    return true;
  };
  for (std::size_t i = 0; i < arguments.size() && line.error.empty(); ++i) {
    const std::string& argument = arguments[i];
    const bool has_value = i + 1 < arguments.size() && arguments[i + 1].rfind("--", 0) != 0;
    if (argument == "--config" || argument == "--check-config") {
      if (argument == "--check-config" && !set_command(Command::kCheckConfig, argument)) break;
      if (!has_value) {
        line.error = argument + " needs a FILE";
        break;
      }
      line.config_path = arguments[++i];
    } else if (argument == "--print-pipeline") {
      if (!set_command(Command::kPrintPipeline, argument)) break;
      if (has_value) line.config_path = arguments[++i];
    } else if (argument == "--list-pipelines") {
      set_command(Command::kListPipelines, argument);
    } else if (argument == "--version") {
      set_command(Command::kVersion, argument);
    } else if (argument == "--help" || argument == "-h") {
      set_command(Command::kHelp, argument);
    } else {
      line.error = "unknown argument '" + argument + "'";
    }
  }
  return line;
}

}  // namespace kvmrtc
