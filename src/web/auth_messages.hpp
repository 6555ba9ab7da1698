// The JSON of the login API (pure): what POST /api/login takes, and what the API answers.
#pragma once

#include <optional>
#include <string>

namespace kvmrtc::web {

struct LoginRequest {
  std::string user;
  std::string password;
  std::string totp;  // empty when not given
};

// The request, or nothing with `error` set saying what is wrong with the body.
std::optional<LoginRequest> parse_login_request(const std::string& body, std::string& error);

std::string identity_json(const std::string& user, const std::string& role);
std::string session_json(const std::string& user, const std::string& role, const std::string& mode);
std::string error_json(const std::string& message);
std::string totp_required_json(const std::string& message);
std::string retry_json(const std::string& message, long retry_after_s);

}  // namespace kvmrtc::web
