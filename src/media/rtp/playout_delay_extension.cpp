#include "media/rtp/playout_delay_extension.hpp"

#include <algorithm>

#include "media/rtp/header_extension_class.hpp"

namespace kvmrtc::media {
namespace {

constexpr gsize kPayloadSize = 3;
constexpr unsigned kUnitMs = 10;
constexpr unsigned kMaxUnits = 0xFFF;

struct KvmrtcPlayoutDelayExtension {
  GstRTPHeaderExtension parent;
  // Fixed when the extension is made, before any streaming thread can see it.
  guint8 payload[kPayloadSize];
};

struct KvmrtcPlayoutDelayExtensionClass {
  GstRTPHeaderExtensionClass parent_class;
};

G_DEFINE_FINAL_TYPE(KvmrtcPlayoutDelayExtension, kvmrtc_playout_delay_extension,
                    GST_TYPE_RTP_HEADER_EXTENSION)

unsigned to_units(unsigned ms) {
  return std::min((ms + kUnitMs / 2) / kUnitMs, kMaxUnits);
}

gsize max_size(GstRTPHeaderExtension*, const GstBuffer*) {
  return kPayloadSize;
}

// The payload is the same under either header form; the payloader writes the header itself.
gssize write_delay(GstRTPHeaderExtension* ext, const GstBuffer*, GstRTPHeaderExtensionFlags,
                   GstBuffer*, guint8* data, gsize size) {
  g_return_val_if_fail(size >= kPayloadSize, -1);
  const auto* self = reinterpret_cast<KvmrtcPlayoutDelayExtension*>(ext);
  std::copy_n(self->payload, kPayloadSize, data);
  return kPayloadSize;
}

gboolean read_delay(GstRTPHeaderExtension*, GstRTPHeaderExtensionFlags, const guint8* data,
                    gsize size, GstBuffer*) {
  return parse_playout_delay(data, size).has_value();
}

void kvmrtc_playout_delay_extension_class_init(KvmrtcPlayoutDelayExtensionClass* klass) {
  set_up_header_extension_class(GST_RTP_HEADER_EXTENSION_CLASS(klass), kPlayoutDelayUri,
                                {max_size, write_delay, read_delay});
}

void kvmrtc_playout_delay_extension_init(KvmrtcPlayoutDelayExtension*) {}

}  // namespace

GstObjectPtr<GstRTPHeaderExtension> make_playout_delay_extension(unsigned min_ms, unsigned max_ms) {
  auto* self = static_cast<KvmrtcPlayoutDelayExtension*>(
      g_object_new(kvmrtc_playout_delay_extension_get_type(), nullptr));
  const unsigned min = to_units(min_ms);
  const unsigned max = to_units(max_ms);
  self->payload[0] = static_cast<guint8>(min >> 4);
  self->payload[1] = static_cast<guint8>((min & 0xF) << 4 | max >> 8);
  self->payload[2] = static_cast<guint8>(max & 0xFF);
  return own_header_extension(self);
}

std::optional<std::pair<unsigned, unsigned>> parse_playout_delay(const guint8* data, gsize size) {
  if (size != kPayloadSize) return std::nullopt;
  const unsigned min = static_cast<unsigned>(data[0]) << 4 | data[1] >> 4;
  const unsigned max = static_cast<unsigned>(data[1] & 0xF) << 8 | data[2];
  return std::pair{min * kUnitMs, max * kUnitMs};
}

}  // namespace kvmrtc::media
