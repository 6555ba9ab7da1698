#include "tls/fingerprint.hpp"

#include "util/ref_ptr.hpp"

namespace kvmrtc::tls {

std::string fingerprint_of_der(std::span<const std::uint8_t> der) {
  Owned<GChecksum, g_checksum_free> checksum(g_checksum_new(G_CHECKSUM_SHA256));
  g_checksum_update(checksum.get(), der.data(), static_cast<gssize>(der.size()));
  std::uint8_t digest[32];
  gsize length = sizeof digest;
  g_checksum_get_digest(checksum.get(), digest, &length);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text;
  for (gsize i = 0; i < length; ++i) {
    if (i > 0) text += ':';
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 0xf];
  }
  return text;
}

std::string certificate_fingerprint(GTlsCertificate* certificate) {
  if (certificate == nullptr) return "";
  GByteArray* raw = nullptr;
  g_object_get(certificate, "certificate", &raw, nullptr);
  if (raw == nullptr) return "";
  Owned<GByteArray, g_byte_array_unref> der(raw);
  return fingerprint_of_der({der->data, der->len});
}

}  // namespace kvmrtc::tls
