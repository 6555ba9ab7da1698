// Files people edit (config, presets, layouts) must be UTF-8 text: their error messages quote
// them, and go out as JSON (POST /api/reload), which is UTF-8 or nothing.
#pragma once

#include <optional>
#include <string>

namespace kvmrtc {

// The line (from 1) of the first byte that is not UTF-8 text (an invalid sequence, or NUL);
// nothing when every byte is.
std::optional<int> first_line_not_utf8(const std::string& text);

}  // namespace kvmrtc
