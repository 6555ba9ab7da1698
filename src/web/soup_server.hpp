// The SoupServer kvmrtc runs, made in one place so that every one of them (the daemon's, the
// plain-HTTP redirect's) gets the same name and the same repair of libsoup 3.2.
#pragma once

#include <libsoup/soup.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::web {

// A server that says it is kvmrtc and frees the socket of every connection it accepted.
//
// libsoup before 3.4 keeps one reference too many to each socket it accepts: its listener never
// drops the one g_socket_accept() gave it (upstream b545d5f0, "soup-listener: Plug a leak",
// first in 3.4.0; Debian 12 ships 3.2.3). The descriptor is closed, but every page load, scrape
// and WebSocket leaves its GSocket behind for good, the daemon's largest growth over weeks.
GObjectPtr<SoupServer> make_soup_server();

}  // namespace kvmrtc::web
