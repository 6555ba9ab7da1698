// A signaling WebSocket message, as anyone who reaches the socket may send it, in either phase
// of the negotiation; and the codec list of the socket's URL.
#include <variant>

#include "fuzz_text.hpp"
#include "signaling/messages.hpp"

using namespace kvmrtc::signaling;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = fuzz_text(data, size);
  const ClientMessage message = parse_client_message(text);
  for (const Phase phase : {Phase::kAwaitingAnswer, Phase::kAnswered}) {
    const auto order = check_order(message, phase);
    if (const auto* error = std::get_if<ParseError>(&order)) require_utf8(error_message(*error));
  }
  if (const auto* error = std::get_if<ParseError>(&message)) require_utf8(error_message(*error));
  parse_codec_list(text);
  return 0;
}
