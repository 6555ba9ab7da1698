#include "web/listen_on.hpp"

#include <gio/gnetworking.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {
namespace {

// GLib's default queue is 10 connections: a page load, its WebSocket and a scraper arriving
// together while the main loop is busy overflow it, the kernel drops the SYN, and the client
// waits a second to send it again. systemd's socket unit queues SOMAXCONN.
constexpr int kListenBacklog = 128;

// What soup_server_listen does with an address, with the longer queue.
GObjectPtr<GSocket> listening_socket(GSocketAddress* address, GError** error) {
  const GSocketFamily family = g_socket_address_get_family(address);
  GObjectPtr<GSocket> socket(
      g_socket_new(family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error));
  if (!socket) return {};
  // "::" means IPv6 only, as with libsoup's own listener.
  if (family == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option(socket.get(), IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error)) {
    return {};
  }
  g_socket_set_listen_backlog(socket.get(), kListenBacklog);
  if (!g_socket_bind(socket.get(), address, TRUE, error)) return {};
  if (!g_socket_listen(socket.get(), error)) return {};
  return socket;
}

}  // namespace

bool listen_on(SoupServer* server, GSocket* bound, const std::string& address, int port,
               SoupServerListenOptions options, std::string& error) {
  GError* raw_error = nullptr;
  if (bound != nullptr) {
    if (soup_server_listen_socket(server, bound, options, &raw_error)) return true;
    ErrorPtr owned(raw_error);
    error = "cannot listen on the socket the service manager bound for port " +
            std::to_string(port) + ": " + owned->message;
    return false;
  }
  GObjectPtr<GSocketAddress> socket_address(
      g_inet_socket_address_new_from_string(address.c_str(), static_cast<guint>(port)));
  if (!socket_address) {
    error = "[server] address " + address + " is not an IP address";
    return false;
  }
  const GObjectPtr<GSocket> socket = listening_socket(socket_address.get(), &raw_error);
  if (socket && soup_server_listen_socket(server, socket.get(), options, &raw_error)) return true;
  ErrorPtr owned(raw_error);
  error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + owned->message;
  return false;
}

}  // namespace kvmrtc::web
