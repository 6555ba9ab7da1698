#include "auth/password_hash.hpp"

#include <catch2/catch.hpp>

using kvmrtc::auth::hash_password;
using kvmrtc::auth::verify_password;

TEST_CASE("a yescrypt hash verifies its password and nothing else", "[password]") {
  std::string error;
  const auto hash = hash_password("correct horse battery", error);
  REQUIRE(hash);
  CHECK(error.empty());
  CHECK(hash->rfind("$y$", 0) == 0);
  CHECK(hash->find("correct horse") == std::string::npos);
  CHECK(verify_password("correct horse battery", *hash));
  CHECK_FALSE(verify_password("correct horse batterY", *hash));
  CHECK_FALSE(verify_password("", *hash));
  CHECK_FALSE(verify_password("correct horse battery", ""));
  // Another hash of the same password has another salt.
  CHECK(*hash_password("correct horse battery", error) != *hash);
}

TEST_CASE("a hash that is not yescrypt never verifies, not even an old DES or MD5 one",
          "[password]") {
  // An MD5-crypt ($1$) string: kvmrtc takes yescrypt hashes only.
  CHECK_FALSE(verify_password("secret", "$1$salt$o.qwTB/V5ebz6rA2fbsB00"));
  CHECK_FALSE(verify_password("secret", "*"));
}
