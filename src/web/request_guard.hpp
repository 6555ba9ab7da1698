// Who may talk to the daemon at all, decided from a request's headers before anything else
// (pure). The Host header must name this daemon, which defeats DNS rebinding: a page at
// evil.example whose name an attacker points at the board sends `Host: evil.example`. A
// browser's Origin must be one of the daemon's own origins, so another site's page cannot drive
// the KVM through its visitor's browser.
#pragma once

#include <string>
#include <vector>

namespace kvmrtc::web {

struct DaemonNames {
  std::vector<std::string> names;  // host names and IP addresses (IPv6 without brackets)
  int port = 0;                    // the port the daemon listens on
  bool tls = false;

  // The default names: `hostname`, `hostname.local`, localhost, and `addresses` (the listen
  // address, and every interface address when it listens on all of them).
  static DaemonNames defaults(const std::string& hostname,
                              const std::vector<std::string>& addresses, int port, bool tls);
};

// `Host: name[:port]` (IPv6 in brackets); the port may be left out only where it is the
// scheme's own (80, 443). Names compare without case.
bool host_allowed(const std::string& host, const DaemonNames& daemon);

// `Origin: scheme://name[:port]`: the daemon's scheme, one of its names, its port.
bool origin_allowed(const std::string& origin, const DaemonNames& daemon);

// Where a plain-HTTP request with this Host header goes on the HTTPS port: the same name, that
// port, the same path and query; empty when the Host does not parse.
std::string https_location(const std::string& host, int https_port,
                           const std::string& path_and_query);

// The headers every response carries: a Content-Security-Policy that allows no inline script
// and no eval and no framing, no MIME sniffing, no Referer.
std::vector<std::pair<std::string, std::string>> security_headers();

// Request bodies above this are refused (413) before they are read: the API takes small JSON.
inline constexpr long kMaxRequestBodyBytes = 64 * 1024;

}  // namespace kvmrtc::web
