// Time-based one-time passwords (RFC 6238): 30 s steps, 6 digits, HMAC-SHA1, as every
// authenticator app reads them from an otpauth:// URI.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kvmrtc::auth {

inline constexpr std::int64_t kTotpStepSeconds = 30;

std::string base32_encode(const std::vector<std::uint8_t>& bytes);
// Upper-case RFC 4648 base32, padding optional; nothing for any other character.
std::optional<std::vector<std::uint8_t>> base32_decode(const std::string& text);

// A new secret: 20 random bytes from the operating system, base32.
std::string new_totp_secret();

// The HOTP value (RFC 4226) of `key` at `counter`, `digits` long with leading zeros.
std::string hotp(const std::vector<std::uint8_t>& key, std::uint64_t counter, int digits = 6);

// The time step `code` is valid for, within one step of `unix_time` either way, or nothing. A
// step at or before `last_used_step` is refused: a code cannot be used twice.
std::optional<std::int64_t> verify_totp(const std::vector<std::uint8_t>& key,
                                        const std::string& code, std::int64_t unix_time,
                                        std::optional<std::int64_t> last_used_step);

// otpauth://totp/ISSUER:USER?secret=…&issuer=…, for an authenticator app's QR scanner.
std::string otpauth_uri(const std::string& issuer, const std::string& user,
                        const std::string& secret);

}  // namespace kvmrtc::auth
