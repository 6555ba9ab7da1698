#include "media/declined_sections.hpp"

namespace kvmrtc::media {
namespace {

constexpr const char* kCarriedOver[] = {"ice-ufrag", "ice-pwd", "setup"};

const GstSDPMedia* first_accepted(const GstSDPMessage* answer) {
  for (guint i = 0; i < gst_sdp_message_medias_len(answer); ++i) {
    const GstSDPMedia* media = gst_sdp_message_get_media(answer, i);
    if (gst_sdp_media_get_port(media) != 0) return media;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> complete_declined_sections(GstSDPMessage* answer) {
  std::vector<std::string> declined;
  const GstSDPMedia* accepted = first_accepted(answer);
  for (guint i = 0; i < gst_sdp_message_medias_len(answer); ++i) {
    GstSDPMedia* media = const_cast<GstSDPMedia*>(gst_sdp_message_get_media(answer, i));
    if (gst_sdp_media_get_port(media) != 0) continue;
    declined.emplace_back(gst_sdp_media_get_media(media) ? gst_sdp_media_get_media(media) : "");
    if (accepted == nullptr) continue;
    for (const char* key : kCarriedOver) {
      const char* own = gst_sdp_media_get_attribute_val(media, key);
      const char* value = gst_sdp_media_get_attribute_val(accepted, key);
      if (own == nullptr && value != nullptr) gst_sdp_media_add_attribute(media, key, value);
    }
  }
  return declined;
}

}  // namespace kvmrtc::media
