// Text a page asks to paste, mapped to key strokes through each shipped layout: the first byte
// picks the layout, the rest is the text.
#include <glib.h>

#include <string>
#include <vector>

#include "fuzz_text.hpp"
#include "hid/paste_layout.hpp"

using namespace kvmrtc::hid;

namespace {

std::vector<Layout> load_shipped_layouts() {
  std::vector<Layout> layouts;
  for (const char* name : {"en-US", "en-GB", "de-DE", "fr-FR"}) {
    gchar* text = nullptr;
    const std::string path = std::string(KVMRTC_FUZZ_SOURCE_DIR "/layouts/") + name + ".conf";
    if (!g_file_get_contents(path.c_str(), &text, nullptr, nullptr)) __builtin_trap();
    auto result = parse_layout(text, name);
    g_free(text);
    if (!result.ok()) __builtin_trap();
    layouts.push_back(std::move(result.layout));
  }
  return layouts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<Layout> layouts = load_shipped_layouts();
  if (size == 0) return 0;
  const Layout& layout = layouts[data[0] % layouts.size()];
  const std::string text = fuzz_text(data + 1, size - 1);
  // The page's JSON brings the text, and a JSON string is valid UTF-8.
  if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) return 0;
  const PastePlan plan = plan_paste(text, layout);
  require_utf8(plan.error);
  for (const auto& character : plan.unsupported) require_utf8(character);
  return 0;
}
