#include "auth/totp.hpp"

#include <catch2/catch.hpp>

using kvmrtc::auth::base32_decode;
using kvmrtc::auth::base32_encode;
using kvmrtc::auth::hotp;
using kvmrtc::auth::verify_totp;

namespace {
// RFC 6238 appendix B: the SHA-1 key is the ASCII "12345678901234567890".
const std::vector<std::uint8_t> kRfcKey = [] {
  const std::string text = "12345678901234567890";
  return std::vector<std::uint8_t>(text.begin(), text.end());
}();
}  // namespace

TEST_CASE("TOTP matches RFC 6238's SHA-1 test vectors", "[totp]") {
  const std::pair<std::int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [time, code] : vectors) {
    INFO("T = " << time);
    CHECK(hotp(kRfcKey, static_cast<std::uint64_t>(time / 30), 8) == code);
    // The 6 digits an app shows are the last six of the same value.
    CHECK(hotp(kRfcKey, static_cast<std::uint64_t>(time / 30)) == std::string(code).substr(2));
  }
}

TEST_CASE("a TOTP code is good one step either way, and only once", "[totp]") {
  const std::int64_t now = 1111111111;
  const std::string code = hotp(kRfcKey, now / 30);
  const auto step = verify_totp(kRfcKey, code, now, std::nullopt);
  REQUIRE(step);
  CHECK(*step == now / 30);
  CHECK(verify_totp(kRfcKey, code, now + 30, std::nullopt) == step);
  CHECK(verify_totp(kRfcKey, code, now - 30, std::nullopt) == step);
  CHECK_FALSE(verify_totp(kRfcKey, code, now + 60, std::nullopt));
  // Used once: the same code, or an older one, is refused.
  CHECK_FALSE(verify_totp(kRfcKey, code, now, step));
  CHECK_FALSE(verify_totp(kRfcKey, hotp(kRfcKey, now / 30 - 1), now, step));
  CHECK(verify_totp(kRfcKey, hotp(kRfcKey, now / 30 + 1), now, step));
  CHECK_FALSE(verify_totp(kRfcKey, "12345", now, std::nullopt));
  CHECK_FALSE(verify_totp(kRfcKey, "", now, std::nullopt));
}

TEST_CASE("base32 follows RFC 4648's test vectors", "[totp]") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "MY"},
      {"fo", "MZXQ"},
      {"foo", "MZXW6"},
      {"foob", "MZXW6YQ"},
      {"fooba", "MZXW6YTB"},
      {"foobar", "MZXW6YTBOI"},
  };
  for (const auto& [plain, encoded] : vectors) {
    const std::string text = plain;
    CHECK(base32_encode({text.begin(), text.end()}) == encoded);
    const auto decoded = base32_decode(encoded);
    REQUIRE(decoded);
    CHECK(std::string(decoded->begin(), decoded->end()) == text);
  }
  CHECK(base32_decode("MZXW6YTBOI======"));
  CHECK_FALSE(base32_decode("mzxw6"));
  CHECK_FALSE(base32_decode("MZ1W6"));
}

TEST_CASE("every new secret is 20 random bytes", "[totp]") {
  const std::string first = kvmrtc::auth::new_totp_secret();
  CHECK(first.size() == 32);
  CHECK(base32_decode(first)->size() == 20);
  CHECK(kvmrtc::auth::new_totp_secret() != first);
}
