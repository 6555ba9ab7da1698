#include "hid/paste_layout.hpp"

#include <glib.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <set>
#include <string_view>
#include <utility>

#include "hid/key_table.hpp"
#include "util/ref_ptr.hpp"
#include "util/utf8_text.hpp"

namespace kvmrtc::hid {
namespace {

constexpr std::string_view kLayoutSuffix = ".conf";
constexpr std::string_view kFieldSeparators = " \t\r";

// AltGr is the right Alt key: Windows also reads Ctrl+Alt as AltGr, Linux and macOS do not.
constexpr std::pair<std::string_view, std::uint8_t> kModifiers[] = {
    {"shift", 0x02},
    {"altgr", 0x40},
    {"ctrl", 0x01},
};

struct CharacterResult {
  char32_t character = 0;
  std::string error;
};

struct StrokeResult {
  Keystroke stroke;
  std::string error;
};

std::string to_utf8(char32_t character) {
  char bytes[6];
  const gint length = g_unichar_to_utf8(character, bytes);
  return std::string(bytes, length);
}

// "'a' (U+0061)", or just "U+000A" for a character that prints as nothing.
std::string describe(char32_t character) {
  CharPtr code(g_strdup_printf("U+%04X", static_cast<unsigned>(character)));
  if (!g_unichar_isgraph(character)) return code.get();
  return "'" + to_utf8(character) + "' (" + code.get() + ")";
}

// The line's fields up to the first one starting with '#', which comments out the rest.
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = line.find_first_not_of(kFieldSeparators);
  while (start != std::string_view::npos) {
    const std::size_t end = line.find_first_of(kFieldSeparators, start);
    const std::string_view field = line.substr(start, end - start);
    if (field.front() == '#') break;
    fields.push_back(field);
    start = line.find_first_not_of(kFieldSeparators, end);
  }
  return fields;
}

// A character written as itself or as U+XXXX (4 to 6 hex digits), in text known to be UTF-8.
CharacterResult parse_character(std::string_view field) {
  if (g_utf8_strlen(field.data(), field.size()) == 1) return {g_utf8_get_char(field.data()), ""};
  const std::string not_a_character =
      "'" + std::string(field) + "' is neither one character nor U+ and 4 to 6 hex digits";
  if (!field.starts_with("U+") || field.size() < 6 || field.size() > 8) {
    return {0, not_a_character};
  }
  char32_t value = 0;
  for (const char digit : field.substr(2)) {
    const int nibble = g_ascii_xdigit_value(digit);
    if (nibble < 0) return {0, not_a_character};
    value = value * 16 + static_cast<char32_t>(nibble);
  }
  if (!g_unichar_validate(value)) return {0, std::string(field) + " is not a Unicode character"};
  return {value, ""};
}

// "KeyA", "shift+KeyA", "shift+altgr+KeyA": modifiers, then a KeyboardEvent.code.
StrokeResult parse_stroke(std::string_view field) {
  Keystroke stroke;
  std::string_view rest = field;
  for (std::size_t plus = rest.find('+'); plus != std::string_view::npos; plus = rest.find('+')) {
    const std::string_view name = rest.substr(0, plus);
    const auto* modifier = std::find_if(std::begin(kModifiers), std::end(kModifiers),
                                        [&](const auto& known) { return known.first == name; });
    if (modifier == std::end(kModifiers)) {
      return {{}, "unknown modifier '" + std::string(name) + "' (known: shift, altgr, ctrl)"};
    }
    stroke.modifiers |= modifier->second;
    rest.remove_prefix(plus + 1);
  }
  if (rest.empty()) return {{}, "'" + std::string(field) + "' names no key after its modifiers"};
  const auto usage = usage_for_code(rest);
  if (!usage) return {{}, "unknown key code '" + std::string(rest) + "'"};
  // A modifier key as the key itself would type nothing; the file means a modifier prefix.
  if (modifier_bit(*usage) != 0) {
    return {{}, "'" + std::string(rest) + "' is a modifier key; write shift+, altgr+ or ctrl+"};
  }
  stroke.usage = *usage;
  return {stroke, ""};
}

// Layout names arrive from the browser: plain names only, so one cannot reach outside the
// layout folders.
bool is_layout_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return g_ascii_isalnum(c) || c == '-' || c == '_';
  });
}

}  // namespace

LayoutResult parse_layout(const std::string& text, const std::string& name) {
  if (const auto line = first_line_not_utf8(text)) {
    return {{}, "layout '" + name + "' line " + std::to_string(*line) + ": not UTF-8 text"};
  }
  Layout layout{name, {}};
  std::map<char32_t, int> defined_on_line;
  const std::string_view all(text);
  int line_number = 1;
  for (std::size_t start = 0; start <= all.size(); ++line_number) {
    const std::size_t newline = std::min(all.find('\n', start), all.size());
    const std::string_view line = all.substr(start, newline - start);
    start = newline + 1;
    const auto fields = split_fields(line);
    if (fields.empty()) continue;

    const std::string where = "layout '" + name + "' line " + std::to_string(line_number) + ": ";
    const auto character = parse_character(fields[0]);
    if (!character.error.empty()) return {{}, where + character.error};
    if (fields.size() < 2 || fields.size() > 3) {
      return {{}, where + "expected a character, then its key, or a dead key and a base key"};
    }
    std::vector<Keystroke> strokes;
    for (std::size_t i = 1; i < fields.size(); ++i) {
      auto parsed = parse_stroke(fields[i]);
      if (!parsed.error.empty()) return {{}, where + parsed.error};
      strokes.push_back(parsed.stroke);
    }
    const auto [previous, added] = defined_on_line.emplace(character.character, line_number);
    if (!added) {
      return {{},
              where + describe(character.character) + " is already on line " +
                  std::to_string(previous->second)};
    }
    layout.characters.emplace(character.character, std::move(strokes));
  }
  if (layout.characters.empty()) return {{}, "layout '" + name + "' types no characters"};
  return {std::move(layout), ""};
}

std::vector<std::string> layout_dirs() {
  std::vector<std::string> dirs;
  if (const char* override_dir = g_getenv("KVMRTC_LAYOUTS_DIR")) dirs.emplace_back(override_dir);
  if (*KVMRTC_SOURCE_DIR != '\0') dirs.emplace_back(KVMRTC_SOURCE_DIR "/layouts");
  dirs.emplace_back(KVMRTC_DATA_DIR "/layouts");
  return dirs;
}

LayoutResult load_layout(const std::string& name, const std::vector<std::string>& dirs) {
  if (is_layout_name(name)) {
    for (const auto& dir : dirs) {
      const std::string path = dir + "/" + name + std::string(kLayoutSuffix);
      gchar* contents = nullptr;
      gsize length = 0;
      if (!g_file_get_contents(path.c_str(), &contents, &length, nullptr)) continue;
      CharPtr owned(contents);
      return parse_layout(std::string(contents, length), name);
    }
  }
  std::string known;
  for (const auto& layout : list_layouts(dirs)) known += (known.empty() ? "" : ", ") + layout;
  return {
      {},
      "no keyboard layout '" + name + "' (known: " + (known.empty() ? "none found" : known) + ")"};
}

std::vector<std::string> list_layouts(const std::vector<std::string>& dirs) {
  std::set<std::string> names;
  for (const auto& dir : dirs) {
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
      if (entry.path().extension() != kLayoutSuffix) continue;
      std::string name = entry.path().stem().string();
      // load_layout would refuse any other name, so listing it would only mislead.
      if (is_layout_name(name)) names.insert(std::move(name));
    }
  }
  return {names.begin(), names.end()};
}

PastePlan plan_paste(const std::string& utf8_text, const Layout& layout) {
  PastePlan plan;
  const char* text = utf8_text.data();
  const char* invalid = nullptr;
  if (!g_utf8_validate(text, utf8_text.size(), &invalid)) {
    plan.error = "the text is not valid UTF-8 (at byte " + std::to_string(invalid - text) + ")";
    return plan;
  }
  const auto length = static_cast<std::size_t>(g_utf8_strlen(text, utf8_text.size()));
  if (length > kMaxPasteCharacters) {
    plan.error = "the text has " + std::to_string(length) + " characters; paste types at most " +
                 std::to_string(kMaxPasteCharacters);
    return plan;
  }
  const char* end = text + utf8_text.size();
  for (const char* at = text; at < end; at = g_utf8_next_char(at)) {
    char32_t character = g_utf8_get_char(at);
    // Windows ends lines with "\r\n" and old Macs with "\r": each is one Enter, like "\n".
    if (character == '\r') {
      if (at + 1 < end && at[1] == '\n') continue;
      character = '\n';
    }
    const auto found = layout.characters.find(character);
    if (found != layout.characters.end()) {
      plan.strokes.insert(plan.strokes.end(), found->second.begin(), found->second.end());
      continue;
    }
    std::string missing = to_utf8(character);
    if (std::find(plan.unsupported.begin(), plan.unsupported.end(), missing) ==
        plan.unsupported.end()) {
      plan.unsupported.push_back(std::move(missing));
    }
  }
  if (!plan.unsupported.empty()) plan.strokes.clear();
  return plan;
}

}  // namespace kvmrtc::hid
