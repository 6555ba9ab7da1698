#include "web/cookies.hpp"

namespace kvmrtc::web {
namespace {

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string attributes(bool tls) {
  return std::string("; Path=/; HttpOnly; SameSite=Strict") + (tls ? "; Secure" : "");
}

}  // namespace

const char* session_cookie_name(bool tls) {
  return tls ? "__Host-kvmrtc_session" : "kvmrtc_session";
}

std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t start = 0;
  while (start <= header.size()) {
    const std::size_t end = std::min(header.find(';', start), header.size());
    const std::string pair = header.substr(start, end - start);
    const std::size_t equals = pair.find('=');
    if (equals != std::string::npos && trimmed(pair.substr(0, equals)) == name) {
      return trimmed(pair.substr(equals + 1));
    }
    start = end + 1;
  }
  return "";
}

std::string session_cookie(const std::string& token, bool tls, long max_age_s) {
  return std::string(session_cookie_name(tls)) + "=" + token +
         "; Max-Age=" + std::to_string(max_age_s) + attributes(tls);
}

std::string cleared_session_cookie(bool tls) {
  return std::string(session_cookie_name(tls)) + "=; Max-Age=0" + attributes(tls);
}

}  // namespace kvmrtc::web
