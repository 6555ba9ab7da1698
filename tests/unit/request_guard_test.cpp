#include "web/request_guard.hpp"

#include <catch2/catch.hpp>

using kvmrtc::web::DaemonNames;
using kvmrtc::web::host_allowed;
using kvmrtc::web::origin_allowed;

namespace {
const DaemonNames kBoard =
    DaemonNames::defaults("pikvm", {"192.168.1.20", "fe80::1", "127.0.0.1"}, 8080, false);
}

TEST_CASE("Host must name this daemon: its host names or addresses, and its port", "[guard]") {
  CHECK(host_allowed("pikvm:8080", kBoard));
  CHECK(host_allowed("PiKVM.local:8080", kBoard));
  CHECK(host_allowed("localhost:8080", kBoard));
  CHECK(host_allowed("192.168.1.20:8080", kBoard));
  CHECK(host_allowed("[fe80::1]:8080", kBoard));
  CHECK_FALSE(host_allowed("pikvm:8081", kBoard));
  CHECK_FALSE(host_allowed("pikvm", kBoard));  // port 80 is not the daemon's
}

TEST_CASE("a rebound name, or a Host that does not parse, is refused", "[guard]") {
  CHECK_FALSE(host_allowed("evil.example:8080", kBoard));
  CHECK_FALSE(host_allowed("pikvm.evil.example:8080", kBoard));
  CHECK_FALSE(host_allowed("192.168.1.21:8080", kBoard));
  CHECK_FALSE(host_allowed("", kBoard));
  CHECK_FALSE(host_allowed(":8080", kBoard));
  CHECK_FALSE(host_allowed("pikvm:", kBoard));
  CHECK_FALSE(host_allowed("pikvm:99999", kBoard));
  CHECK_FALSE(host_allowed("pikvm:8080x", kBoard));
  CHECK_FALSE(host_allowed("[fe80::1:8080", kBoard));
  CHECK_FALSE(host_allowed("fe80::1:8080", kBoard));
  CHECK_FALSE(host_allowed("pikvm:8080@evil.example", kBoard));
}

TEST_CASE("the scheme's own port may be left out", "[guard]") {
  const auto plain = DaemonNames::defaults("pikvm", {"10.0.0.2"}, 80, false);
  CHECK(host_allowed("pikvm", plain));
  CHECK(host_allowed("pikvm:80", plain));
  const auto tls = DaemonNames::defaults("pikvm", {"10.0.0.2"}, 443, true);
  CHECK(host_allowed("10.0.0.2", tls));
  CHECK_FALSE(host_allowed("pikvm:80", tls));
}

TEST_CASE("Origin must be one of the daemon's own origins, scheme included", "[guard]") {
  CHECK(origin_allowed("http://pikvm:8080", kBoard));
  CHECK(origin_allowed("http://[fe80::1]:8080", kBoard));
  CHECK(origin_allowed("http://127.0.0.1:8080", kBoard));
  CHECK_FALSE(origin_allowed("https://pikvm:8080", kBoard));
  CHECK_FALSE(origin_allowed("http://evil.example:8080", kBoard));
  CHECK_FALSE(origin_allowed("http://pikvm:8081", kBoard));
  CHECK_FALSE(origin_allowed("http://127.0.0.1:9999", kBoard));  // another server on the board
  CHECK_FALSE(origin_allowed("null", kBoard));
  CHECK_FALSE(origin_allowed("http://pikvm:8080/path", kBoard));
  CHECK_FALSE(origin_allowed("http://user@pikvm:8080", kBoard));
  CHECK_FALSE(origin_allowed("", kBoard));
}

TEST_CASE("every response's policy forbids inline script, eval and framing", "[guard]") {
  std::string policy;
  for (const auto& [name, value] : kvmrtc::web::security_headers()) {
    if (name == "Content-Security-Policy") policy = value;
  }
  CHECK(policy.find("script-src 'self';") != std::string::npos);
  CHECK(policy.find("unsafe-eval") == std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
}
