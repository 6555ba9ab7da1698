#include <gst/gst.h>
#include <malloc.h>
#include <openssl/crypto.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app.hpp"
#include "cli.hpp"
#include "tls_command.hpp"
#include "user_command.hpp"

int main(int argc, char** argv) {
  // x264 asks for transparent huge pages for its frames, so each occupies whole 2 MB pages: at
  // 1080p that was 4.7 MiB more resident memory, for no encode time gained (bench/RESULTS.md).
  prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
  // glibc gives each thread that allocates an arena of its own, up to eight per core. Pipelines
  // are built and torn down on ever new threads, so every source failure left its freed memory
  // in another arena: 45 MB grew to 84 MB over 16 faults before it levelled off; with two
  // arenas, 52 MB after 6 and flat since (tests/e2e/faults.test.mjs).
  mallopt(M_ARENA_MAX, 2);
  // GStreamer's DTLS elements use OpenSSL, which keeps an error state per thread and frees it
  // when the thread ends. The daemon exits while GLib's pool may still be ending threads that
  // streamed a viewer; OpenSSL's exit handler would delete its thread keys first, so those
  // threads' states were lost (LeakSanitizer: 1 run in 4 of tests/e2e/viewer-churn.test.mjs).
  // Without the handler, the threads free their own to the very end.
  OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  if (!arguments.empty() && arguments.front() == "user") {
    const auto user_command = kvmrtc::parse_user_command({arguments.begin() + 1, arguments.end()});
    if (!user_command.error.empty()) {
      std::fprintf(stderr, "kvmrtc user: %s\n\n%s", user_command.error.c_str(),
                   kvmrtc::user_usage_text());
      return 2;
    }
    return kvmrtc::run_user_command(user_command, std::cin, isatty(STDIN_FILENO) != 0, std::cout,
                                    std::cerr);
  }
  if (!arguments.empty() && arguments.front() == "tls") {
    const auto tls_command = kvmrtc::parse_tls_command({arguments.begin() + 1, arguments.end()});
    if (!tls_command.error.empty()) {
      std::fprintf(stderr, "kvmrtc tls: %s\n\n%s", tls_command.error.c_str(),
                   kvmrtc::tls_usage_text());
      return 2;
    }
    return kvmrtc::run_tls_command(tls_command, std::cout, std::cerr);
  }
  // Only the daemon's own commands load GStreamer: `user` and `tls` run from a package's
  // maintainer scripts as root, where a plugin registry would be left in root's home.
  gst_init(&argc, &argv);
  // Without the --gst-* options gst_init took.
  const kvmrtc::CommandLine command_line =
      kvmrtc::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  if (!command_line.error.empty()) {
    std::fprintf(stderr, "kvmrtc: %s\n\n%s", command_line.error.c_str(), kvmrtc::usage_text());
    return 2;
  }
  return kvmrtc::run_command(command_line);
}
