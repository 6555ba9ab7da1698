#include "util/utf8_text.hpp"

#include <glib.h>

#include <algorithm>

namespace kvmrtc {

std::optional<int> first_line_not_utf8(const std::string& text) {
  const gchar* end = nullptr;
  // g_utf8_validate_len stops at the first invalid sequence, and takes NUL for one.
  if (g_utf8_validate_len(text.data(), text.size(), &end)) return std::nullopt;
  const auto offset = static_cast<std::size_t>(end - text.data());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

}  // namespace kvmrtc
