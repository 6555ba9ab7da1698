#include "cli.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using kvmrtc::Command;
using kvmrtc::CommandLine;
using kvmrtc::parse_command_line;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("no arguments runs on the built-in default", "[cli]") {
  const CommandLine line = parse_command_line({});
  CHECK(line.error.empty());
  CHECK(line.command == Command::kRun);
  CHECK(line.config_path.empty());
}

TEST_CASE("--config FILE runs with that file", "[cli]") {
  const CommandLine line = parse_command_line({"--config", "/etc/kvmrtc.conf"});
  CHECK(line.error.empty());
  CHECK(line.command == Command::kRun);
  CHECK(line.config_path == "/etc/kvmrtc.conf");
}

TEST_CASE("--check-config FILE checks that file", "[cli]") {
  const CommandLine line = parse_command_line({"--check-config", "my.conf"});
  CHECK(line.error.empty());
  CHECK(line.command == Command::kCheckConfig);
  CHECK(line.config_path == "my.conf");
}

TEST_CASE("--print-pipeline takes an optional FILE", "[cli]") {
  SECTION("with a file") {
    const CommandLine line = parse_command_line({"--print-pipeline", "board.conf"});
    CHECK(line.error.empty());
    CHECK(line.command == Command::kPrintPipeline);
    CHECK(line.config_path == "board.conf");
  }
  SECTION("without a file") {
    const CommandLine line = parse_command_line({"--print-pipeline"});
    CHECK(line.error.empty());
    CHECK(line.command == Command::kPrintPipeline);
    CHECK(line.config_path.empty());
  }
  SECTION("with --config given separately") {
    const CommandLine line = parse_command_line({"--print-pipeline", "--config", "b.conf"});
    CHECK(line.error.empty());
    CHECK(line.command == Command::kPrintPipeline);
    CHECK(line.config_path == "b.conf");
  }
}

TEST_CASE("single-word commands select their command", "[cli]") {
  const std::vector<std::pair<std::string, Command>> cases = {
      {"--list-pipelines", Command::kListPipelines},
      {"--version", Command::kVersion},
      {"--help", Command::kHelp},
      {"-h", Command::kHelp},
  };
  for (const auto& [flag, command] : cases) {
    INFO(flag);
    const CommandLine line = parse_command_line({flag});
    CHECK(line.error.empty());
    CHECK(line.command == command);
  }
}

TEST_CASE("an unknown argument is an error naming it", "[cli]") {
  for (const std::string argument : {"--verbose", "config.conf", "--config=x.conf"}) {
    INFO(argument);
    const CommandLine line = parse_command_line({argument});
    CHECK(contains(line.error, "'" + argument + "'"));
  }
}

TEST_CASE("--config and --check-config without a file are errors", "[cli]") {
  for (const std::string flag : {"--config", "--check-config"}) {
    INFO(flag);
    CHECK(contains(parse_command_line({flag}).error, flag));
    // The next word is another option, not a file.
    CHECK(contains(parse_command_line({flag, "--version"}).error, flag));
  }
}

TEST_CASE("two commands together are an error", "[cli]") {
  const std::vector<std::vector<std::string>> cases = {
      {"--version", "--help"},
      {"--list-pipelines", "--print-pipeline"},
      {"--check-config", "a.conf", "--print-pipeline", "b.conf"},
      {"--help", "--check-config", "a.conf"},
  };
  for (const auto& arguments : cases) {
    INFO(arguments[0] << " ... " << arguments.back());
    const CommandLine line = parse_command_line(arguments);
    CHECK_FALSE(line.error.empty());
  }
}

TEST_CASE("usage text mentions every option", "[cli]") {
  const std::string usage = kvmrtc::usage_text();
  for (const std::string flag : {"--config", "--check-config", "--print-pipeline",
                                 "--list-pipelines", "--version", "--help"}) {
    INFO(flag);
    CHECK(contains(usage, flag));
  }
}
