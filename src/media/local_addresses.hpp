// The machine's own IP addresses, loopback included, read from its interfaces now.
#pragma once

#include <string>
#include <vector>

namespace kvmrtc::media {

std::vector<std::string> local_addresses();

}  // namespace kvmrtc::media
