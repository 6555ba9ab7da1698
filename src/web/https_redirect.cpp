#include "web/https_redirect.hpp"

#include "util/log.hpp"
#include "web/http_reply.hpp"
#include "web/listen_on.hpp"
#include "web/soup_server.hpp"

namespace kvmrtc::web {

HttpsRedirect::HttpsRedirect(DaemonNames https_names)
    : https_names_(std::move(https_names)), server_(make_soup_server()) {
  soup_server_add_early_handler(
      server_.get(), "/",
      [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer data) {
        static_cast<HttpsRedirect*>(data)->answer(message);
      },
      this, nullptr);
  soup_server_add_handler(
      server_.get(), "/",
      [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer data) {
        static_cast<HttpsRedirect*>(data)->answer(message);
      },
      this, nullptr);
}

HttpsRedirect::~HttpsRedirect() {
  soup_server_disconnect(server_.get());
}

bool HttpsRedirect::listen(GSocket* bound, const std::string& address, int port,
                           std::string& error) {
  if (!listen_on(server_.get(), bound, address, port, static_cast<SoupServerListenOptions>(0),
                 error)) {
    error = "[server] http-redirect-port: " + error;
    return false;
  }
  plain_names_ = DaemonNames{https_names_.names, port, false};
  log::info("plain HTTP on port %d redirects to HTTPS on port %d", port, https_names_.port);
  return true;
}

void HttpsRedirect::answer(SoupServerMessage* message) {
  if (soup_server_message_get_status(message) != SOUP_STATUS_NONE) return;
  // The early handler answers before a body is read; the normal one sees a request only
  // when the early one let it through, which it never does.
  SoupMessageHeaders* headers = soup_server_message_get_request_headers(message);
  const char* host = soup_message_headers_get_one(headers, "Host");
  if (host == nullptr || !host_allowed(host, plain_names_)) {
    respond(message, SOUP_STATUS_MISDIRECTED_REQUEST, "text/plain",
            "this kvmrtc does not answer to that host name\n");
    return;
  }
  GUri* uri = soup_server_message_get_uri(message);
  std::string path = g_uri_get_path(uri);
  if (const char* query = g_uri_get_query(uri)) path += std::string("?") + query;
  if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CHUNKED ||
      soup_message_headers_get_content_length(headers) > kMaxRequestBodyBytes) {
    refuse_unread_body(message);
    return;
  }
  redirect(message, SOUP_STATUS_PERMANENT_REDIRECT, https_location(host, https_names_.port, path));
}

}  // namespace kvmrtc::web
