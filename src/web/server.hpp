// The HTTP side: static frontend at /, GET /api/status, the signaling WebSocket at /api/ws.
#pragma once

#include <libsoup/soup.h>

#include <functional>
#include <string>

#include "config/config.hpp"
#include "util/ref_ptr.hpp"
#include "web/request_guard.hpp"
#include "web/session_hub.hpp"
#include "web/static_files.hpp"

namespace kvmrtc::web {

class Server {
 public:
  using StatusSource = std::function<std::string()>;

  Server(StaticFiles files, SessionHub& hub, StatusSource status);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the URL to open, or empty with `error` set.
  std::string listen(const config::ServerSettings& settings, std::string& error);

 private:
  void serve_static(SoupServerMessage* message, const char* path);
  void serve_status(SoupServerMessage* message);
  void accept_websocket(SoupServerMessage* message, SoupWebsocketConnection* connection);
  // Refuses a request for another host name (421), a page of another origin (403) and a body
  // over the limit (413), before any handler runs.
  void guard(SoupServerMessage* message);

  StaticFiles files_;
  SessionHub& hub_;
  StatusSource status_;
  GObjectPtr<SoupServer> server_;
  DaemonNames names_;  // known once it listens
};

}  // namespace kvmrtc::web
