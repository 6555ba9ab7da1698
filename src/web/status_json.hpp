// The body of GET /api/status (docs/protocol.md).
#pragma once

#include <cstddef>
#include <string>

#include "media/video_status.hpp"

namespace kvmrtc::web {

std::string status_json(const media::VideoStatus& video, std::size_t viewers);

}  // namespace kvmrtc::web
