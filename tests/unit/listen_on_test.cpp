#include "web/listen_on.hpp"

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <deque>
#include <vector>

#include "local_port.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::GObjectPtr;
using kvmrtc::web::listen_on;

namespace {

// A TCP connection started without waiting for it; closed with the object.
class Connecting {
 public:
  explicit Connecting(guint16 port) : fd_(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  }
  Connecting(const Connecting&) = delete;
  Connecting& operator=(const Connecting&) = delete;
  ~Connecting() { close(fd_); }

  int fd() const { return fd_; }

 private:
  int fd_;
};

// How many of `connections` the kernel completes within `limit`.
int completed_within(std::deque<Connecting>& connections, std::chrono::milliseconds limit) {
  std::vector<pollfd> waiting;
  for (const auto& connection : connections) waiting.push_back({connection.fd(), POLLOUT, 0});
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int completed = 0;
  while (completed < static_cast<int>(waiting.size())) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || poll(waiting.data(), waiting.size(), left.count()) <= 0) break;
    completed = 0;
    for (auto& entry : waiting) {
      if (entry.revents & POLLOUT) entry.events = 0;
      if (entry.events == 0) ++completed;
    }
  }
  return completed;
}

constexpr auto kNoOptions = static_cast<SoupServerListenOptions>(0);

// A server listening on 127.0.0.1 at a port of the kernel's choosing.
GObjectPtr<SoupServer> listening_server() {
  GObjectPtr<SoupServer> server(SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, nullptr)));
  std::string error;
  REQUIRE(listen_on(server.get(), nullptr, "127.0.0.1", 0, kNoOptions, error));
  return server;
}

}  // namespace

TEST_CASE("connections wait in the listening queue while the daemon is busy", "[web][listen]") {
  const GObjectPtr<SoupServer> server = listening_server();
  // The main loop never runs here, so nothing is accepted, as when the daemon is busy. With
  // GLib's queue of 10 the twelfth SYN is dropped and its client tries again a second later.
  const guint16 port = local_port(server.get());
  std::deque<Connecting> connections;
  for (int i = 0; i < 64; ++i) connections.emplace_back(port);
  CHECK(completed_within(connections, std::chrono::milliseconds(500)) == 64);
}

TEST_CASE("an address in use is refused with the address and the reason", "[web][listen]") {
  const GObjectPtr<SoupServer> first = listening_server();
  const int port = local_port(first.get());
  GObjectPtr<SoupServer> second(SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, nullptr)));
  std::string error;
  CHECK_FALSE(listen_on(second.get(), nullptr, "127.0.0.1", port, kNoOptions, error));
  CHECK_THAT(error, Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(port)) &&
                        Catch::Contains("in use"));
  CHECK_FALSE(listen_on(second.get(), nullptr, "kvm.local", 80, kNoOptions, error));
  CHECK(error == "[server] address kvm.local is not an IP address");
}
