// What the daemon tells systemd and takes from it: readiness, a watchdog kept alive from the
// main loop, and the listening sockets of a socket unit. Outside systemd each is a no-op.
#pragma once

#include <gio/gio.h>

#include <string>
#include <vector>

#include "util/ref_ptr.hpp"
#include "util/timer.hpp"

namespace kvmrtc::service {

// A listening socket the service manager bound for the daemon (kvmrtc.socket), known by its
// port: it binds ports below 1024 so the daemon needs no capability.
struct InheritedSocket {
  int port = 0;
  std::string address;  // as the socket is bound: "::" for all addresses
  GObjectPtr<GSocket> socket;
};

// Takes the sockets passed with LISTEN_FDS (and unsets it, so no child inherits them). Empty
// when the daemon was not socket-activated; `error` set when a passed descriptor is unusable.
std::vector<InheritedSocket> take_inherited_sockets(std::string& error);

// READY=1 with a status line `systemctl status` shows.
void notify_ready(const std::string& status);
void notify_stopping();

// With WatchdogSec= in the unit: WATCHDOG=1 from a main-loop timer at half the interval, so a
// main loop that stops turning gets the daemon restarted.
class Watchdog {
 public:
  // Returns whether systemd asked for a watchdog.
  bool start();

 private:
  Timer timer_;
};

}  // namespace kvmrtc::service
