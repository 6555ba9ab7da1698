#include "hid/paste_layout.hpp"

#include <glib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hid/key_table.hpp"
#include "temp_dir.hpp"
#include "util/ref_ptr.hpp"

using namespace kvmrtc::hid;

namespace Catch {
template <>
struct StringMaker<Keystroke> {
  static std::string convert(const Keystroke& stroke) {
    kvmrtc::CharPtr text(
        g_strdup_printf("{mods 0x%02X, usage 0x%02X}", stroke.modifiers, stroke.usage));
    return text.get();
  }
};
}  // namespace Catch

namespace {

const std::string kShippedDir = KVMRTC_TEST_SOURCE_DIR "/layouts";

constexpr std::uint8_t kShift = 0x02;
constexpr std::uint8_t kAltGr = 0x40;

// The stroke of the key at `code`, resolved through the key table like the layout files are.
Keystroke key(const std::string& code, std::uint8_t modifiers = 0) {
  const auto usage = usage_for_code(code);
  REQUIRE(usage.has_value());
  return {modifiers, *usage};
}

Layout shipped(const std::string& name) {
  auto loaded = load_layout(name, {kShippedDir});
  INFO(loaded.error);
  REQUIRE(loaded.ok());
  return loaded.layout;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Each character (UTF-8) must plan to exactly the strokes given.
using ExpectedStrokes = std::vector<std::pair<std::string, std::vector<Keystroke>>>;

void check_strokes(const Layout& layout, const ExpectedStrokes& expected) {
  for (const auto& [character, strokes] : expected) {
    INFO(layout.name << " '" << character << "'");
    const auto plan = plan_paste(character, layout);
    CHECK(plan.error.empty());
    CHECK(plan.unsupported.empty());
    CHECK(plan.strokes == strokes);
  }
}

}  // namespace

TEST_CASE("parse_layout reads characters, modifiers, dead keys and comments", "[paste]") {
  const auto parsed = parse_layout(
      "# a comment\n"
      "\n"
      "z\tKeyY\n"
      "Z  shift+KeyY   # trailing comment\n"
      "@  altgr+KeyQ\n"
      "Ä  shift+altgr+KeyA\n"
      "â  Backquote KeyA\n"
      "U+0020 Space\n"
      "U+0023 Backslash\n"
      "=  shift+Digit0\r\n"
      "U+1F600 ctrl+KeyS\n",
      "test");
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  const std::map<char32_t, std::vector<Keystroke>> expected{
      {U'z', {key("KeyY")}},
      {U'Z', {key("KeyY", kShift)}},
      {U'@', {key("KeyQ", kAltGr)}},
      {U'Ä', {key("KeyA", kShift | kAltGr)}},
      {U'â', {key("Backquote"), key("KeyA")}},
      {U' ', {key("Space")}},
      {U'#', {key("Backslash")}},
      {U'=', {key("Digit0", kShift)}},
      {U'\U0001F600', {key("KeyS", 0x01)}},
  };
  CHECK(parsed.layout.characters == expected);
  CHECK(parsed.layout.name == "test");
}

TEST_CASE("parse_layout names the line and what is wrong with it", "[paste]") {
  const std::string good = "# header\na KeyA\n";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"b KeyQQ", "line 3: unknown key code 'KeyQQ'"},
      {"b hyper+KeyB", "line 3: unknown modifier 'hyper'"},
      {"b +KeyB", "line 3: unknown modifier ''"},
      {"b shift+", "line 3: 'shift+' names no key"},
      {"b ShiftLeft", "line 3: 'ShiftLeft' is a modifier key"},
      {"b", "line 3: expected a character, then its key"},
      {"b KeyB KeyB KeyB", "line 3: expected a character, then its key"},
      {"bc KeyB", "line 3: 'bc' is neither one character nor U+"},
      {"U+41 KeyB", "line 3: 'U+41' is neither one character nor U+"},
      {"U+00G1 KeyB", "line 3: 'U+00G1' is neither one character nor U+"},
      {"U+D800 KeyB", "line 3: U+D800 is not a Unicode character"},
      {"\xC3 KeyB", "line 3: not UTF-8 text"},
      {"a shift+KeyA", "line 3: 'a' (U+0061) is already on line 2"},
  };
  for (const auto& [line, message] : cases) {
    const auto parsed = parse_layout(good + line + "\nc KeyC\n", "bad");
    INFO(line << " → " << parsed.error);
    CHECK_FALSE(parsed.ok());
    CHECK(contains(parsed.error, "layout 'bad' " + message));
    CHECK(parsed.layout.characters.empty());
  }
  CHECK(contains(parse_layout("# nothing\n", "empty").error, "types no characters"));
}

TEST_CASE("every shipped layout parses and types distinct characters distinctly", "[paste]") {
  const auto names = list_layouts({kShippedDir});
  for (const char* required : {"de-DE", "en-GB", "en-US", "fr-FR"}) {
    CHECK(std::find(names.begin(), names.end(), required) != names.end());
  }
  for (const auto& name : names) {
    const auto loaded = load_layout(name, {kShippedDir});
    INFO(loaded.error);
    REQUIRE(loaded.ok());
    CHECK(loaded.layout.name == name);
    // Two characters on the same keys means one of the lines is a copying mistake.
    std::map<std::vector<std::pair<std::uint8_t, std::uint8_t>>, char32_t> by_strokes;
    for (const auto& [character, strokes] : loaded.layout.characters) {
      std::vector<std::pair<std::uint8_t, std::uint8_t>> keys;
      for (const auto& stroke : strokes) keys.emplace_back(stroke.modifiers, stroke.usage);
      const auto [other, added] = by_strokes.emplace(keys, character);
      INFO(name << ": U+" << std::hex << static_cast<unsigned>(character) << " and U+"
                << static_cast<unsigned>(other->second) << " use the same keys");
      CHECK(added);
    }
  }
}

TEST_CASE("every shipped layout types all of printable ASCII, Enter and Tab", "[paste]") {
  std::string ascii;
  for (char c = ' '; c <= '~'; ++c) ascii += c;
  for (const char* name : {"en-US", "en-GB", "de-DE", "fr-FR"}) {
    const auto layout = shipped(name);
    for (const char c : ascii) {
      INFO(name << " '" << c << "'");
      CHECK(layout.characters.count(static_cast<char32_t>(c)) == 1);
    }
    const auto plan = plan_paste(ascii + "\n\t", layout);
    INFO(name);
    CHECK(plan.error.empty());
    CHECK(plan.unsupported.empty());
    CHECK(plan.strokes.size() >= ascii.size() + 2);
  }
}

TEST_CASE("en-US types the US layout's characters", "[paste]") {
  const ExpectedStrokes expected{
      {"a", {key("KeyA")}},
      {"Z", {key("KeyZ", kShift)}},
      {"@", {key("Digit2", kShift)}},
      {"#", {key("Digit3", kShift)}},
      {"\"", {key("Quote", kShift)}},
      {"\\", {key("Backslash")}},
      {"|", {key("Backslash", kShift)}},
      {"~", {key("Backquote", kShift)}},
      {"?", {key("Slash", kShift)}},
      {" ", {key("Space")}},
      {"\n", {key("Enter")}},
      {"\t", {key("Tab")}},
  };
  check_strokes(shipped("en-US"), expected);
}

TEST_CASE("en-GB types the UK layout's characters", "[paste]") {
  const ExpectedStrokes expected{
      {"£", {key("Digit3", kShift)}},        {"\"", {key("Digit2", kShift)}},
      {"@", {key("Quote", kShift)}},         {"#", {key("Backslash")}},
      {"~", {key("Backslash", kShift)}},     {"\\", {key("IntlBackslash")}},
      {"|", {key("IntlBackslash", kShift)}}, {"¬", {key("Backquote", kShift)}},
      {"€", {key("Digit4", kAltGr)}},        {"z", {key("KeyZ")}},
  };
  check_strokes(shipped("en-GB"), expected);
}

TEST_CASE("de-DE types QWERTZ, AltGr symbols and dead-key accents", "[paste]") {
  const ExpectedStrokes expected{
      {"z", {key("KeyY")}},
      {"Z", {key("KeyY", kShift)}},
      {"y", {key("KeyZ")}},
      {"@", {key("KeyQ", kAltGr)}},
      {"€", {key("KeyE", kAltGr)}},
      {"{", {key("Digit7", kAltGr)}},
      {"}", {key("Digit0", kAltGr)}},
      {"[", {key("Digit8", kAltGr)}},
      {"]", {key("Digit9", kAltGr)}},
      {"\\", {key("Minus", kAltGr)}},
      {"|", {key("IntlBackslash", kAltGr)}},
      {"~", {key("BracketRight", kAltGr)}},
      {"µ", {key("KeyM", kAltGr)}},
      {"²", {key("Digit2", kAltGr)}},
      {"ä", {key("Quote")}},
      {"Ö", {key("Semicolon", kShift)}},
      {"ü", {key("BracketLeft")}},
      {"ß", {key("Minus")}},
      {"/", {key("Digit7", kShift)}},
      {"#", {key("Backslash")}},
      {"-", {key("Slash")}},
      {"â", {key("Backquote"), key("KeyA")}},
      {"Ê", {key("Backquote"), key("KeyE", kShift)}},
      {"é", {key("Equal"), key("KeyE")}},
      {"Ú", {key("Equal"), key("KeyU", kShift)}},
      {"à", {key("Equal", kShift), key("KeyA")}},
      {"ò", {key("Equal", kShift), key("KeyO")}},
      {"^", {key("Backquote"), key("Space")}},
      {"`", {key("Equal", kShift), key("Space")}},
  };
  check_strokes(shipped("de-DE"), expected);
}

TEST_CASE("fr-FR types AZERTY, shifted digits and dead-key accents", "[paste]") {
  const ExpectedStrokes expected{
      {"a", {key("KeyQ")}},
      {"q", {key("KeyA")}},
      {"z", {key("KeyW")}},
      {"m", {key("Semicolon")}},
      {"1", {key("Digit1", kShift)}},
      {"0", {key("Digit0", kShift)}},
      {"&", {key("Digit1")}},
      {"@", {key("Digit0", kAltGr)}},
      {"#", {key("Digit3", kAltGr)}},
      {"{", {key("Digit4", kAltGr)}},
      {"[", {key("Digit5", kAltGr)}},
      {"|", {key("Digit6", kAltGr)}},
      {"\\", {key("Digit8", kAltGr)}},
      {"^", {key("Digit9", kAltGr)}},
      {"]", {key("Minus", kAltGr)}},
      {"}", {key("Equal", kAltGr)}},
      {"€", {key("KeyE", kAltGr)}},
      {"~", {key("Digit2", kAltGr), key("Space")}},
      {"`", {key("Digit7", kAltGr), key("Space")}},
      {"é", {key("Digit2")}},
      {"è", {key("Digit7")}},
      {"ç", {key("Digit9")}},
      {"à", {key("Digit0")}},
      {"ù", {key("Quote")}},
      {"!", {key("Slash")}},
      {".", {key("Comma", kShift)}},
      {"ê", {key("BracketLeft"), key("KeyE")}},
      {"Â", {key("BracketLeft"), key("KeyQ", kShift)}},
      {"ë", {key("BracketLeft", kShift), key("KeyE")}},
      {"Ï", {key("BracketLeft", kShift), key("KeyI", kShift)}},
  };
  check_strokes(shipped("fr-FR"), expected);
}

TEST_CASE("plan_paste types \"Hello, World!\" on en-US key by key", "[paste]") {
  // Usages from the HID Usage Tables' keyboard page, independent of the key table.
  const std::vector<Keystroke> expected{
      {kShift, 0x0B},  // H
      {0, 0x08},       // e
      {0, 0x0F},       // l
      {0, 0x0F},       // l
      {0, 0x12},       // o
      {0, 0x36},       // ,
      {0, 0x2C},       // space
      {kShift, 0x1A},  // W
      {0, 0x12},       // o
      {0, 0x15},       // r
      {0, 0x0F},       // l
      {0, 0x07},       // d
      {kShift, 0x1E},  // !
  };
  const auto plan = plan_paste("Hello, World!", shipped("en-US"));
  CHECK(plan.error.empty());
  CHECK(plan.unsupported.empty());
  CHECK(plan.strokes == expected);
}

TEST_CASE("plan_paste lists unsupported characters once each and plans nothing", "[paste]") {
  const auto en_us = shipped("en-US");
  const auto euro = plan_paste("5 €", en_us);
  CHECK(euro.error.empty());
  CHECK(euro.unsupported == std::vector<std::string>{"€"});
  CHECK(euro.strokes.empty());

  const auto mixed = plan_paste("a漢€b漢€ü", en_us);
  CHECK(mixed.unsupported == std::vector<std::string>{"漢", "€", "ü"});
  CHECK(mixed.strokes.empty());

  for (const auto& name : list_layouts({kShippedDir})) {
    const auto plan = plan_paste("x漢字x", shipped(name));
    INFO(name);
    CHECK(plan.unsupported == std::vector<std::string>{"漢", "字"});
    CHECK(plan.strokes.empty());
  }
}

TEST_CASE("plan_paste refuses invalid UTF-8 and text over the limit", "[paste]") {
  const auto de = shipped("de-DE");
  const std::vector<std::string> invalid{"ab\xFF", "\xC3", "a\xE2\x82", std::string("a\0b", 3)};
  for (const auto& bad : invalid) {
    const auto plan = plan_paste(bad, de);
    CHECK(contains(plan.error, "not valid UTF-8"));
    CHECK(plan.strokes.empty());
  }

  const auto too_long = plan_paste(std::string(kMaxPasteCharacters + 1, 'a'), de);
  CHECK(contains(too_long.error, "4097 characters"));
  CHECK(contains(too_long.error, "at most 4096"));
  CHECK(too_long.strokes.empty());

  // The limit counts characters, not bytes: 4096 two-byte ä are allowed.
  std::string umlauts;
  for (std::size_t i = 0; i < kMaxPasteCharacters; ++i) umlauts += "ä";
  const auto at_limit = plan_paste(umlauts, de);
  CHECK(at_limit.error.empty());
  CHECK(at_limit.strokes.size() == kMaxPasteCharacters);
}

TEST_CASE("plan_paste types every line end as one Enter and a tab as Tab", "[paste]") {
  const auto layout = shipped("en-US");
  const auto a = key("KeyA");
  const auto b = key("KeyB");
  const auto enter = key("Enter");
  const ExpectedStrokes cases{
      {"a\nb", {a, enter, b}},          {"a\r\nb", {a, enter, b}},
      {"a\rb", {a, enter, b}},          {"a\r\n\r\nb", {a, enter, enter, b}},
      {"a\n\rb", {a, enter, enter, b}}, {"a\r", {a, enter}},
      {"a\tb", {a, key("Tab"), b}},
  };
  for (const auto& [text, expected] : cases) {
    kvmrtc::CharPtr escaped(g_strescape(text.c_str(), nullptr));
    INFO(escaped.get());
    const auto plan = plan_paste(text, layout);
    CHECK(plan.error.empty());
    CHECK(plan.strokes == expected);
  }
}

TEST_CASE("load_layout and list_layouts search folders in order", "[paste]") {
  TempDir first;
  TempDir second;
  first.write("xx-XX.conf", "x KeyX\n");
  second.write("xx-XX.conf", "y KeyY\n");
  second.write("aa-AA.conf", "a KeyA\n");
  second.write("bad name.conf", "a KeyA\n");
  second.write("notes.txt", "a KeyA\n");
  const std::vector<std::string> dirs{first.path(), second.path()};

  CHECK(list_layouts(dirs) == std::vector<std::string>{"aa-AA", "xx-XX"});

  const auto found = load_layout("xx-XX", dirs);
  REQUIRE(found.ok());
  CHECK(found.layout.characters.count(U'x') == 1);
  CHECK(found.layout.characters.count(U'y') == 0);

  // A name that climbs out of the folders is refused even where the file exists.
  const std::string sibling = std::filesystem::path(second.path()).filename().string();
  const std::vector<std::string> unknown{"zz-ZZ", "../" + sibling + "/aa-AA", ""};
  for (const auto& name : unknown) {
    const auto missing = load_layout(name, dirs);
    INFO(missing.error);
    CHECK_FALSE(missing.ok());
    CHECK(contains(missing.error, "no keyboard layout '" + name + "'"));
    CHECK(contains(missing.error, "known: aa-AA, xx-XX"));
  }
  CHECK(contains(load_layout("zz-ZZ", {}).error, "known: none found"));
}

TEST_CASE("layout_dirs puts $KVMRTC_LAYOUTS_DIR first", "[paste]") {
  const char* saved = g_getenv("KVMRTC_LAYOUTS_DIR");
  const std::optional<std::string> previous =
      saved ? std::optional<std::string>(saved) : std::nullopt;
  g_setenv("KVMRTC_LAYOUTS_DIR", "/custom/layouts", TRUE);
  const auto dirs = layout_dirs();
  if (previous) {
    g_setenv("KVMRTC_LAYOUTS_DIR", previous->c_str(), TRUE);
  } else {
    g_unsetenv("KVMRTC_LAYOUTS_DIR");
  }
  REQUIRE(dirs.size() >= 2);
  CHECK(dirs.front() == "/custom/layouts");
  CHECK(dirs.back() == KVMRTC_DATA_DIR "/layouts");
}
