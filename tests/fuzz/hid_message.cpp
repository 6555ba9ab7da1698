// A message on the "hid" data channel, as a page (or a script posing as one) may send it.
#include <variant>

#include "fuzz_text.hpp"
#include "hid/messages.hpp"

using namespace kvmrtc::hid;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const InputMessage message = parse_input_message(fuzz_text(data, size));
  if (const auto* error = std::get_if<MessageError>(&message)) require_utf8(error_message(*error));
  return 0;
}
