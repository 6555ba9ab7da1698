// A self-signed server certificate made on the device itself, so every device has its own key
// (one of kvmrtc's peers shipped the same CA key on every unit).
#pragma once

#include <string>
#include <vector>

namespace kvmrtc::tls {

struct CertificateRequest {
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // textual IPv4 or IPv6; a "%scope" suffix is dropped
  int valid_days = 3650;
};

struct SelfSignedCertificate {
  std::string certificate_pem;
  std::string key_pem;  // PKCS#8, unencrypted: the daemon starts unattended
  std::string fingerprint;
  std::string error;  // set when GnuTLS refused; the rest is then empty
};

// ECDSA P-256, signed with SHA-256, valid from a day ago (clocks of boards without an RTC run
// behind) for `valid_days`, for TLS servers only.
SelfSignedCertificate make_self_signed(const CertificateRequest& request);

}  // namespace kvmrtc::tls
