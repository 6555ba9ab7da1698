#include "web/soup_server.hpp"

namespace kvmrtc::web {
namespace {

constexpr char kExtraRefDropped[] = "kvmrtc-accept-ref-dropped";

// The first message of a connection starts as it is accepted, when its socket's only owners are
// the connection and, on an affected libsoup, the listener's forgotten reference. A libsoup that
// has the fix (a distribution may backport it) shows one reference there, and is left alone.
void drop_listener_ref(SoupServer*, SoupServerMessage* message, gpointer) {
  GSocket* socket = soup_server_message_get_socket(message);
  if (socket == nullptr || g_object_get_data(G_OBJECT(socket), kExtraRefDropped) != nullptr) {
    return;
  }
  g_object_set_data(G_OBJECT(socket), kExtraRefDropped, GINT_TO_POINTER(TRUE));
  const bool affected = soup_get_major_version() == 3 && soup_get_minor_version() < 4;
  if (affected && g_atomic_int_get(&G_OBJECT(socket)->ref_count) == 2) g_object_unref(socket);
}

}  // namespace

GObjectPtr<SoupServer> make_soup_server() {
  GObjectPtr<SoupServer> server(
      SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, "server-header", "kvmrtc", nullptr)));
  g_signal_connect(server.get(), "request-started", G_CALLBACK(drop_listener_ref), nullptr);
  return server;
}

}  // namespace kvmrtc::web
