// Password hashes: yescrypt through libxcrypt, as /etc/shadow keeps them.
#pragma once

#include <optional>
#include <string>

namespace kvmrtc::auth {

// A yescrypt hash ($y$…) of `password` with a fresh random salt at libxcrypt's default cost;
// nothing, with `error` set, when libxcrypt cannot make one.
std::optional<std::string> hash_password(const std::string& password, std::string& error);

// Whether `password` matches `hash`, compared in constant time.
bool verify_password(const std::string& password, const std::string& hash);

// Takes as long as verify_password against a real hash and matches nothing: a login for a
// user who does not exist must not answer sooner than one with a wrong password.
void verify_against_nobody(const std::string& password);

}  // namespace kvmrtc::auth
