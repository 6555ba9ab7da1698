#include "web/soup_server.hpp"

namespace kvmrtc::web {
namespace {

constexpr char kFirstMessageSeen[] = "kvmrtc-first-message-seen";
constexpr char kConnected[] = "kvmrtc-connected";

bool libsoup_before(guint minor) {
  return soup_get_major_version() == 3 && soup_get_minor_version() < minor;
}

// At its first message a connection's socket has two owners on an affected libsoup: the
// connection and the listener's forgotten reference. A libsoup with the fix (a distribution may
// backport it) shows one, and is left alone.
void drop_listener_ref(GSocket* socket) {
  if (libsoup_before(4) && g_atomic_int_get(&G_OBJECT(socket)->ref_count) == 2) {
    g_object_unref(socket);
  }
}

// A first message that never saw its connection connect (a failed TLS handshake) is owned by
// nothing but that connection, and owns it in turn. Once the connection is down it is let go,
// from the main loop rather than inside libsoup's own signal.
void release_when_never_connected(SoupServerMessage* message) {
  g_signal_connect(message, "connected", G_CALLBACK(+[](SoupServerMessage* message, gpointer) {
                     g_object_set_data(G_OBJECT(message), kConnected, GINT_TO_POINTER(TRUE));
                   }),
                   nullptr);
  g_signal_connect(message, "disconnected", G_CALLBACK(+[](SoupServerMessage* message, gpointer) {
                     if (g_object_get_data(G_OBJECT(message), kConnected) != nullptr) return;
                     g_object_set_data(G_OBJECT(message), kConnected, GINT_TO_POINTER(TRUE));
                     g_idle_add_full(
                         G_PRIORITY_DEFAULT,
                         [](gpointer message) {
                           // Ours and the connection's, with nothing else that could still use it.
                           if (g_atomic_int_get(&G_OBJECT(message)->ref_count) == 2)
                             g_object_unref(message);
                           return G_SOURCE_REMOVE;
                         },
                         g_object_ref(message), g_object_unref);
                   }),
                   nullptr);
}

// The first message of a connection starts as it is accepted, before the TLS handshake.
void repair_first_message(SoupServer*, SoupServerMessage* message, gpointer) {
  GSocket* socket = soup_server_message_get_socket(message);
  if (socket == nullptr || g_object_get_data(G_OBJECT(socket), kFirstMessageSeen) != nullptr) {
    return;
  }
  g_object_set_data(G_OBJECT(socket), kFirstMessageSeen, GINT_TO_POINTER(TRUE));
  drop_listener_ref(socket);
  if (libsoup_before(3)) release_when_never_connected(message);
}

}  // namespace

GObjectPtr<SoupServer> make_soup_server() {
  GObjectPtr<SoupServer> server(
      SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, "server-header", "kvmrtc", nullptr)));
  g_signal_connect(server.get(), "request-started", G_CALLBACK(repair_first_message), nullptr);
  return server;
}

}  // namespace kvmrtc::web
