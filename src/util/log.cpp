#include "util/log.hpp"

#include <cstdarg>
#include <cstdio>

namespace kvmrtc::log {
namespace {

void write_line(const char* level, const char* format, va_list args) {
  g_autofree gchar* text = g_strdup_vprintf(format, args);
  // One fprintf per line keeps lines from different threads whole.
  std::fprintf(stderr, "kvmrtc %s: %s\n", level, text);
}

}  // namespace

void info(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_line("info", format, args);
  va_end(args);
}

void warning(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_line("warning", format, args);
  va_end(args);
}

void error(const char* format, ...) {
  va_list args;
  va_start(args, format);
  write_line("error", format, args);
  va_end(args);
}

}  // namespace kvmrtc::log
