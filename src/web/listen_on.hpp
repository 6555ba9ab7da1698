// One listener of a SoupServer: on a socket bound already (socket activation), or on an
// address and port it binds itself.
#pragma once

#include <libsoup/soup.h>

#include <string>

namespace kvmrtc::web {

// Returns false with `error` naming the address and port when it cannot listen.
bool listen_on(SoupServer* server, GSocket* bound, const std::string& address, int port,
               SoupServerListenOptions options, std::string& error);

}  // namespace kvmrtc::web
