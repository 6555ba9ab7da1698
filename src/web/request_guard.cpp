#include "web/request_guard.hpp"

#include <glib.h>

#include <algorithm>
#include <charconv>
#include <optional>

namespace kvmrtc::web {
namespace {

struct HostAndPort {
  std::string name;
  std::optional<int> port;
};

std::optional<HostAndPort> split_host(const std::string& text) {
  HostAndPort result;
  std::string rest;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string::npos) return std::nullopt;
    result.name = text.substr(1, close - 1);
    rest = text.substr(close + 1);
  } else {
    const std::size_t colon = text.find(':');
    result.name = text.substr(0, colon);
    rest = colon == std::string::npos ? "" : text.substr(colon);
  }
  if (result.name.empty()) return std::nullopt;
  if (!rest.empty()) {
    if (rest.front() != ':' || rest.size() == 1) return std::nullopt;
    int port = 0;
    const auto [end, problem] = std::from_chars(rest.data() + 1, rest.data() + rest.size(), port);
    if (problem != std::errc() || end != rest.data() + rest.size() || port <= 0 || port > 65535) {
      return std::nullopt;
    }
    result.port = port;
  }
  return result;
}

bool names_daemon(const HostAndPort& host, const DaemonNames& daemon) {
  const int scheme_port = daemon.tls ? 443 : 80;
  if (host.port.value_or(scheme_port) != daemon.port) return false;
  return std::any_of(daemon.names.begin(), daemon.names.end(), [&](const std::string& name) {
    return g_ascii_strcasecmp(name.c_str(), host.name.c_str()) == 0;
  });
}

}  // namespace

DaemonNames DaemonNames::defaults(const std::string& hostname,
                                  const std::vector<std::string>& addresses, int port, bool tls) {
  DaemonNames daemon{{"localhost"}, port, tls};
  if (!hostname.empty()) {
    daemon.names.push_back(hostname);
    daemon.names.push_back(hostname + ".local");
  }
  daemon.names.insert(daemon.names.end(), addresses.begin(), addresses.end());
  return daemon;
}

bool host_allowed(const std::string& host, const DaemonNames& daemon) {
  const auto parsed = split_host(host);
  return parsed && names_daemon(*parsed, daemon);
}

bool origin_allowed(const std::string& origin, const DaemonNames& daemon) {
  const std::string scheme = daemon.tls ? "https://" : "http://";
  if (origin.rfind(scheme, 0) != 0) return false;
  const std::string authority = origin.substr(scheme.size());
  if (authority.find_first_of("/?#@") != std::string::npos) return false;
  const auto parsed = split_host(authority);
  return parsed && names_daemon(*parsed, daemon);
}

std::string https_location(const std::string& host, int https_port,
                           const std::string& path_and_query) {
  const auto parsed = split_host(host);
  if (!parsed) return "";
  const bool ipv6 = parsed->name.find(':') != std::string::npos;
  const std::string name = ipv6 ? "[" + parsed->name + "]" : parsed->name;
  const std::string port = https_port == 443 ? "" : ":" + std::to_string(https_port);
  const std::string path = path_and_query.empty() || path_and_query.front() != '/'
                               ? "/" + path_and_query
                               : path_and_query;
  return "https://" + name + port + path;
}

std::vector<std::pair<std::string, std::string>> security_headers() {
  return {
      // Styles may be inline: every component carries its own <style> in its shadow root.
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
}

}  // namespace kvmrtc::web
