// User-facing log lines on stderr. Fine-grained tracing goes to GStreamer debug categories
// (GST_DEBUG=kvmrtc-*:6); these lines are what an administrator reads in the journal.
#pragma once

#include <glib.h>

namespace kvmrtc::log {

void info(const char* format, ...) G_GNUC_PRINTF(1, 2);
void warning(const char* format, ...) G_GNUC_PRINTF(1, 2);
void error(const char* format, ...) G_GNUC_PRINTF(1, 2);

}  // namespace kvmrtc::log
