#include "web/http_reply.hpp"

#include "util/ref_ptr.hpp"
#include "web/request_guard.hpp"

namespace kvmrtc::web {

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

void respond_json(SoupServerMessage* message, guint status, const std::string& json) {
  respond(message, status, "application/json", json);
}

void redirect(SoupServerMessage* message, guint status, const std::string& location) {
  respond(message, status, "text/plain", "see " + location + "\n");
  soup_message_headers_replace(soup_server_message_get_response_headers(message), "Location",
                               location.c_str());
}

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

std::string peer_address(SoupServerMessage* message) {
  const char* host = soup_server_message_get_remote_host(message);
  return host != nullptr ? host : "?";
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

}  // namespace kvmrtc::web
