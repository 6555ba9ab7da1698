// Which requests need a login, and what a request without one gets (pure).
#pragma once

#include <string>

namespace kvmrtc::web {

enum class Gate {
  kPublic,  // the login page, its files, /healthz, POST /api/login
  kPage,    // the app's page and files: without a session, a redirect to the login page
  kApi,     // /api/* and the signaling socket: without a session, 401
};

Gate gate_of(const std::string& path);

inline constexpr const char* kLoginPath = "/login";

}  // namespace kvmrtc::web
