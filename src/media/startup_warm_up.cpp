#include "media/startup_warm_up.hpp"

#include <gst/gst.h>

#include "util/ref_ptr.hpp"

namespace kvmrtc::media {
namespace {

void generate_dtls_certificate() {
  GstElement* decoder = gst_element_factory_make("dtlsdec", nullptr);
  if (decoder == nullptr) return;  // webrtcbin will say what is missing when it is used
  // dtlsdec keeps the agent holding the generated certificate for the life of the process.
  ElementPtr owned(GST_ELEMENT(gst_object_ref_sink(decoder)));
}

// webrtcbin makes these inside itself as a connection comes up.
void load_viewer_plugins() {
  for (const char* name :
       {"appsrc", "rtph264pay", "webrtcbin", "rtpbin", "rtpfunnel", "nicesrc", "nicesink",
        "dtlssrtpenc", "dtlssrtpdec", "srtpenc", "srtpdec", "sctpenc", "sctpdec"}) {
    GstObjectPtr<GstElementFactory> factory(gst_element_factory_find(name));
    if (!factory) continue;  // the viewer names what is missing when it needs it
    GstObjectPtr<GstPluginFeature> loaded(
        gst_plugin_feature_load(GST_PLUGIN_FEATURE(factory.get())));
  }
}

// Building the pipeline loads every plugin it names; it never leaves the NULL state, so no
// device is opened.
void load_producer_plugins(const std::string& launch) {
  GError* raw_error = nullptr;
  ElementPtr pipeline(gst_parse_launch(launch.c_str(), &raw_error));
  ErrorPtr error(raw_error);  // the producer reports it when it starts
}

}  // namespace

void warm_up_media(const std::string& producer_launch) {
  generate_dtls_certificate();
  load_viewer_plugins();
  load_producer_plugins(producer_launch);
}

}  // namespace kvmrtc::media
