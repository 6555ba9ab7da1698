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
  // A scraper of /metrics is told 401, as a script is, not sent to the login page.
  const bool api = path == "/api" || path.rfind("/api/", 0) == 0 || path == "/metrics";
  return api ? Gate::kApi : Gate::kPage;
}

}  // namespace kvmrtc::web
