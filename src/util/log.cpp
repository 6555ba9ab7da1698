#include "util/log.hpp"

#include <unistd.h>

#include <cstdarg>
#include <cstdio>

#include "util/rate_limiter.hpp"

namespace kvmrtc::log {
namespace {

const char* level_word(GLogLevelFlags level) {
  if (level & G_LOG_LEVEL_ERROR || level & G_LOG_LEVEL_CRITICAL) return "error";
  return level & G_LOG_LEVEL_WARNING ? "warning" : "info";
}

// Asked once: the daemon's stderr does not change while it runs.
bool stderr_is_journal() {
  static const bool journal = g_log_writer_is_journald(STDERR_FILENO);
  return journal;
}

void write_line(GLogLevelFlags level, const Context& context, const char* format, va_list args) {
  g_autofree gchar* text = g_strdup_vprintf(format, args);
  if (stderr_is_journal()) {
    const auto fields = journal_fields(level, context, text);
    std::vector<GLogField> entry;
    for (const auto& [name, value] : fields) {
      entry.push_back({name.c_str(), value.c_str(), static_cast<gssize>(value.size())});
    }
    if (g_log_writer_journald(level, entry.data(), entry.size(), nullptr) == G_LOG_WRITER_HANDLED) {
      return;
    }
  }
  // One fprintf per line keeps lines from different threads whole.
  std::fprintf(stderr, "kvmrtc %s: %s\n", level_word(level), text);
}

RateLimiter& rejected_lines() {
  static RateLimiter limiter(5);
  return limiter;
}

}  // namespace

void rejected(const Context& context, const char* format, ...) {
  RateLimiter& limiter = rejected_lines();
  if (!limiter.allow()) return;
  if (const std::uint64_t left_out = limiter.take_dropped(); left_out > 0) {
    warning("%" G_GUINT64_FORMAT
            " more lines about rejected messages were left out "
            "([limits] log-lines-per-second)",
            left_out);
  }
  va_list args;
  va_start(args, format);
  write_line(G_LOG_LEVEL_WARNING, context, format, args);
  va_end(args);
}

void set_rejected_lines_per_second(int lines) {
  rejected_lines().set_rate(lines);
}

std::vector<std::pair<std::string, std::string>> journal_fields(GLogLevelFlags level,
                                                                const Context& context,
                                                                const std::string& message) {
  const std::string word = level_word(level);
  const char* priority = word == "error" ? "3" : word == "warning" ? "4" : "6";
  std::vector<std::pair<std::string, std::string>> fields = {
      {"MESSAGE", message}, {"PRIORITY", priority}, {"SYSLOG_IDENTIFIER", "kvmrtc"}};
  if (context.viewer != 0) fields.emplace_back("KVMRTC_VIEWER", std::to_string(context.viewer));
  if (!context.address.empty()) fields.emplace_back("KVMRTC_ADDRESS", context.address);
  if (!context.user.empty()) fields.emplace_back("KVMRTC_USER", context.user);
  return fields;
}

#define KVMRTC_LOG_FUNCTION(name, level)                       \
  void name(const char* format, ...) {                         \
    va_list args;                                              \
    va_start(args, format);                                    \
    write_line(level, Context{}, format, args);                \
    va_end(args);                                              \
  }                                                            \
  void name(const Context& context, const char* format, ...) { \
    va_list args;                                              \
    va_start(args, format);                                    \
    write_line(level, context, format, args);                  \
    va_end(args);                                              \
  }

KVMRTC_LOG_FUNCTION(info, G_LOG_LEVEL_INFO)
KVMRTC_LOG_FUNCTION(warning, G_LOG_LEVEL_WARNING)
KVMRTC_LOG_FUNCTION(error, G_LOG_LEVEL_CRITICAL)

#undef KVMRTC_LOG_FUNCTION

}  // namespace kvmrtc::log
