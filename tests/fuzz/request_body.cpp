// Request bodies from the network: POST /api/login (anyone who reaches the port) and PUT
// /api/settings/video (an admin's page).
#include "fuzz_text.hpp"
#include "video_settings.hpp"
#include "web/auth_messages.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body = fuzz_text(data, size);
  std::string error;
  kvmrtc::web::parse_login_request(body, error);
  require_utf8(error);
  const auto settings = kvmrtc::parse_settings_request(body);
  for (const auto& field : settings.errors) require_utf8(field.message);
  return 0;
}
