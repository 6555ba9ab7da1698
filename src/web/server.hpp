// The HTTP side: the login page and API, the static frontend at /, GET /api/status,
// GET /api/snapshot, POST /api/reload (admins), GET /metrics, /healthz, and the signaling
// WebSocket at /api/ws.
#pragma once

#include <libsoup/soup.h>

#include <functional>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "util/ref_ptr.hpp"
#include "web/access_control.hpp"
#include "web/https_redirect.hpp"
#include "web/login_endpoint.hpp"
#include "web/pending_connections.hpp"
#include "web/request_guard.hpp"
#include "web/session_hub.hpp"
#include "web/snapshot_endpoint.hpp"
#include "web/static_files.hpp"

namespace kvmrtc::web {

class Server {
 public:
  // What the daemon's other parts answer through the server.
  struct Endpoints {
    std::function<std::string()> status;   // GET /api/status, JSON
    std::function<std::string()> metrics;  // GET /metrics, the Prometheus text format
    std::function<bool()> healthy;         // GET /healthz: 200, else 503
    SnapshotSource snapshot;               // GET /api/snapshot
    // POST /api/reload: reloads the config, then calls `done` on the main context with whether
    // it was applied and the report as JSON.
    std::function<void(std::function<void(bool applied, const std::string& json)> done)> reload;
    // GET and PUT /api/settings/video: answer with an HTTP status and JSON.
    using Reply = std::function<void(unsigned status, const std::string& json)>;
    std::function<void(Reply reply)> get_settings;
    std::function<void(const std::string& body, Reply reply)> put_settings;
  };

  // `connections`: follows this server's connections until one logs in.
  Server(StaticFiles files, SessionHub& hub, AccessControl& access, PendingConnections& connections,
         Endpoints endpoints);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Sockets the service manager bound already (kvmrtc.socket): served instead of binding the
  // configured port, or the redirect port. Null: bind it here.
  struct BoundSockets {
    GSocket* main = nullptr;
    GSocket* redirect = nullptr;
  };

  // Listens; returns the URL to open, or empty with `error` set.
  std::string listen(const config::ServerSettings& settings, const BoundSockets& bound,
                     std::string& error);

 private:
  void route(SoupServerMessage* message, const std::string& path);
  void serve_static(SoupServerMessage* message, const std::string& path);
  void reload(SoupServerMessage* message, const Identity& identity);
  void video_settings(SoupServerMessage* message, const Identity& identity);
  // A scraper's request for /metrics with the configured bearer token.
  bool is_scraper(SoupServerMessage* message, const std::string& path) const;
  void accept_websocket(SoupServerMessage* message, SoupWebsocketConnection* connection);
  // Before any handler, and before a body is read: refuses a request for another host name
  // (421), a body over the limit (413), a request that needs a session without one (401, or a
  // redirect to the login page), and a page of another origin (403).
  void guard(SoupServerMessage* message);
  std::string token_of(SoupServerMessage* message) const;
  bool load_certificate(const config::ServerSettings& settings, std::string& error);

  StaticFiles files_;
  SessionHub& hub_;
  AccessControl& access_;
  PendingConnections& connections_;
  LoginEndpoint login_;
  Endpoints endpoints_;
  std::string metrics_token_;  // [server] metrics-token; empty: scrapers log in like anyone
  GObjectPtr<SoupServer> server_;
  std::unique_ptr<HttpsRedirect> redirect_;
  DaemonNames names_;  // known once it listens
};

}  // namespace kvmrtc::web
