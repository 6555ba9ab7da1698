#include "web/server.hpp"

#include <string>
#include <vector>

#include "signaling/messages.hpp"
#include "util/log.hpp"

namespace kvmrtc::web {
namespace {

void respond(SoupServerMessage* message, guint status, const char* content_type,
             const std::string& body) {
  soup_server_message_set_status(message, status, nullptr);
  SoupMessageHeaders* headers = soup_server_message_get_response_headers(message);
  soup_message_headers_replace(headers, "Cache-Control", "no-cache");
  soup_message_headers_replace(headers, "X-Content-Type-Options", "nosniff");
  // libsoup 3.2 never closes an idle keep-alive connection that the client has closed: each
  // would stay in CLOSE-WAIT holding a file descriptor (fixed upstream in 3.3). Closing after
  // every response costs a loopback or LAN handshake for a handful of small files.
  soup_message_headers_replace(headers, "Connection", "close");
  soup_server_message_set_response(message, content_type, SOUP_MEMORY_COPY, body.data(),
                                   body.size());
}

bool is_read_method(SoupServerMessage* message) {
  const char* method = soup_server_message_get_method(message);
  return g_strcmp0(method, "GET") == 0 || g_strcmp0(method, "HEAD") == 0;
}

// A page from another site must not drive the KVM through the visitor's browser: the
// WebSocket's Origin has to name the host the page was served from.
bool same_origin(SoupServerMessage* message) {
  SoupMessageHeaders* headers = soup_server_message_get_request_headers(message);
  const char* origin = soup_message_headers_get_one(headers, "Origin");
  const char* host = soup_message_headers_get_one(headers, "Host");
  if (origin == nullptr) return true;  // not a browser: nothing to forge
  if (host == nullptr) return false;
  GUri* parsed = g_uri_parse(origin, G_URI_FLAGS_NONE, nullptr);
  if (parsed == nullptr) return false;
  Owned<GUri, g_uri_unref> uri(parsed);
  std::string origin_host = g_uri_get_host(uri.get()) ? g_uri_get_host(uri.get()) : "";
  if (origin_host.find(':') != std::string::npos) origin_host = "[" + origin_host + "]";
  if (g_uri_get_port(uri.get()) > 0) origin_host += ":" + std::to_string(g_uri_get_port(uri.get()));
  return origin_host == host;
}

// The decoders the page lists in the socket's URL: /api/ws?codecs=VP8,H264.
std::vector<std::string> browser_codecs(SoupServerMessage* message) {
  const char* query = g_uri_get_query(soup_server_message_get_uri(message));
  if (query == nullptr) return {};
  Owned<GHashTable, g_hash_table_unref> form(soup_form_decode(query));
  const auto* codecs = static_cast<const char*>(g_hash_table_lookup(form.get(), "codecs"));
  return codecs != nullptr ? signaling::parse_codec_list(codecs) : std::vector<std::string>{};
}

}  // namespace

Server::Server(StaticFiles files, SessionHub& hub, StatusSource status)
    : files_(std::move(files)),
      hub_(hub),
      status_(std::move(status)),
      server_(SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, "server-header", "kvmrtc", nullptr))) {
  soup_server_add_handler(
      server_.get(), "/api/status",
      [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer data) {
        static_cast<Server*>(data)->serve_status(message);
      },
      this, nullptr);
  soup_server_add_websocket_handler(
      server_.get(), "/api/ws", nullptr, nullptr,
      [](SoupServer*, SoupServerMessage* message, const char*, SoupWebsocketConnection* connection,
         gpointer data) { static_cast<Server*>(data)->accept_websocket(message, connection); },
      this, nullptr);
  soup_server_add_handler(
      server_.get(), "/",
      [](SoupServer*, SoupServerMessage* message, const char* path, GHashTable*, gpointer data) {
        static_cast<Server*>(data)->serve_static(message, path);
      },
      this, nullptr);
}

Server::~Server() {
  soup_server_disconnect(server_.get());
}

std::string Server::listen(const config::ServerSettings& settings, std::string& error) {
  GError* raw_error = nullptr;
  SoupServerListenOptions options = static_cast<SoupServerListenOptions>(0);
  if (!settings.tls_certificate.empty()) {
    GTlsCertificate* certificate = g_tls_certificate_new_from_files(
        settings.tls_certificate.c_str(), settings.tls_key.c_str(), &raw_error);
    if (certificate == nullptr) {
      ErrorPtr owned(raw_error);
      error = std::string("TLS certificate: ") + owned->message;
      return "";
    }
    GObjectPtr<GTlsCertificate> owned_certificate(certificate);
    soup_server_set_tls_certificate(server_.get(), certificate);
    options = SOUP_SERVER_LISTEN_HTTPS;
  }
  GObjectPtr<GSocketAddress> address(g_inet_socket_address_new_from_string(
      settings.address.c_str(), static_cast<guint>(settings.port)));
  if (!address) {
    error = "[server] address " + settings.address + " is not an IP address";
    return "";
  }
  if (!soup_server_listen(server_.get(), address.get(), options, &raw_error)) {
    ErrorPtr owned(raw_error);
    error = "cannot listen on " + settings.address + ":" + std::to_string(settings.port) + ": " +
            owned->message;
    return "";
  }
  GSList* uris = soup_server_get_uris(server_.get());
  std::string url;
  if (uris != nullptr) {
    CharPtr text(g_uri_to_string(static_cast<GUri*>(uris->data)));
    url = text.get();
  }
  g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
  return url;
}

void Server::serve_static(SoupServerMessage* message, const char* path) {
  if (!is_read_method(message)) {
    respond(message, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
    return;
  }
  const StaticFile* file = files_.find(path);
  if (file == nullptr) {
    respond(message, SOUP_STATUS_NOT_FOUND, "text/plain", "not found\n");
    return;
  }
  // The capture pipeline and encoder take about a second to start; the page takes about as
  // long to load its modules and negotiate. Starting both at once halves the wait for the
  // first frame.
  if (file == files_.find("/")) hub_.page_requested();
  respond(message, SOUP_STATUS_OK, file->content_type.c_str(), file->content);
}

void Server::serve_status(SoupServerMessage* message) {
  if (!is_read_method(message)) {
    respond(message, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
    return;
  }
  respond(message, SOUP_STATUS_OK, "application/json", status_());
}

void Server::accept_websocket(SoupServerMessage* message, SoupWebsocketConnection* connection) {
  if (!same_origin(message)) {
    log::warning("refused a signaling socket from a page of another origin");
    soup_websocket_connection_close(connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                    "cross-origin");
    return;
  }
  hub_.open(connection, browser_codecs(message));
}

}  // namespace kvmrtc::web
