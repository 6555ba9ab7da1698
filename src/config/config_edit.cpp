#include "config/config_edit.hpp"

#include <glib.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::config {

EditedConfig edit_config_text(const std::string& text, const std::vector<KeyValue>& changes) {
  KeyFilePtr key_file(g_key_file_new());
  GError* raw_error = nullptr;
  if (!text.empty() && !g_key_file_load_from_data(key_file.get(), text.data(), text.size(),
                                                  G_KEY_FILE_KEEP_COMMENTS, &raw_error)) {
    ErrorPtr error(raw_error);
    return {"", error->message};
  }
  for (const auto& change : changes) {
    g_key_file_set_value(key_file.get(), change.group.c_str(), change.key.c_str(),
                         change.value.c_str());
  }
  gsize length = 0;
  CharPtr data(g_key_file_to_data(key_file.get(), &length, nullptr));
  return {std::string(data.get(), length), ""};
}

}  // namespace kvmrtc::config
