// A browser's RTCP compound packet (receiver reports, REMB), which arrives from the network on
// every viewer's connection several times a second.
#include <gst/gst.h>

#include "fuzz_text.hpp"
#include "media/rtp/receiver_feedback.hpp"
#include "media/rtp/remb.hpp"
#include "util/ref_ptr.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gst_init(nullptr, nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kvmrtc::media::parse_remb_bitrate(data, size);
  kvmrtc::BufferPtr packet(gst_buffer_new_memdup(data, size));
  const auto feedback = kvmrtc::media::read_receiver_feedback(packet.get());
  if (feedback.fraction_lost && (*feedback.fraction_lost < 0 || *feedback.fraction_lost > 1)) {
    __builtin_trap();
  }
  return 0;
}
