#include "auth/totp.hpp"

#include <glib.h>
#include <sys/random.h>

#include <array>
#include <cstring>

#include "auth/constant_time.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::auth {
namespace {

constexpr const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

}  // namespace

std::string base32_encode(const std::vector<std::uint8_t>& bytes) {
  std::string text;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const std::uint8_t byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      text += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) text += kAlphabet[(buffer << (5 - bits)) & 31];
  return text;
}

std::optional<std::vector<std::uint8_t>> base32_decode(const std::string& text) {
  std::vector<std::uint8_t> bytes;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : text) {
    if (c == '=') break;
    const char* at = c != '\0' ? std::strchr(kAlphabet, c) : nullptr;
    if (at == nullptr) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(at - kAlphabet);
    bits += 5;
    if (bits >= 8) {
      bytes.push_back(static_cast<std::uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  return bytes;
}

std::string new_totp_secret() {
  std::vector<std::uint8_t> bytes(20);
  std::size_t filled = 0;
  while (filled < bytes.size()) {
    const ssize_t got = getrandom(bytes.data() + filled, bytes.size() - filled, 0);
    if (got > 0) filled += static_cast<std::size_t>(got);
  }
  return base32_encode(bytes);
}

std::string hotp(const std::vector<std::uint8_t>& key, std::uint64_t counter, int digits) {
  std::array<guint8, 8> message{};
  for (int i = 7; i >= 0; --i, counter >>= 8) message[i] = static_cast<guint8>(counter & 0xff);
  Owned<GHmac, g_hmac_unref> hmac(g_hmac_new(G_CHECKSUM_SHA1, key.data(), key.size()));
  g_hmac_update(hmac.get(), message.data(), message.size());
  std::array<guint8, 20> digest{};
  gsize length = digest.size();
  g_hmac_get_digest(hmac.get(), digest.data(), &length);
  // RFC 4226 5.3: dynamic truncation.
  const int offset = digest[19] & 0x0f;
  const std::uint32_t binary = (static_cast<std::uint32_t>(digest[offset] & 0x7f) << 24) |
                               (static_cast<std::uint32_t>(digest[offset + 1]) << 16) |
                               (static_cast<std::uint32_t>(digest[offset + 2]) << 8) |
                               static_cast<std::uint32_t>(digest[offset + 3]);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::optional<std::int64_t> verify_totp(const std::vector<std::uint8_t>& key,
                                        const std::string& code, std::int64_t unix_time,
                                        std::optional<std::int64_t> last_used_step) {
  if (code.size() != 6) return std::nullopt;
  const std::int64_t now_step = unix_time / kTotpStepSeconds;
  for (const std::int64_t step : {now_step - 1, now_step, now_step + 1}) {
    if (step < 0 || (last_used_step && step <= *last_used_step)) continue;
    if (equal_in_constant_time(hotp(key, static_cast<std::uint64_t>(step)), code)) return step;
  }
  return std::nullopt;
}

std::string otpauth_uri(const std::string& issuer, const std::string& user,
                        const std::string& secret) {
  CharPtr label(g_uri_escape_string((issuer + ":" + user).c_str(), ":", FALSE));
  CharPtr escaped_issuer(g_uri_escape_string(issuer.c_str(), nullptr, FALSE));
  return std::string("otpauth://totp/") + label.get() + "?secret=" + secret +
         "&issuer=" + escaped_issuer.get() + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace kvmrtc::auth
