#include "web/pending_connections.hpp"

#include <gst/gst.h>

#include "util/log.hpp"
#include "web/http_reply.hpp"

GST_DEBUG_CATEGORY_STATIC(connections_debug);
#define GST_CAT_DEFAULT connections_debug

namespace kvmrtc::web {

PendingConnections::PendingConnections() {
  GST_DEBUG_CATEGORY_INIT(connections_debug, "kvmrtc-connections", 0,
                          "kvmrtc HTTP connections until they log in");
}

void PendingConnections::attach(SoupServer* server) {
  g_signal_connect(server, "request-started",
                   G_CALLBACK(+[](SoupServer*, SoupServerMessage* message, gpointer self) {
                     static_cast<PendingConnections*>(self)->on_started(message);
                   }),
                   this);
}

void PendingConnections::set_limits(int per_address, std::chrono::seconds timeout) {
  per_address_ = per_address;
  timeout_ = timeout;
}

struct PendingConnections::Watch {
  PendingConnections* self;
  GSocket* socket;
};

void PendingConnections::on_started(SoupServerMessage* message) {
  GSocket* socket = soup_server_message_get_socket(message);
  if (socket == nullptr) return;
  // Whichever of its messages is alive when the connection ends says so.
  g_signal_connect_data(
      message, "disconnected", G_CALLBACK(+[](SoupServerMessage*, gpointer data) {
        const auto* watch = static_cast<Watch*>(data);
        GST_DEBUG("connection %p closed", static_cast<void*>(watch->socket));
        watch->self->connections_.erase(watch->socket);
      }),
      new Watch{this, socket}, [](gpointer data, GClosure*) { delete static_cast<Watch*>(data); },
      GConnectFlags(0));
  // Every request starts this way; only a connection's first is news.
  if (connections_.contains(socket)) return;
  auto connection = std::make_unique<Connection>();
  connection->address = peer_address(message);
  GST_DEBUG("connection %p from %s accepted", static_cast<void*>(socket),
            connection->address.c_str());
  if (pending_from(connection->address) >= static_cast<std::size_t>(per_address_)) {
    log::rejected(log::Context{0, connection->address, ""},
                  "closed a connection from %s: it already holds %d that have not logged in "
                  "([limits] pending-connections-per-address)",
                  connection->address.c_str(), per_address_);
    close(socket);
    return;
  }
  start_deadline(socket, *connection);
  connections_.emplace(socket, std::move(connection));
}

void PendingConnections::start_deadline(GSocket* socket, Connection& connection) {
  connection.deadline.start_once(timeout_, [this, socket, &connection] {
    log::rejected(log::Context{0, connection.address, ""},
                  "closed a connection from %s: %lld s without a request that logged in "
                  "([limits] pending-connection-seconds)",
                  connection.address.c_str(), static_cast<long long>(timeout_.count()));
    connection.pending = false;
    close(socket);
  });
}

void PendingConnections::request_arrived(SoupServerMessage* message, bool logged_in) {
  GSocket* socket = soup_server_message_get_socket(message);
  const auto found = connections_.find(socket);
  if (found == connections_.end() || !found->second->pending) return;
  if (logged_in) {
    GST_DEBUG("connection %p logged in", static_cast<void*>(socket));
    found->second->pending = false;
    found->second->deadline.cancel();
  } else {
    // Time for this request's answer, and for the next: a login page's POST may come late.
    start_deadline(socket, *found->second);
  }
}

std::size_t PendingConnections::pending_from(const std::string& address) const {
  std::size_t count = 0;
  for (const auto& [socket, connection] : connections_) {
    if (connection->pending && connection->address == address) ++count;
  }
  return count;
}

void PendingConnections::close(GSocket* socket) {
  // libsoup reads the end of the stream and lets the connection go as if the client had left.
  g_socket_shutdown(socket, TRUE, TRUE, nullptr);
}

void PendingConnections::upgrading(SoupServerMessage* message) {
  connections_.erase(soup_server_message_get_socket(message));
}

}  // namespace kvmrtc::web
