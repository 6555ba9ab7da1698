// The SoupServer kvmrtc runs, made in one place so that every one of them (the daemon's, the
// plain-HTTP redirect's) gets the same name and the same repairs of libsoup 3.2.
#pragma once

#include <libsoup/soup.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

// A server that says it is kvmrtc and frees what each connection it accepted held, once the
// connection ends. Debian 12 ships libsoup 3.2.3, which keeps two things for good:
// - the socket of every connection: its listener never drops the reference g_socket_accept()
//   gave it (upstream b545d5f0, "soup-listener: Plug a leak", first in 3.4.0). The descriptor
//   is closed, but each page load, scrape and WebSocket left its GSocket behind;
// - a TLS connection whose handshake fails, whole: the connection and its first message hold
//   each other (upstream 6308303e, "server-connection: fix dep cycle and connection leak", first
//   in 3.3.0). About 30 KB each, GnuTLS's session included: plain HTTP sent to the HTTPS port,
//   a scanner, or a browser that refuses the certificate, each left that much.
GObjectPtr<SoupServer> make_soup_server();

}  // namespace kvmrtc::web
