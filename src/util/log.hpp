// User-facing log lines. Fine-grained tracing goes to GStreamer debug categories
// (GST_DEBUG=kvmrtc-*:6); these lines are what an administrator reads. On a terminal (or a
// pipe) they are plain "kvmrtc LEVEL: text" lines on stderr. Under systemd, whose journal is
// stderr, each line goes to the journal as a structured entry, with who it is about as fields
// of their own: `journalctl KVMRTC_VIEWER=3` follows one viewer's life, `KVMRTC_USER=alice`
// one user's.
#pragma once

#include <glib.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kvmrtc::log {

// Who a line is about; an empty member is left out.
struct Context {
  std::uint64_t viewer = 0;  // 0: no viewer
  std::string address;       // the client's
  std::string user;
};

void info(const char* format, ...) G_GNUC_PRINTF(1, 2);
void warning(const char* format, ...) G_GNUC_PRINTF(1, 2);
void error(const char* format, ...) G_GNUC_PRINTF(1, 2);
void info(const Context& context, const char* format, ...) G_GNUC_PRINTF(2, 3);
void warning(const Context& context, const char* format, ...) G_GNUC_PRINTF(2, 3);
void error(const Context& context, const char* format, ...) G_GNUC_PRINTF(2, 3);

// A warning about a client's message that was refused. These lines are limited daemon-wide
// (`[limits] log-lines-per-second`), so a flooding page cannot fill the disk with them; the next
// line written says how many were left out. Main loop only.
void rejected(const Context& context, const char* format, ...) G_GNUC_PRINTF(2, 3);
void set_rejected_lines_per_second(int lines);

// The journal fields of one line (pure): MESSAGE, PRIORITY (syslog's: 6 info, 4 warning,
// 3 error), SYSLOG_IDENTIFIER and the context's KVMRTC_VIEWER, KVMRTC_ADDRESS, KVMRTC_USER.
std::vector<std::pair<std::string, std::string>> journal_fields(GLogLevelFlags level,
                                                                const Context& context,
                                                                const std::string& message);

}  // namespace kvmrtc::log
