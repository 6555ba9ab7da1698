// Connections that no request has yet passed the login gate on: a browser's before its user
// logs in, and any that a client opens and leaves idle, or feeds a byte at a time, to use up the
// board's file descriptors. Each client address may hold `per_address` of them at once, and each
// may go `timeout` without a whole request; past either, the connection is closed. A connection
// one of whose requests came with a session (or, without login, any request at all) is no longer
// pending. Main loop only; it must outlive the server it is attached to.
#pragma once

#include <libsoup/soup.h>

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "util/timer.hpp"

namespace kvmrtc::web {

class PendingConnections {
 public:
  PendingConnections();
  PendingConnections(const PendingConnections&) = delete;
  PendingConnections& operator=(const PendingConnections&) = delete;

  // Follows the connections `server` accepts, from the moment they are accepted (before a TLS
  // handshake or a byte of the request).
  void attach(SoupServer* server);
  void set_limits(int per_address, std::chrono::seconds timeout);
  // A whole request arrived on `message`'s connection; `logged_in`: it passed the login gate.
  void request_arrived(SoupServerMessage* message, bool logged_in);
  // The connection becomes a WebSocket: libsoup 3.2 tells nothing of its end, so it is let go.
  void upgrading(SoupServerMessage* message);

 private:
  struct Watch;
  struct Connection {
    std::string address;
    bool pending = true;
    Timer deadline;
  };

  void on_started(SoupServerMessage* message);
  void start_deadline(GSocket* socket, Connection& connection);
  std::size_t pending_from(const std::string& address) const;
  static void close(GSocket* socket);

  int per_address_ = 64;
  std::chrono::seconds timeout_{10};
  // By socket. A connection's end shows as its messages' "disconnected" signal: libsoup 3.2
  // keeps a connection closed while idle, and its socket, so a weak reference could miss it.
  std::map<GSocket*, std::unique_ptr<Connection>> connections_;
};

}  // namespace kvmrtc::web
