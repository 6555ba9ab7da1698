#include "tls/self_signed.hpp"

#include <arpa/inet.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include <array>
#include <ctime>
#include <type_traits>

#include "tls/fingerprint.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc::tls {
namespace {

using PrivateKey = Owned<std::remove_pointer_t<gnutls_x509_privkey_t>, gnutls_x509_privkey_deinit>;
using Certificate = Owned<std::remove_pointer_t<gnutls_x509_crt_t>, gnutls_x509_crt_deinit>;

// The buffers GnuTLS exports into.
class Datum {
 public:
  Datum() = default;
  ~Datum() { gnutls_free(datum_.data); }
  Datum(const Datum&) = delete;
  Datum& operator=(const Datum&) = delete;
  gnutls_datum_t* out() { return &datum_; }
  std::string text() const { return {reinterpret_cast<const char*>(datum_.data), datum_.size}; }
  std::span<const std::uint8_t> bytes() const { return {datum_.data, datum_.size}; }

 private:
  gnutls_datum_t datum_{nullptr, 0};
};

// Collects the first GnuTLS failure, named by the step that failed.
class Steps {
 public:
  bool ok(int code, const char* step) {
    if (code < 0 && error_.empty()) error_ = std::string(step) + ": " + gnutls_strerror(code);
    return error_.empty();
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// The 4 or 16 bytes a subjectAltName iPAddress holds; empty when `text` is no address.
std::string address_bytes(std::string text) {
  text = text.substr(0, text.find('%'));
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return {reinterpret_cast<const char*>(bytes.data()), 4};
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
    return {reinterpret_cast<const char*>(bytes.data()), 16};
  }
  return "";
}

}  // namespace

SelfSignedCertificate make_self_signed(const CertificateRequest& request) {
  SelfSignedCertificate made;
  Steps steps;
  gnutls_x509_privkey_t raw_key = nullptr;
  gnutls_x509_crt_t raw_certificate = nullptr;
  const bool started = steps.ok(gnutls_x509_privkey_init(&raw_key), "private key") &&
                       steps.ok(gnutls_x509_crt_init(&raw_certificate), "certificate");
  PrivateKey key(raw_key);
  Certificate certificate(raw_certificate);
  if (!started ||
      !steps.ok(gnutls_x509_privkey_generate(key.get(), GNUTLS_PK_ECDSA,
                                             GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
                "generate the P-256 key")) {
    made.error = steps.error();
    return made;
  }

  // A random positive serial: browsers reject two certificates from one issuer name with the
  // same serial, and every regeneration on a device has the same issuer name.
  std::array<unsigned char, 16> serial{};
  steps.ok(gnutls_rnd(GNUTLS_RND_NONCE, serial.data(), serial.size()), "serial number");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x40);

  const std::time_t now = std::time(nullptr);
  constexpr std::time_t kDay = 24 * 60 * 60;
  gnutls_x509_crt_t c = certificate.get();
  steps.ok(gnutls_x509_crt_set_version(c, 3), "version");
  steps.ok(gnutls_x509_crt_set_key(c, key.get()), "public key");
  steps.ok(gnutls_x509_crt_set_serial(c, serial.data(), serial.size()), "serial number");
  steps.ok(gnutls_x509_crt_set_activation_time(c, now - kDay), "start of validity");
  steps.ok(gnutls_x509_crt_set_expiration_time(c, now + request.valid_days * kDay),
           "end of validity");
  steps.ok(
      gnutls_x509_crt_set_dn_by_oid(c, GNUTLS_OID_X520_COMMON_NAME, 0, request.common_name.data(),
                                    static_cast<unsigned>(request.common_name.size())),
      "common name");
  steps.ok(gnutls_x509_crt_set_basic_constraints(c, 0, -1), "basic constraints");
  steps.ok(gnutls_x509_crt_set_key_usage(c, GNUTLS_KEY_DIGITAL_SIGNATURE), "key usage");
  steps.ok(gnutls_x509_crt_set_key_purpose_oid(c, GNUTLS_KP_TLS_WWW_SERVER, 1), "key purpose");
  for (const std::string& name : request.dns_names) {
    steps.ok(gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_DNSNAME, name.data(),
                                                  static_cast<unsigned>(name.size()),
                                                  GNUTLS_FSAN_APPEND),
             "DNS name");
  }
  for (const std::string& address : request.ip_addresses) {
    const std::string bytes = address_bytes(address);
    if (bytes.empty()) continue;
    steps.ok(gnutls_x509_crt_set_subject_alt_name(c, GNUTLS_SAN_IPADDRESS, bytes.data(),
                                                  static_cast<unsigned>(bytes.size()),
                                                  GNUTLS_FSAN_APPEND),
             "IP address");
  }
  std::array<unsigned char, 64> key_id{};
  std::size_t key_id_size = key_id.size();
  steps.ok(gnutls_x509_crt_get_key_id(c, GNUTLS_KEYID_USE_SHA1, key_id.data(), &key_id_size),
           "key id");
  steps.ok(gnutls_x509_crt_set_subject_key_id(c, key_id.data(), key_id_size), "key id");
  steps.ok(gnutls_x509_crt_sign2(c, c, key.get(), GNUTLS_DIG_SHA256, 0), "sign");

  Datum certificate_pem, certificate_der, key_pem;
  steps.ok(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_PEM, certificate_pem.out()), "export");
  steps.ok(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, certificate_der.out()), "export");
  steps.ok(gnutls_x509_privkey_export2_pkcs8(key.get(), GNUTLS_X509_FMT_PEM, nullptr,
                                             GNUTLS_PKCS_PLAIN, key_pem.out()),
           "export the key");
  if (!steps.error().empty()) {
    made.error = steps.error();
    return made;
  }
  made.certificate_pem = certificate_pem.text();
  made.key_pem = key_pem.text();
  made.fingerprint = fingerprint_of_der(certificate_der.bytes());
  return made;
}

}  // namespace kvmrtc::tls
