// POST /api/login, POST /api/logout and GET /api/session. A password is checked on a worker
// thread (yescrypt takes tens of milliseconds and megabytes by design), the request paused
// meanwhile, so the main loop never waits for it.
#pragma once

#include <libsoup/soup.h>

#include <memory>
#include <string>

#include "web/access_control.hpp"

namespace kvmrtc::web {

class LoginEndpoint {
 public:
  explicit LoginEndpoint(AccessControl& access) : access_(access) {}
  ~LoginEndpoint() { *alive_ = false; }
  LoginEndpoint(const LoginEndpoint&) = delete;
  LoginEndpoint& operator=(const LoginEndpoint&) = delete;

  void login(SoupServerMessage* message, bool tls);
  void logout(SoupServerMessage* message, const std::string& token, bool tls);
  void session(SoupServerMessage* message, const Identity& identity);

 private:
  struct Attempt;
  void finish(SoupServerMessage* message, const Attempt& attempt, bool tls);

  AccessControl& access_;
  int checking_ = 0;  // passwords being checked now
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace kvmrtc::web
