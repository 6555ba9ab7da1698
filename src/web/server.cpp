#include "web/server.hpp"

#include <string>
#include <vector>

#include "media/local_addresses.hpp"
#include "signaling/messages.hpp"
#include "util/log.hpp"
#include "web/request_guard.hpp"

namespace kvmrtc::web {
namespace {

void respond(SoupServerMessage* message, guint status, const char* content_type,
             const std::string& body) {
  soup_server_message_set_status(message, status, nullptr);
  SoupMessageHeaders* headers = soup_server_message_get_response_headers(message);
  for (const auto& [name, value] : security_headers()) {
    soup_message_headers_replace(headers, name.c_str(), value.c_str());
  }
  // The page revalidates its files; what the API says is never kept anywhere.
  const char* path = g_uri_get_path(soup_server_message_get_uri(message));
  soup_message_headers_replace(headers, "Cache-Control",
                               g_str_has_prefix(path, "/api/") ? "no-store" : "no-cache");
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

bool changes_state(SoupServerMessage* message) {
  const char* method = soup_server_message_get_method(message);
  return g_strcmp0(method, "POST") == 0 || g_strcmp0(method, "PUT") == 0 ||
         g_strcmp0(method, "DELETE") == 0 || g_strcmp0(method, "PATCH") == 0;
}

std::string peer_address(SoupServerMessage* message) {
  const char* host = soup_server_message_get_remote_host(message);
  return host != nullptr ? host : "?";
}

// Every address this daemon may be reached at: the one it listens on, or, listening on all of
// them, each interface's.
std::vector<std::string> listen_addresses(const std::string& address) {
  if (address != "0.0.0.0" && address != "::") return {address};
  return media::local_addresses();
}

// The decoders the page lists in the socket's URL: /api/ws?codecs=VP8,H264.
std::vector<std::string> browser_codecs(SoupServerMessage* message) {
  const char* query = g_uri_get_query(soup_server_message_get_uri(message));
  if (query == nullptr) return {};
  Owned<GHashTable, g_hash_table_unref> form(soup_form_decode(query));
  const auto* codecs = static_cast<const char*>(g_hash_table_lookup(form.get(), "codecs"));
  return codecs != nullptr ? signaling::parse_codec_list(codecs) : std::vector<std::string>{};
}

// libsoup reads a body even when the early handler has answered: the connection is taken
// from it, answered 413 and closed, and the body is never read.
void refuse_unread_body(SoupServerMessage* message) {
  static constexpr char kAnswer[] =
      "HTTP/1.1 413 Content Too Large\r\nContent-Type: text/plain\r\n"
      "X-Content-Type-Options: nosniff\r\nConnection: close\r\nContent-Length: 37\r\n\r\n"
      "request bodies are limited to 64 KiB\n";
  GIOStream* stream = soup_server_message_steal_connection(message);
  g_output_stream_write_all_async(
      g_io_stream_get_output_stream(stream), kAnswer, sizeof kAnswer - 1, G_PRIORITY_DEFAULT,
      nullptr,
      [](GObject* source, GAsyncResult* result, gpointer data) {
        GObjectPtr<GIOStream> owned(G_IO_STREAM(data));
        g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), result, nullptr, nullptr);
        g_io_stream_close_async(owned.get(), G_PRIORITY_DEFAULT, nullptr, nullptr, nullptr);
      },
      stream);
}

}  // namespace

Server::Server(StaticFiles files, SessionHub& hub, StatusSource status)
    : files_(std::move(files)),
      hub_(hub),
      status_(std::move(status)),
      server_(SOUP_SERVER(g_object_new(SOUP_TYPE_SERVER, "server-header", "kvmrtc", nullptr))) {
  // Before any handler, and before a body is read. libsoup runs the early handler of the path's
  // own handler only, so each path gets it.
  for (const char* path : {"/", "/api/status", "/api/ws"}) {
    soup_server_add_early_handler(
        server_.get(), path,
        [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer data) {
          static_cast<Server*>(data)->guard(message);
        },
        this, nullptr);
  }
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
  int port = settings.port;
  if (uris != nullptr) {
    CharPtr text(g_uri_to_string(static_cast<GUri*>(uris->data)));
    url = text.get();
    port = g_uri_get_port(static_cast<GUri*>(uris->data));
  }
  g_slist_free_full(uris, reinterpret_cast<GDestroyNotify>(g_uri_unref));
  const bool tls = options == SOUP_SERVER_LISTEN_HTTPS;
  const auto addresses = listen_addresses(settings.address);
  if (settings.hostnames.empty()) {
    names_ = DaemonNames::defaults(g_get_host_name(), addresses, port, tls);
  } else {
    names_ = DaemonNames{settings.hostnames, port, tls};
    names_.names.insert(names_.names.end(), addresses.begin(), addresses.end());
  }
  return url;
}

void Server::guard(SoupServerMessage* message) {
  SoupMessageHeaders* headers = soup_server_message_get_request_headers(message);
  const char* host = soup_message_headers_get_one(headers, "Host");
  if (host == nullptr || !host_allowed(host, names_)) {
    log::warning(
        "refused a request from %s for the host '%s', not a name of this kvmrtc "
        "([server] hostnames)",
        peer_address(message).c_str(), host != nullptr ? host : "");
    respond(message, SOUP_STATUS_MISDIRECTED_REQUEST, "text/plain",
            "this kvmrtc does not answer to that host name\n");
    return;
  }
  // A request without Origin is a script's, not a page's: nothing a browser could forge.
  const char* origin = soup_message_headers_get_one(headers, "Origin");
  const char* path = g_uri_get_path(soup_server_message_get_uri(message));
  const bool needs_same_origin = changes_state(message) || g_strcmp0(path, "/api/ws") == 0;
  if (origin != nullptr && needs_same_origin && !origin_allowed(origin, names_)) {
    log::warning("refused a request from %s by a page of another origin (%s)",
                 peer_address(message).c_str(), origin);
    respond(message, SOUP_STATUS_FORBIDDEN, "text/plain", "cross-origin request refused\n");
    return;
  }
  const bool chunked = soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CHUNKED;
  const goffset length = soup_message_headers_get_content_length(headers);
  if (chunked || length > kMaxRequestBodyBytes) {
    const std::string size = chunked ? "chunked" : std::to_string(length) + "-byte";
    log::warning("refused a %s request body from %s", size.c_str(), peer_address(message).c_str());
    refuse_unread_body(message);
  }
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
  hub_.open(connection, browser_codecs(message));
}

}  // namespace kvmrtc::web
