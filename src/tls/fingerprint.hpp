// The SHA-256 fingerprint browsers show for a certificate ("AB:CD:…"), so a user can check
// that the page they opened is served by their own device.
#pragma once

#include <gio/gio.h>

#include <cstdint>
#include <span>
#include <string>

namespace kvmrtc::tls {

// Of the certificate's DER encoding.
std::string fingerprint_of_der(std::span<const std::uint8_t> der);

// Of the certificate the daemon serves; empty when it has none.
std::string certificate_fingerprint(GTlsCertificate* certificate);

}  // namespace kvmrtc::tls
