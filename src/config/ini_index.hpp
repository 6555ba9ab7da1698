// Locates groups and keys of INI text by line, so validation errors can name the line that a
// user has to fix. GKeyFile parses the values; this only remembers where they were.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kvmrtc::config {

struct IniEntry {
  std::string group;
  std::string key;
  int line = 0;
};

struct IniSyntaxError {
  int line = 0;
  std::string text;
};

struct IniIndex {
  std::vector<IniEntry> entries;               // key=value lines in file order
  std::map<std::string, int> groups;           // group name → line of its header
  std::optional<IniSyntaxError> syntax_error;  // the first line that is neither

  int line_of(const std::string& group, const std::string& key) const;
};

IniIndex index_ini(const std::string& text);

}  // namespace kvmrtc::config
