#include "web/access_policy.hpp"

#include <array>

namespace kvmrtc::web {

Gate gate_of(const std::string& path) {
  // Exact paths only: "/login.js/../index.html" or "/healthz2" are not the public files.
  static constexpr std::array<const char*, 7> kPublic = {
      "/login", "/login.html", "/login.js", "/login.css", "/theme.css", "/healthz", "/api/login"};
  for (const char* open : kPublic) {
    if (path == open) return Gate::kPublic;
  }
  return path == "/api" || path.rfind("/api/", 0) == 0 ? Gate::kApi : Gate::kPage;
}

}  // namespace kvmrtc::web
