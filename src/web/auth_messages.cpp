#include "web/auth_messages.hpp"

#include "util/json_text.hpp"

namespace kvmrtc::web {
namespace {

// Longer than any name the users file allows and any password worth typing: anything longer
// is not a login.
constexpr std::size_t kMaxFieldBytes = 1024;

}  // namespace

std::optional<LoginRequest> parse_login_request(const std::string& body, std::string& error) {
  const JsonObjectText parsed = parse_json_object(body);
  if (parsed.object == nullptr) {
    error = "the body is not a JSON object: " + parsed.error;
    return std::nullopt;
  }
  for (const char* field : {"user", "password"}) {
    if (!has_member_of_type(parsed.object, field, G_TYPE_STRING)) {
      error = std::string("the body needs a string '") + field + "'";
      return std::nullopt;
    }
  }
  if (json_object_has_member(parsed.object, "totp") &&
      !has_member_of_type(parsed.object, "totp", G_TYPE_STRING)) {
    error = "'totp' must be a string of digits";
    return std::nullopt;
  }
  LoginRequest request{json_object_get_string_member(parsed.object, "user"),
                       json_object_get_string_member(parsed.object, "password"),
                       json_object_has_member(parsed.object, "totp")
                           ? json_object_get_string_member(parsed.object, "totp")
                           : ""};
  if (request.user.size() > kMaxFieldBytes || request.password.size() > kMaxFieldBytes ||
      request.totp.size() > kMaxFieldBytes) {
    error = "a field is longer than " + std::to_string(kMaxFieldBytes) + " bytes";
    return std::nullopt;
  }
  return request;
}

std::string identity_json(const std::string& user, const std::string& role) {
  return JsonObjectWriter().add("user", user).add("role", role).text();
}

std::string session_json(const std::string& user, const std::string& role,
                         const std::string& mode) {
  return JsonObjectWriter().add("user", user).add("role", role).add("mode", mode).text();
}

std::string error_json(const std::string& message) {
  return JsonObjectWriter().add("error", message).text();
}

std::string totp_required_json(const std::string& message) {
  return JsonObjectWriter().add("error", message).add("totp_required", true).text();
}

std::string retry_json(const std::string& message, long retry_after_s) {
  return JsonObjectWriter()
      .add("error", message)
      .add("retry_after", static_cast<std::int64_t>(retry_after_s))
      .text();
}

}  // namespace kvmrtc::web
