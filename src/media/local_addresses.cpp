#include "media/local_addresses.hpp"

#include <nice/interfaces.h>

namespace kvmrtc::media {

std::vector<std::string> local_addresses() {
  std::vector<std::string> addresses;
  GList* raw = nice_interfaces_get_local_ips(TRUE);
  for (GList* item = raw; item != nullptr; item = item->next) {
    addresses.emplace_back(static_cast<const char*>(item->data));
  }
  g_list_free_full(raw, g_free);
  return addresses;
}

}  // namespace kvmrtc::media
