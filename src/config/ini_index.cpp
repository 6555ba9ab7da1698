#include "config/ini_index.hpp"

#include <sstream>

namespace kvmrtc::config {
namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

}  // namespace

int IniIndex::line_of(const std::string& group, const std::string& key) const {
  for (const auto& entry : entries) {
    if (entry.group == group && entry.key == key) return entry.line;
  }
  return 0;
}

IniIndex index_ini(const std::string& text) {
  IniIndex index;
  std::istringstream lines(text);
  std::string raw;
  std::string group;
  int number = 0;
  while (std::getline(lines, raw)) {
    ++number;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[') {
      const std::string name = line.substr(1, line.size() - 1 - (line.back() == ']' ? 1 : 0));
      const bool well_formed =
          line.back() == ']' && !name.empty() && name.find_first_of("[]") == std::string::npos;
      if (!well_formed) {
        if (!index.syntax_error) index.syntax_error = IniSyntaxError{number, line};
        continue;
      }
      group = name;
      index.groups.emplace(group, number);
      continue;
    }
    const auto equals = line.find('=');
    const std::string key = equals == std::string::npos ? "" : trim(line.substr(0, equals));
    if (key.empty() || group.empty()) {
      if (!index.syntax_error) index.syntax_error = IniSyntaxError{number, line};
      continue;
    }
    index.entries.push_back({group, key, number});
  }
  return index;
}

}  // namespace kvmrtc::config
