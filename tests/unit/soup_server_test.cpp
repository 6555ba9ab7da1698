#include "web/soup_server.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <thread>

#include "local_port.hpp"
#include "tls/self_signed.hpp"
#include "web/http_reply.hpp"
#include "web/listen_on.hpp"

using kvmrtc::GObjectPtr;
using kvmrtc::tls::make_self_signed;
using kvmrtc::web::listen_on;
using kvmrtc::web::make_soup_server;
using kvmrtc::web::respond;

namespace {

// Each connection the server accepted, by the two things libsoup 3.2 kept of it: how many
// sockets and first messages were made, and how many of each are gone.
struct Census {
  int accepted = 0;
  int sockets_freed = 0;
  int first_messages_freed = 0;
};

void take_census(SoupServer* server, Census& census) {
  g_signal_connect(
      server, "request-started",
      G_CALLBACK(+[](SoupServer*, SoupServerMessage* message, gpointer data) {
        GSocket* socket = soup_server_message_get_socket(message);
        constexpr char kCounted[] = "test-counted";
        if (g_object_get_data(G_OBJECT(socket), kCounted) != nullptr) return;
        g_object_set_data(G_OBJECT(socket), kCounted, GINT_TO_POINTER(TRUE));
        auto* census = static_cast<Census*>(data);
        ++census->accepted;
        g_object_weak_ref(
            G_OBJECT(socket),
            [](gpointer census, GObject*) { ++static_cast<Census*>(census)->sockets_freed; },
            census);
        g_object_weak_ref(
            G_OBJECT(message),
            [](gpointer census, GObject*) { ++static_cast<Census*>(census)->first_messages_freed; },
            census);
      }),
      &census);
}

// A server as the daemon runs it, answering "ok" on 127.0.0.1 at a port of the kernel's choice.
GObjectPtr<SoupServer> answering_server(Census& census) {
  GObjectPtr<SoupServer> server = make_soup_server();
  soup_server_add_handler(
      server.get(), "/",
      [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer) {
        respond(message, SOUP_STATUS_OK, "text/plain", "ok");
      },
      nullptr, nullptr);
  take_census(server.get(), census);
  return server;
}

void listen_locally(SoupServer* server,
                    SoupServerListenOptions options = static_cast<SoupServerListenOptions>(0)) {
  std::string error;
  REQUIRE(listen_on(server, nullptr, "127.0.0.1", 0, options, error));
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
  Census census;
  {
    const GObjectPtr<SoupServer> server = answering_server(census);
    listen_locally(server.get());
    const guint16 port = local_port(server.get());
    // Requests, each on a connection of its own, and connections closed before their first
    // byte, as a browser's spare connections often are.
    int answered = 0;
    std::thread clients([&] {
      for (int i = 0; i < 10; ++i) answered += ask(port) ? 1 : 0;
      for (int i = 0; i < 2; ++i) close(connect_to(port));
    });
    const bool all_freed =
        run_until([&] { return census.accepted == 12 && census.sockets_freed == 12; });
    clients.join();
    INFO("accepted " << census.accepted << ", sockets freed " << census.sockets_freed);
    CHECK(answered == 10);
    CHECK(all_freed);
    CHECK(census.first_messages_freed == 12);
  }
}

TEST_CASE("a connection whose TLS handshake fails is freed whole", "[web][soup]") {
  Census census;
  {
    const GObjectPtr<SoupServer> server = answering_server(census);
    const auto made = make_self_signed({"kvm", {"kvm"}, {"127.0.0.1"}, 30});
    REQUIRE(made.error.empty());
    GError* raw_error = nullptr;
    GObjectPtr<GTlsCertificate> certificate(g_tls_certificate_new_from_pem(
        (made.certificate_pem + made.key_pem).c_str(), -1, &raw_error));
    REQUIRE(certificate);
    soup_server_set_tls_certificate(server.get(), certificate.get());
    listen_locally(server.get(), SOUP_SERVER_LISTEN_HTTPS);
    const guint16 port = local_port(server.get());
    // Plain HTTP to the HTTPS port, as a mistyped address or a scanner sends.
    int refused = 0;
    std::thread clients([&] {
      for (int i = 0; i < 5; ++i) refused += ask(port) ? 0 : 1;
    });
    const bool all_freed =
        run_until([&] { return census.accepted == 5 && census.first_messages_freed == 5; });
    clients.join();
    INFO("accepted " << census.accepted << ", first messages freed "
                     << census.first_messages_freed);
    CHECK(refused == 5);
    CHECK(all_freed);
    CHECK(census.sockets_freed == 5);
  }
}
