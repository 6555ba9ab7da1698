#include <gio/gio.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <type_traits>

#include "temp_dir.hpp"
#include "tls/fingerprint.hpp"
#include "tls/self_signed.hpp"
#include "tls_command.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::tls::CertificateRequest;
using kvmrtc::tls::make_self_signed;

namespace {

using Certificate = kvmrtc::Owned<std::remove_pointer_t<gnutls_x509_crt_t>, gnutls_x509_crt_deinit>;
using Credentials = kvmrtc::Owned<std::remove_pointer_t<gnutls_certificate_credentials_t>,
                                  gnutls_certificate_free_credentials>;

gnutls_datum_t datum_of(const std::string& text) {
  return {reinterpret_cast<unsigned char*>(const_cast<char*>(text.data())),
          static_cast<unsigned>(text.size())};
}

Certificate parse(const std::string& pem) {
  gnutls_x509_crt_t raw = nullptr;
  REQUIRE(gnutls_x509_crt_init(&raw) == 0);
  Certificate certificate(raw);
  const gnutls_datum_t data = datum_of(pem);
  REQUIRE(gnutls_x509_crt_import(certificate.get(), &data, GNUTLS_X509_FMT_PEM) == 0);
  return certificate;
}

struct AltNames {
  std::set<std::string> dns;
  std::set<std::string> ip_bytes;
};

AltNames alt_names(gnutls_x509_crt_t certificate) {
  AltNames names;
  for (unsigned i = 0;; ++i) {
    char buffer[256];
    std::size_t size = sizeof buffer;
    const int type = gnutls_x509_crt_get_subject_alt_name(certificate, i, buffer, &size, nullptr);
    if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) break;
    REQUIRE(type >= 0);
    if (type == GNUTLS_SAN_DNSNAME) names.dns.emplace(buffer, size);
    if (type == GNUTLS_SAN_IPADDRESS) names.ip_bytes.emplace(buffer, size);
  }
  return names;
}

std::string ipv4(unsigned char a, unsigned char b, unsigned char c, unsigned char d) {
  const unsigned char bytes[] = {a, b, c, d};
  return {reinterpret_cast<const char*>(bytes), 4};
}

CertificateRequest example_request() {
  CertificateRequest request;
  request.common_name = "pikvm";
  request.dns_names = {"pikvm", "pikvm.local", "localhost"};
  request.ip_addresses = {"127.0.0.1", "::1", "192.168.1.20", "fe80::1%eth0", "not-an-address"};
  return request;
}

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  REQUIRE(stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("a generated certificate is a P-256 server certificate for the device's names", "[tls]") {
  const auto made = make_self_signed(example_request());
  REQUIRE(made.error.empty());
  const Certificate certificate = parse(made.certificate_pem);
  gnutls_x509_crt_t c = certificate.get();

  unsigned bits = 0;
  CHECK(gnutls_x509_crt_get_pk_algorithm(c, &bits) == GNUTLS_PK_ECDSA);
  gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
  REQUIRE(gnutls_x509_crt_get_pk_ecc_raw(c, &curve, nullptr, nullptr) == 0);
  CHECK(curve == GNUTLS_ECC_CURVE_SECP256R1);
  CHECK(gnutls_x509_crt_get_signature_algorithm(c) == GNUTLS_SIGN_ECDSA_SHA256);

  const std::time_t now = std::time(nullptr);
  constexpr std::time_t kDay = 86400;
  CHECK(std::abs(gnutls_x509_crt_get_activation_time(c) - (now - kDay)) < 60);
  CHECK(std::abs(gnutls_x509_crt_get_expiration_time(c) - (now + 3650 * kDay)) < 60);

  unsigned critical = 0;
  CHECK(gnutls_x509_crt_get_basic_constraints(c, &critical, nullptr, nullptr) == 0);  // CA:false
  unsigned usage = 0;
  REQUIRE(gnutls_x509_crt_get_key_usage(c, &usage, &critical) == 0);
  CHECK(usage == GNUTLS_KEY_DIGITAL_SIGNATURE);
  char purpose[64];
  std::size_t purpose_size = sizeof purpose;
  REQUIRE(gnutls_x509_crt_get_key_purpose_oid(c, 0, purpose, &purpose_size, nullptr) == 0);
  CHECK(std::string(purpose) == GNUTLS_KP_TLS_WWW_SERVER);

  char common_name[64];
  std::size_t common_name_size = sizeof common_name;
  REQUIRE(gnutls_x509_crt_get_dn_by_oid(c, GNUTLS_OID_X520_COMMON_NAME, 0, 0, common_name,
                                        &common_name_size) == 0);
  CHECK(std::string(common_name) == "pikvm");

  const AltNames names = alt_names(c);
  CHECK(names.dns == std::set<std::string>{"pikvm", "pikvm.local", "localhost"});
  const std::string loopback6(15, '\0');
  const unsigned char link_local[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(names.ip_bytes ==
        std::set<std::string>{ipv4(127, 0, 0, 1), loopback6 + '\x01', ipv4(192, 168, 1, 20),
                              std::string(reinterpret_cast<const char*>(link_local), 16)});
}

TEST_CASE("a generated certificate is signed by its own key, and the key is the one written",
          "[tls]") {
  const auto made = make_self_signed(example_request());
  REQUIRE(made.error.empty());
  const Certificate certificate = parse(made.certificate_pem);
  gnutls_x509_crt_t trusted[] = {certificate.get()};
  unsigned verdict = 1;
  REQUIRE(gnutls_x509_crt_list_verify(trusted, 1, trusted, 1, nullptr, 0, 0, &verdict) == 0);
  CHECK(verdict == 0);

  gnutls_certificate_credentials_t raw = nullptr;
  REQUIRE(gnutls_certificate_allocate_credentials(&raw) == 0);
  Credentials credentials(raw);
  const gnutls_datum_t certificate_data = datum_of(made.certificate_pem);
  const gnutls_datum_t key_data = datum_of(made.key_pem);
  CHECK(gnutls_certificate_set_x509_key_mem(credentials.get(), &certificate_data, &key_data,
                                            GNUTLS_X509_FMT_PEM) >= 0);
  const auto other = make_self_signed(example_request());
  const gnutls_datum_t other_key = datum_of(other.key_pem);
  CHECK(gnutls_certificate_set_x509_key_mem(credentials.get(), &certificate_data, &other_key,
                                            GNUTLS_X509_FMT_PEM) ==
        GNUTLS_E_CERTIFICATE_KEY_MISMATCH);
}

TEST_CASE("every certificate has its own key and serial number", "[tls]") {
  const auto first = make_self_signed(example_request());
  const auto second = make_self_signed(example_request());
  CHECK(first.key_pem != second.key_pem);
  CHECK(first.fingerprint != second.fingerprint);
  const auto serial = [](const std::string& pem) {
    const Certificate certificate = parse(pem);
    unsigned char bytes[32];
    std::size_t size = sizeof bytes;
    REQUIRE(gnutls_x509_crt_get_serial(certificate.get(), bytes, &size) == 0);
    CHECK(size == 16);
    CHECK((bytes[0] & 0x80) == 0);  // a positive INTEGER, as RFC 5280 asks
    return std::string(reinterpret_cast<const char*>(bytes), size);
  };
  CHECK(serial(first.certificate_pem) != serial(second.certificate_pem));
}

TEST_CASE("the fingerprint is the SHA-256 of the DER, as browsers show it", "[tls]") {
  const auto made = make_self_signed(example_request());
  const Certificate certificate = parse(made.certificate_pem);
  unsigned char digest[32];
  std::size_t size = sizeof digest;
  REQUIRE(gnutls_x509_crt_get_fingerprint(certificate.get(), GNUTLS_DIG_SHA256, digest, &size) ==
          0);
  std::string expected;
  for (std::size_t i = 0; i < size; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, i == 0 ? "%02X" : ":%02X", digest[i]);
    expected += hex;
  }
  CHECK(made.fingerprint == expected);
  CHECK(made.fingerprint.size() == 32 * 3 - 1);

  // The fingerprint the daemon logs comes from the certificate GLib loaded from the files.
  const std::string both = made.certificate_pem + made.key_pem;
  GError* raw_error = nullptr;
  kvmrtc::GObjectPtr<GTlsCertificate> loaded(
      g_tls_certificate_new_from_pem(both.c_str(), static_cast<gssize>(both.size()), &raw_error));
  kvmrtc::ErrorPtr error(raw_error);
  REQUIRE(loaded != nullptr);
  CHECK(kvmrtc::tls::certificate_fingerprint(loaded.get()) == expected);
  CHECK(kvmrtc::tls::certificate_fingerprint(nullptr).empty());
}

TEST_CASE("tls generate writes the key 0600 and refuses to replace it without --force", "[tls]") {
  TempDir dir;
  const std::string out_dir = (dir / "etc/kvmrtc/tls").string();
  const auto command = kvmrtc::parse_tls_command({"generate", "--out", out_dir});
  REQUIRE(command.error.empty());
  std::ostringstream out, err;
  REQUIRE(kvmrtc::run_tls_command(command, out, err) == 0);
  const auto key = dir / "etc/kvmrtc/tls/key.pem";
  const auto certificate = dir / "etc/kvmrtc/tls/cert.pem";
  CHECK(mode_of(key) == 0600);
  CHECK(mode_of(certificate) == 0644);
  CHECK(mode_of(dir / "etc/kvmrtc/tls") == 0755);
  const std::string first_key = read(key);
  const auto printed = parse(read(certificate));
  CHECK(out.str().find("tls-key=" + key.string()) != std::string::npos);
  const std::string fingerprint_line = out.str().substr(out.str().find("SHA-256 fingerprint: "));
  unsigned char digest[32];
  std::size_t size = sizeof digest;
  REQUIRE(gnutls_x509_crt_get_fingerprint(printed.get(), GNUTLS_DIG_SHA256, digest, &size) == 0);
  char first_byte[3];
  std::snprintf(first_byte, sizeof first_byte, "%02X", digest[0]);
  CHECK(fingerprint_line.substr(21, 2) == first_byte);

  std::ostringstream again_out, again_err;
  CHECK(kvmrtc::run_tls_command(command, again_out, again_err) == 1);
  CHECK(again_err.str().find("already exists; --force replaces it") != std::string::npos);
  CHECK(read(key) == first_key);

  const auto forced = kvmrtc::parse_tls_command({"generate", "--force", "--out", out_dir});
  REQUIRE(forced.error.empty());
  std::ostringstream forced_out, forced_err;
  REQUIRE(kvmrtc::run_tls_command(forced, forced_out, forced_err) == 0);
  CHECK(read(key) != first_key);
  CHECK(mode_of(key) == 0600);
}

TEST_CASE("tls command line mistakes are named", "[tls]") {
  CHECK(kvmrtc::parse_tls_command({}).error == "which action? generate");
  CHECK(kvmrtc::parse_tls_command({"make"}).error == "unknown action 'make'");
  CHECK(kvmrtc::parse_tls_command({"generate"}).error == "generate needs --out DIR");
  CHECK(kvmrtc::parse_tls_command({"generate", "--out"}).error == "--out needs a directory");
  CHECK(kvmrtc::parse_tls_command({"generate", "--out", "d", "-f"}).error ==
        "unknown argument '-f'");
}
