// The port a SoupServer's first listener got from the kernel (tests listen on port 0).
#pragma once

#include <libsoup/soup.h>

#include <catch2/catch.hpp>

#include "util/ref_ptr.hpp"

inline guint16 local_port(SoupServer* server) {
  GSList* listeners = soup_server_get_listeners(server);
  REQUIRE(listeners != nullptr);
  kvmrtc::GObjectPtr<GSocketAddress> address(
      g_socket_get_local_address(G_SOCKET(listeners->data), nullptr));
  g_slist_free(listeners);
  REQUIRE(address);
  return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address.get()));
}
