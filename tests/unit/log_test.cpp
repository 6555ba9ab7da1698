#include "util/log.hpp"

#include <catch2/catch.hpp>
#include <map>

using kvmrtc::log::Context;
using kvmrtc::log::journal_fields;

namespace {

std::map<std::string, std::string> as_map(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  return {fields.begin(), fields.end()};
}

}  // namespace

TEST_CASE("a viewer's line carries its viewer, address and user as journal fields", "[log]") {
  const auto fields = as_map(journal_fields(G_LOG_LEVEL_INFO, Context{3, "192.0.2.7", "alice"},
                                            "viewer 3 started for alice at 192.0.2.7"));
  CHECK(fields ==
        std::map<std::string, std::string>{{"MESSAGE", "viewer 3 started for alice at 192.0.2.7"},
                                           {"PRIORITY", "6"},
                                           {"SYSLOG_IDENTIFIER", "kvmrtc"},
                                           {"KVMRTC_VIEWER", "3"},
                                           {"KVMRTC_ADDRESS", "192.0.2.7"},
                                           {"KVMRTC_USER", "alice"}});
}

TEST_CASE("a line about nobody has only the journal's own fields; levels map to syslog's",
          "[log]") {
  const auto plain = as_map(journal_fields(G_LOG_LEVEL_WARNING, Context{}, "no signal"));
  CHECK(plain.size() == 3);
  CHECK(plain.at("PRIORITY") == "4");
  CHECK(as_map(journal_fields(G_LOG_LEVEL_CRITICAL, Context{}, "x")).at("PRIORITY") == "3");
  const auto login = as_map(journal_fields(G_LOG_LEVEL_INFO, Context{0, "::1", "bob"}, "x"));
  CHECK(login.count("KVMRTC_VIEWER") == 0);
  CHECK(login.at("KVMRTC_USER") == "bob");
}
