// Asks the GStreamer registry which H.264 encoders this machine has.
#pragma once

#include <set>
#include <string>

namespace kvmrtc::media {

std::set<std::string> installed_encoders();

}  // namespace kvmrtc::media
