// The session cookie (pure). HttpOnly keeps it from the page's scripts, SameSite=Strict from
// requests other sites start, and under TLS the __Host- prefix and Secure keep it to this
// origin over HTTPS only.
#pragma once

#include <string>

namespace kvmrtc::web {

const char* session_cookie_name(bool tls);

// The value of cookie `name` in a Cookie request header, or empty.
std::string cookie_value(const std::string& header, const std::string& name);

// Set-Cookie values: a new session's, and one that makes the browser drop it.
std::string session_cookie(const std::string& token, bool tls, long max_age_s);
std::string cleared_session_cookie(bool tls);

}  // namespace kvmrtc::web
