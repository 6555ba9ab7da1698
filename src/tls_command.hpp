// `kvmrtc tls generate --out DIR`: the device's own HTTPS certificate, from the command line.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace kvmrtc {

struct TlsCommandLine {
  std::string out_dir;
  bool force = false;  // replace a certificate already in out_dir
  std::string error;   // set when the arguments do not parse
};

// `arguments` follow "tls" (pure).
TlsCommandLine parse_tls_command(const std::vector<std::string>& arguments);
const char* tls_usage_text();

// Writes out_dir/cert.pem (0644) and out_dir/key.pem (0600) for this machine's names and
// addresses; prints the paths, the fingerprint and the config lines. Returns the exit status.
int run_tls_command(const TlsCommandLine& command, std::ostream& out, std::ostream& err);

}  // namespace kvmrtc
