#include "auth/password_hash.hpp"

#include <crypt.h>

#include <cstring>
#include <memory>

#include "auth/constant_time.hpp"

namespace kvmrtc::auth {
namespace {

// crypt_rn's working area is about 32 KiB: on the heap, and wiped after use, since it held the
// password.
struct CryptArea {
  std::unique_ptr<crypt_data> data = std::make_unique<crypt_data>();
  CryptArea() { std::memset(data.get(), 0, sizeof(crypt_data)); }
  ~CryptArea() { explicit_bzero(data.get(), sizeof(crypt_data)); }
};

std::optional<std::string> crypt_with(const std::string& password, const char* setting) {
  CryptArea area;
  const char* result = crypt_rn(password.c_str(), setting, area.data.get(), sizeof(crypt_data));
  // libxcrypt marks a failure with a string starting with '*'.
  if (result == nullptr || result[0] == '*') return std::nullopt;
  return std::string(result);
}

}  // namespace

std::optional<std::string> hash_password(const std::string& password, std::string& error) {
  char setting[CRYPT_GENSALT_OUTPUT_SIZE];
  // No random bytes given: libxcrypt takes them from the operating system.
  if (crypt_gensalt_rn("$y$", 0, nullptr, 0, setting, sizeof setting) == nullptr) {
    error = std::string("libxcrypt cannot make a yescrypt salt: ") + std::strerror(errno);
    return std::nullopt;
  }
  auto hash = crypt_with(password, setting);
  if (!hash) error = "libxcrypt cannot hash the password with yescrypt";
  return hash;
}

bool verify_password(const std::string& password, const std::string& hash) {
  if (hash.rfind("$y$", 0) != 0) return false;
  const auto computed = crypt_with(password, hash.c_str());
  return computed && equal_in_constant_time(*computed, hash);
}

void verify_against_nobody(const std::string& password) {
  // A hash at the default cost whose password nobody knows: the salt is fixed, the work is the
  // same as for a real user's.
  static const std::string decoy = [] {
    std::string error;
    return hash_password("kvmrtc: nobody's password", error).value_or("");
  }();
  verify_password(password, decoy);
}

}  // namespace kvmrtc::auth
