// `[server] http-redirect-port=`: a plain-HTTP listener whose every answer is a redirect to
// the same page over HTTPS, so a user who types the board's name without https:// lands on the
// encrypted page. It serves nothing else: no page, no API, no cookie ever goes over it.
#pragma once

#include <libsoup/soup.h>

#include <string>

#include "util/ref_ptr.hpp"
#include "web/request_guard.hpp"

namespace kvmrtc::web {

class HttpsRedirect {
 public:
  // `https_names`: the names and port of the HTTPS listener.
  explicit HttpsRedirect(DaemonNames https_names);
  ~HttpsRedirect();
  HttpsRedirect(const HttpsRedirect&) = delete;
  HttpsRedirect& operator=(const HttpsRedirect&) = delete;

  // On `bound` when the service manager bound the port already, else binds it.
  bool listen(GSocket* bound, const std::string& address, int port, std::string& error);

 private:
  void answer(SoupServerMessage* message);

  DaemonNames https_names_;
  DaemonNames plain_names_;
  GObjectPtr<SoupServer> server_;
};

}  // namespace kvmrtc::web
