// Typing text on the target: which keystrokes make each character on the target's keyboard
// layout. Layouts are data files in layouts/ (see layouts/README.md), not code.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kvmrtc::hid {

struct Keystroke {
  std::uint8_t modifiers = 0;  // boot-keyboard modifier bits held during the key
  std::uint8_t usage = 0;      // keyboard page usage
  bool operator==(const Keystroke&) const = default;
};

struct Layout {
  std::string name;  // e.g. "de-DE"
  // Each character's strokes: one, or two for a dead key followed by its base key.
  std::map<char32_t, std::vector<Keystroke>> characters;
};

struct LayoutResult {
  Layout layout;
  std::string error;  // names the line that is wrong
  bool ok() const { return error.empty(); }
};

LayoutResult parse_layout(const std::string& text, const std::string& name);

// Folders searched for layout files: $KVMRTC_LAYOUTS_DIR, the source tree's layouts/, the
// installed data folder.
std::vector<std::string> layout_dirs();
LayoutResult load_layout(const std::string& name, const std::vector<std::string>& dirs);
std::vector<std::string> list_layouts(const std::vector<std::string>& dirs);

struct PastePlan {
  std::vector<Keystroke> strokes;        // in order; each is pressed and then released
  std::vector<std::string> unsupported;  // characters (UTF-8) the layout cannot type, once each
  std::string error;                     // text that is not UTF-8, or too long
};

inline constexpr std::size_t kMaxPasteCharacters = 4096;

// Text (UTF-8) → keystrokes. "\n" and "\r\n" type Enter, "\t" Tab. Nothing is planned when any
// character is unsupported: the caller shows `unsupported` instead of typing half the text.
PastePlan plan_paste(const std::string& utf8_text, const Layout& layout);

}  // namespace kvmrtc::hid
