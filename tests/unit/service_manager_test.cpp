// What the daemon tells systemd, read from a notify socket of the test's own, as systemd reads
// it: libsystemd's real sd_notify over a real datagram socket.
#include "service/service_manager.hpp"

#include <gio/gunixsocketaddress.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "temp_dir.hpp"

namespace {

using kvmrtc::GObjectPtr;

struct NotifySocket {
  explicit NotifySocket(const std::string& path) {
    socket.reset(g_socket_new(G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_DATAGRAM,
                              G_SOCKET_PROTOCOL_DEFAULT, nullptr));
    REQUIRE(socket);
    GObjectPtr<GSocketAddress> address(g_unix_socket_address_new(path.c_str()));
    REQUIRE(g_socket_bind(socket.get(), address.get(), TRUE, nullptr));
    g_setenv("NOTIFY_SOCKET", path.c_str(), TRUE);
  }
  ~NotifySocket() {
    g_unsetenv("NOTIFY_SOCKET");
    g_unsetenv("WATCHDOG_USEC");
    g_unsetenv("WATCHDOG_PID");
  }

  bool readable() const { return g_socket_condition_check(socket.get(), G_IO_IN) & G_IO_IN; }

  std::string receive() {
    char buffer[512];
    g_socket_set_timeout(socket.get(), 5);
    const gssize size = g_socket_receive(socket.get(), buffer, sizeof buffer, nullptr, nullptr);
    REQUIRE(size > 0);
    return std::string(buffer, static_cast<std::size_t>(size));
  }

  GObjectPtr<GSocket> socket;
};

}  // namespace

TEST_CASE("notify_ready tells systemd READY=1 with the status line", "[service]") {
  TempDir dir;
  NotifySocket systemd((dir / "notify").string());
  kvmrtc::service::notify_ready("listening on https://127.0.0.1/");
  CHECK(systemd.receive() == "READY=1\nSTATUS=listening on https://127.0.0.1/");
  kvmrtc::service::notify_stopping();
  CHECK(systemd.receive() == "STOPPING=1");
}

TEST_CASE("the watchdog is fed from the main loop at half the interval systemd asks for",
          "[service]") {
  TempDir dir;
  NotifySocket systemd((dir / "notify").string());
  kvmrtc::service::Watchdog unasked;
  CHECK_FALSE(unasked.start());

  g_setenv("WATCHDOG_USEC", "200000", TRUE);
  g_setenv("WATCHDOG_PID", std::to_string(getpid()).c_str(), TRUE);
  kvmrtc::service::Watchdog watchdog;
  REQUIRE(watchdog.start());
  const gint64 started = g_get_monotonic_time();
  // Nothing arrives but from the main loop's timer: turn it until a datagram is there.
  for (int turns = 0; turns < 100 && !systemd.readable(); ++turns) {
    g_main_context_iteration(nullptr, TRUE);
  }
  const gint64 waited_ms = (g_get_monotonic_time() - started) / 1000;
  CHECK(systemd.receive() == "WATCHDOG=1");
  CHECK(waited_ms >= 90);
  CHECK(waited_ms < 1000);
}
