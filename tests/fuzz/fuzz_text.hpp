// What every fuzz target shares: the input as text, and the one property every reply the daemon
// sends back must have whatever came in (valid UTF-8, as JSON text must be).
#pragma once

#include <glib.h>

#include <cstddef>
#include <cstdint>
#include <string>

inline std::string fuzz_text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A finding for libFuzzer: it stops on the trap and keeps the input.
inline void require_utf8(const std::string& reply) {
  if (!g_utf8_validate(reply.data(), static_cast<gssize>(reply.size()), nullptr)) __builtin_trap();
}
