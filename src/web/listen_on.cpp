#include "web/listen_on.hpp"

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

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
  if (soup_server_listen(server, socket_address.get(), options, &raw_error)) return true;
  ErrorPtr owned(raw_error);
  error = "cannot listen on " + address + ":" + std::to_string(port) + ": " + owned->message;
  return false;
}

}  // namespace kvmrtc::web
