#include "tls_command.hpp"

#include <glib.h>
#include <glib/gstdio.h>

#include <algorithm>
#include <ostream>

#include "media/local_addresses.hpp"
#include "tls/self_signed.hpp"
#include "util/ref_ptr.hpp"

namespace kvmrtc {
namespace {

constexpr int kValidDays = 3650;

void add_once(std::vector<std::string>& list, const std::string& item) {
  if (!item.empty() && std::find(list.begin(), list.end(), item) == list.end()) {
    list.push_back(item);
  }
}

// The names a browser may use for this machine: its host name, the mDNS name avahi answers
// for, localhost, and every address it has now.
tls::CertificateRequest this_machine() {
  tls::CertificateRequest request;
  const std::string host = g_get_host_name();
  request.common_name = host;
  add_once(request.dns_names, host);
  if (host.find('.') == std::string::npos && host != "localhost") {
    add_once(request.dns_names, host + ".local");
  }
  add_once(request.dns_names, "localhost");
  add_once(request.ip_addresses, "127.0.0.1");
  add_once(request.ip_addresses, "::1");
  for (const std::string& address : media::local_addresses()) {
    add_once(request.ip_addresses, address.substr(0, address.find('%')));
  }
  request.valid_days = kValidDays;
  return request;
}

bool write_file(const std::string& path, const std::string& text, int mode, std::ostream& err) {
  GError* raw_error = nullptr;
  if (g_file_set_contents_full(path.c_str(), text.data(), static_cast<gssize>(text.size()),
                               G_FILE_SET_CONTENTS_CONSISTENT, mode, &raw_error)) {
    return true;
  }
  ErrorPtr error(raw_error);
  err << "kvmrtc: cannot write " << path << ": " << error->message << "\n";
  return false;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string text;
  for (const std::string& part : parts) text += (text.empty() ? "" : ", ") + part;
  return text;
}

std::string date_in_days(int days) {
  Owned<GDateTime, g_date_time_unref> now(g_date_time_new_now_utc());
  Owned<GDateTime, g_date_time_unref> then(g_date_time_add_days(now.get(), days));
  CharPtr text(g_date_time_format(then.get(), "%Y-%m-%d"));
  return text.get();
}

}  // namespace

const char* tls_usage_text() {
  return "Usage: kvmrtc tls generate --out DIR [--force]\n"
         "  Makes this device's own self-signed certificate (ECDSA P-256, ten years) for its\n"
         "  host name, <host>.local, localhost and its addresses: DIR/cert.pem and DIR/key.pem\n"
         "  (mode 0600). --force replaces a certificate already there.\n";
}

TlsCommandLine parse_tls_command(const std::vector<std::string>& arguments) {
  TlsCommandLine line;
  if (arguments.empty()) {
    line.error = "which action? generate";
    return line;
  }
  if (arguments.front() != "generate") {
    line.error = "unknown action '" + arguments.front() + "'";
    return line;
  }
  for (std::size_t i = 1; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--out") {
      if (i + 1 == arguments.size()) {
        line.error = "--out needs a directory";
        return line;
      }
      line.out_dir = arguments[++i];
    } else if (argument == "--force") {
      line.force = true;
    } else {
      line.error = "unknown argument '" + argument + "'";
      return line;
    }
  }
  if (line.out_dir.empty()) line.error = "generate needs --out DIR";
  return line;
}

int run_tls_command(const TlsCommandLine& command, std::ostream& out, std::ostream& err) {
  CharPtr absolute(g_canonicalize_filename(command.out_dir.c_str(), nullptr));
  const std::string dir = absolute.get();
  const std::string certificate_path = dir + "/cert.pem";
  const std::string key_path = dir + "/key.pem";
  if (!command.force) {
    for (const std::string& path : {certificate_path, key_path}) {
      GStatBuf info;
      if (g_lstat(path.c_str(), &info) == 0) {
        err << "kvmrtc: " << path << " already exists; --force replaces it (browsers that "
            << "trusted the old certificate will warn again)\n";
        return 1;
      }
    }
  }
  if (g_mkdir_with_parents(dir.c_str(), 0755) != 0) {
    err << "kvmrtc: cannot make " << dir << ": " << g_strerror(errno) << "\n";
    return 1;
  }
  const tls::CertificateRequest request = this_machine();
  const tls::SelfSignedCertificate made = tls::make_self_signed(request);
  if (!made.error.empty()) {
    err << "kvmrtc: cannot make the certificate: " << made.error << "\n";
    return 1;
  }
  // The key first: a certificate without its key would be useless, a key without its
  // certificate is only regenerated.
  if (!write_file(key_path, made.key_pem, 0600, err) ||
      !write_file(certificate_path, made.certificate_pem, 0644, err)) {
    return 1;
  }
  std::vector<std::string> names = request.dns_names;
  names.insert(names.end(), request.ip_addresses.begin(), request.ip_addresses.end());
  out << "Wrote " << certificate_path << " and " << key_path << " (mode 0600)\n"
      << "For: " << joined(names) << "\n"
      << "Valid until: " << date_in_days(request.valid_days) << "\n"
      << "SHA-256 fingerprint: " << made.fingerprint << "\n"
      << "Compare it with the one your browser shows before you accept the certificate.\n"
      << "To serve HTTPS, put in the config:\n"
      << "  [server]\n"
      << "  tls-certificate=" << certificate_path << "\n"
      << "  tls-key=" << key_path << "\n";
  return 0;
}

}  // namespace kvmrtc
