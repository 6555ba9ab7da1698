#include "service/service_manager.hpp"

#include <systemd/sd-daemon.h>

#include <chrono>

#include "util/log.hpp"

namespace kvmrtc::service {

std::vector<InheritedSocket> take_inherited_sockets(std::string& error) {
  std::vector<InheritedSocket> sockets;
  const int count = sd_listen_fds(1);
  if (count < 0) {
    error = std::string("cannot take the service manager's sockets: ") + g_strerror(-count);
    return sockets;
  }
  for (int fd = SD_LISTEN_FDS_START; fd < SD_LISTEN_FDS_START + count; ++fd) {
    if (sd_is_socket_inet(fd, AF_UNSPEC, SOCK_STREAM, 1, 0) <= 0) {
      error = "the service manager passed descriptor " + std::to_string(fd) +
              ", which is not a listening TCP socket (ListenStream= in kvmrtc.socket)";
      return {};
    }
    GError* raw_error = nullptr;
    GObjectPtr<GSocket> socket(g_socket_new_from_fd(fd, &raw_error));
    ErrorPtr failure(raw_error);
    if (!socket) {
      error =
          "cannot use the service manager's socket " + std::to_string(fd) + ": " + failure->message;
      return {};
    }
    GObjectPtr<GSocketAddress> local(g_socket_get_local_address(socket.get(), nullptr));
    auto* inet = G_INET_SOCKET_ADDRESS(local.get());
    CharPtr address(g_inet_address_to_string(g_inet_socket_address_get_address(inet)));
    sockets.push_back({g_inet_socket_address_get_port(inet), address.get(), std::move(socket)});
  }
  return sockets;
}

void notify_ready(const std::string& status) {
  sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

bool Watchdog::start() {
  std::uint64_t interval_us = 0;
  if (sd_watchdog_enabled(0, &interval_us) <= 0 || interval_us == 0) return false;
  const auto half = std::chrono::milliseconds(interval_us / 2000);
  timer_.start_repeating(half, [] { sd_notify(0, "WATCHDOG=1"); });
  log::info("watchdog: the main loop reports every %lld ms", static_cast<long long>(half.count()));
  return true;
}

}  // namespace kvmrtc::service
