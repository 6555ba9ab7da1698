#include "web/soup_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "web/http_reply.hpp"
#include "web/listen_on.hpp"

using kvmrtc::GObjectPtr;
using kvmrtc::web::listen_on;
using kvmrtc::web::make_soup_server;
using kvmrtc::web::respond;

namespace {

// Every socket the server accepts, and how many of those are gone.
struct SocketCensus {
  int accepted = 0;
  int freed = 0;
};

void count_sockets(SoupServer* server, SocketCensus& census) {
  g_signal_connect(
      server, "request-started",
      G_CALLBACK(+[](SoupServer*, SoupServerMessage* message, gpointer data) {
        GSocket* socket = soup_server_message_get_socket(message);
        constexpr char kCounted[] = "test-counted";
        if (g_object_get_data(G_OBJECT(socket), kCounted) != nullptr) return;
        g_object_set_data(G_OBJECT(socket), kCounted, GINT_TO_POINTER(TRUE));
        auto* census = static_cast<SocketCensus*>(data);
        ++census->accepted;
        g_object_weak_ref(
            G_OBJECT(socket),
            [](gpointer census, GObject*) { ++static_cast<SocketCensus*>(census)->freed; }, census);
      }),
      &census);
}

guint16 local_port(SoupServer* server) {
  GSList* listeners = soup_server_get_listeners(server);
  REQUIRE(listeners != nullptr);
  GObjectPtr<GSocketAddress> address(
      g_socket_get_local_address(G_SOCKET(listeners->data), nullptr));
  g_slist_free(listeners);
  return g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(address.get()));
}

int connect_to(guint16 port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 ? fd : -1;
}

// Sends a GET request, reads the answer to its end (the daemon closes every connection after
// its answer), and closes the connection; true when the answer was 200.
bool ask(guint16 port) {
  const int fd = connect_to(port);
  if (fd < 0) return false;
  const std::string request = "GET / HTTP/1.1\r\nHost: kvm\r\n\r\n";
  std::string reply;
  if (write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char chunk[512];
    for (ssize_t got; (got = read(fd, chunk, sizeof chunk)) > 0;) {
      reply.append(chunk, static_cast<std::size_t>(got));
    }
  }
  close(fd);
  return reply.starts_with("HTTP/1.1 200");
}

// Runs the default main context until `done` holds or five seconds pass.
template <typename Done>
bool run_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    g_main_context_iteration(nullptr, FALSE);
    std::this_thread::yield();
  }
  return done();
}

}  // namespace

TEST_CASE("every socket the server accepts is freed once its connection ends", "[web][soup]") {
  SocketCensus census;
  {
    const GObjectPtr<SoupServer> server = make_soup_server();
    soup_server_add_handler(
        server.get(), "/",
        [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer) {
          respond(message, SOUP_STATUS_OK, "text/plain", "ok");
        },
        nullptr, nullptr);
    count_sockets(server.get(), census);
    std::string error;
    REQUIRE(listen_on(server.get(), nullptr, "127.0.0.1", 0,
                      static_cast<SoupServerListenOptions>(0), error));
    const guint16 port = local_port(server.get());

    // Requests, each on a connection of its own, and connections closed before their first
    // byte, as a browser's spare connections often are.
    int answered = 0;
    std::thread clients([&] {
      for (int i = 0; i < 10; ++i) answered += ask(port) ? 1 : 0;
      for (int i = 0; i < 2; ++i) close(connect_to(port));
    });
    const bool all_freed = run_until([&] { return census.accepted == 12 && census.freed == 12; });
    clients.join();
    INFO("accepted " << census.accepted << ", freed " << census.freed);
    CHECK(answered == 10);
    CHECK(all_freed);
  }
}
