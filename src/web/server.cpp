#include "web/server.hpp"

#include <gst/gst.h>

#include <memory>
#include <string>
#include <vector>

#include "auth/constant_time.hpp"
#include "media/local_addresses.hpp"
#include "signaling/messages.hpp"
#include "tls/fingerprint.hpp"
#include "util/log.hpp"
#include "web/access_policy.hpp"
#include "web/auth_messages.hpp"
#include "web/cookies.hpp"
#include "web/http_reply.hpp"
#include "web/listen_on.hpp"
#include "web/metrics_text.hpp"
#include "web/request_guard.hpp"
#include "web/soup_server.hpp"

GST_DEBUG_CATEGORY_STATIC(web_debug);
#define GST_CAT_DEFAULT web_debug

namespace kvmrtc::web {
namespace {

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

void method_not_allowed(SoupServerMessage* message) {
  respond(message, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", "method not allowed\n");
}

}  // namespace

Server::Server(StaticFiles files, SessionHub& hub, AccessControl& access,
               PendingConnections& connections, Endpoints endpoints)
    : files_(std::move(files)),
      hub_(hub),
      access_(access),
      connections_(connections),
      login_(access),
      endpoints_(std::move(endpoints)),
      server_(make_soup_server()) {
  GST_DEBUG_CATEGORY_INIT(web_debug, "kvmrtc-web", 0, "kvmrtc HTTP requests");
  connections_.attach(server_.get());
  // libsoup runs the early handler of the path's own handler only, so each path gets it.
  for (const char* path : {"/", "/api/ws"}) {
    soup_server_add_early_handler(
        server_.get(), path,
        [](SoupServer*, SoupServerMessage* message, const char*, GHashTable*, gpointer data) {
          static_cast<Server*>(data)->guard(message);
        },
        this, nullptr);
  }
  soup_server_add_websocket_handler(
      server_.get(), "/api/ws", nullptr, nullptr,
      [](SoupServer*, SoupServerMessage* message, const char*, SoupWebsocketConnection* connection,
         gpointer data) { static_cast<Server*>(data)->accept_websocket(message, connection); },
      this, nullptr);
  soup_server_add_handler(
      server_.get(), "/",
      [](SoupServer*, SoupServerMessage* message, const char* path, GHashTable*, gpointer data) {
        static_cast<Server*>(data)->route(message, path);
      },
      this, nullptr);
}

Server::~Server() {
  soup_server_disconnect(server_.get());
}

bool Server::load_certificate(const config::ServerSettings& settings, std::string& error) {
  GError* raw_error = nullptr;
  GObjectPtr<GTlsCertificate> certificate(g_tls_certificate_new_from_files(
      settings.tls_certificate.c_str(), settings.tls_key.c_str(), &raw_error));
  if (!certificate) {
    ErrorPtr owned(raw_error);
    error = std::string("TLS certificate: ") + owned->message;
    return false;
  }
  soup_server_set_tls_certificate(server_.get(), certificate.get());
  // What the browser's certificate viewer shows: a user checks it before trusting the page.
  log::info("TLS certificate %s, SHA-256 fingerprint %s", settings.tls_certificate.c_str(),
            tls::certificate_fingerprint(certificate.get()).c_str());
  return true;
}

std::string Server::listen(const config::ServerSettings& settings, const BoundSockets& bound,
                           std::string& error) {
  const bool tls = !settings.tls_certificate.empty();
  if (tls && !load_certificate(settings, error)) return "";
  metrics_token_ = settings.metrics_token;
  const auto options = tls ? SOUP_SERVER_LISTEN_HTTPS : static_cast<SoupServerListenOptions>(0);
  if (!listen_on(server_.get(), bound.main, settings.address, settings.port, options, error)) {
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
  const auto addresses = listen_addresses(settings.address);
  if (settings.hostnames.empty()) {
    names_ = DaemonNames::defaults(g_get_host_name(), addresses, port, tls);
  } else {
    names_ = DaemonNames{settings.hostnames, port, tls};
    names_.names.insert(names_.names.end(), addresses.begin(), addresses.end());
  }
  if (settings.http_redirect_port != 0) {
    redirect_ = std::make_unique<HttpsRedirect>(names_);
    if (!redirect_->listen(bound.redirect, settings.address, settings.http_redirect_port, error)) {
      return "";
    }
  }
  return url;
}

std::string Server::token_of(SoupServerMessage* message) const {
  const char* header =
      soup_message_headers_get_one(soup_server_message_get_request_headers(message), "Cookie");
  return header != nullptr ? cookie_value(header, session_cookie_name(names_.tls)) : "";
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
  // Any answer given now still lets libsoup read the body: a big one is refused unread first.
  const bool chunked = soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CHUNKED;
  const goffset length = soup_message_headers_get_content_length(headers);
  if (chunked || length > kMaxRequestBodyBytes) {
    const std::string size = chunked ? "chunked" : std::to_string(length) + "-byte";
    log::warning("refused a %s request body from %s", size.c_str(), peer_address(message).c_str());
    refuse_unread_body(message);
    return;
  }
  const std::string path = g_uri_get_path(soup_server_message_get_uri(message));
  GST_DEBUG("%s %s from %s", soup_server_message_get_method(message), path.c_str(),
            peer_address(message).c_str());
  const Gate gate = gate_of(path);
  const bool logged_in = access_.identify(token_of(message), peer_address(message)).has_value();
  connections_.request_arrived(message, logged_in);
  if (logged_in && path == "/api/ws") connections_.upgrading(message);
  if (gate != Gate::kPublic && !logged_in && !is_scraper(message, path)) {
    if (gate == Gate::kPage && is_read_method(message)) {
      redirect(message, SOUP_STATUS_SEE_OTHER, kLoginPath);
    } else {
      respond_json(message, SOUP_STATUS_UNAUTHORIZED, error_json("log in first"));
    }
    return;
  }
  // A request without Origin is a script's, not a page's: nothing a browser could forge.
  const char* origin = soup_message_headers_get_one(headers, "Origin");
  const bool needs_same_origin = changes_state(message) || path == "/api/ws";
  if (origin != nullptr && needs_same_origin && !origin_allowed(origin, names_)) {
    log::warning("refused a request from %s by a page of another origin (%s)",
                 peer_address(message).c_str(), origin);
    respond(message, SOUP_STATUS_FORBIDDEN, "text/plain", "cross-origin request refused\n");
  }
}

bool Server::is_scraper(SoupServerMessage* message, const std::string& path) const {
  if (path != "/metrics" || metrics_token_.empty()) return false;
  const char* header = soup_message_headers_get_one(
      soup_server_message_get_request_headers(message), "Authorization");
  return header != nullptr && auth::equal_in_constant_time(header, "Bearer " + metrics_token_);
}

void Server::route(SoupServerMessage* message, const std::string& path) {
  if (path == "/api/login") {
    login_.login(message, names_.tls);
    return;
  }
  const auto identity = access_.identify(token_of(message), peer_address(message));
  if (path == "/metrics" && (identity || is_scraper(message, path))) {
    if (is_read_method(message)) {
      respond(message, SOUP_STATUS_OK, kMetricsContentType, endpoints_.metrics());
    } else {
      method_not_allowed(message);
    }
    return;
  }
  // The guard let it through, but the session may have ended since.
  if (gate_of(path) != Gate::kPublic && !identity) {
    respond_json(message, SOUP_STATUS_UNAUTHORIZED, error_json("log in first"));
  } else if (path == "/api/logout") {
    login_.logout(message, token_of(message), names_.tls);
  } else if (path == "/api/session") {
    if (is_read_method(message)) {
      login_.session(message, *identity);
    } else {
      method_not_allowed(message);
    }
  } else if (path == "/api/status") {
    if (is_read_method(message)) {
      respond_json(message, SOUP_STATUS_OK, endpoints_.status());
    } else {
      method_not_allowed(message);
    }
  } else if (path == "/api/snapshot") {
    if (is_read_method(message)) {
      serve_snapshot(message, endpoints_.snapshot);
    } else {
      method_not_allowed(message);
    }
  } else if (path == "/api/settings/video") {
    video_settings(message, *identity);
  } else if (path == "/api/reload") {
    reload(message, *identity);
  } else if (path == "/healthz") {
    // It answers at all only while the main loop turns; the picture is the other half.
    if (endpoints_.healthy()) {
      respond(message, SOUP_STATUS_OK, "text/plain", "ok\n");
    } else {
      respond(message, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", "no signal\n");
    }
  } else {
    serve_static(message, path == kLoginPath ? "/login.html" : path);
  }
}

void Server::reload(SoupServerMessage* message, const Identity& identity) {
  if (std::string(soup_server_message_get_method(message)) != "POST") {
    method_not_allowed(message);
    return;
  }
  if (identity.role != auth::Role::kAdmin) {
    respond_json(message, SOUP_STATUS_FORBIDDEN, error_json("only an admin may reload the config"));
    return;
  }
  log::info("reload asked for by %s from %s", identity.user.empty() ? "-" : identity.user.c_str(),
            identity.address.c_str());
  // Held until the reload is done: the file is read off the main loop.
  soup_server_message_pause(message);
  std::shared_ptr<SoupServerMessage> held(SOUP_SERVER_MESSAGE(g_object_ref(message)),
                                          Releaser<SoupServerMessage, g_object_unref>());
  endpoints_.reload([held](bool applied, const std::string& json) {
    respond_json(held.get(), applied ? SOUP_STATUS_OK : SOUP_STATUS_UNPROCESSABLE_ENTITY, json);
    soup_server_message_unpause(held.get());
  });
}

void Server::video_settings(SoupServerMessage* message, const Identity& identity) {
  const std::string method = soup_server_message_get_method(message);
  if (method != "GET" && method != "PUT") {
    method_not_allowed(message);
    return;
  }
  if (identity.role != auth::Role::kAdmin) {
    respond_json(message, SOUP_STATUS_FORBIDDEN, error_json("only an admin may change settings"));
    return;
  }
  soup_server_message_pause(message);
  std::shared_ptr<SoupServerMessage> held(SOUP_SERVER_MESSAGE(g_object_ref(message)),
                                          Releaser<SoupServerMessage, g_object_unref>());
  const auto reply = [held](unsigned status, const std::string& json) {
    respond_json(held.get(), status, json);
    soup_server_message_unpause(held.get());
  };
  if (method == "GET") {
    endpoints_.get_settings(reply);
    return;
  }
  log::info("video settings change asked for by %s from %s",
            identity.user.empty() ? "-" : identity.user.c_str(), identity.address.c_str());
  SoupMessageBody* body = soup_server_message_get_request_body(message);
  endpoints_.put_settings(std::string(body->data != nullptr ? body->data : "", body->length),
                          reply);
}

void Server::serve_static(SoupServerMessage* message, const std::string& path) {
  if (!is_read_method(message)) {
    method_not_allowed(message);
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

void Server::accept_websocket(SoupServerMessage* message, SoupWebsocketConnection* connection) {
  auto identity = access_.identify(token_of(message), peer_address(message));
  hub_.open(connection, browser_codecs(message), std::move(identity));
}

}  // namespace kvmrtc::web
