// Owning holders for GLib/GStreamer references: every reference the daemon takes is released by
// a destructor, so no error path needs a manual unref.
#pragma once

#include <gst/gst.h>
#include <json-glib/json-glib.h>

#include <memory>

namespace kvmrtc {

template <typename T, auto Release>
struct Releaser {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Release(p);
  }
};

template <typename T, auto Release>
using Owned = std::unique_ptr<T, Releaser<T, Release>>;

// GStreamer's mini-object unrefs are static inline; these give them the external linkage a
// template argument needs.
inline void unref_caps(GstCaps* caps) {
  gst_caps_unref(caps);
}
inline void unref_sample(GstSample* sample) {
  gst_sample_unref(sample);
}
inline void unref_message(GstMessage* message) {
  gst_message_unref(message);
}
inline void unref_buffer(GstBuffer* buffer) {
  gst_buffer_unref(buffer);
}
inline void unref_promise(GstPromise* promise) {
  gst_promise_unref(promise);
}

template <typename T>
using GObjectPtr = Owned<T, g_object_unref>;
template <typename T>
using GstObjectPtr = Owned<T, gst_object_unref>;

using ElementPtr = GstObjectPtr<GstElement>;
using PadPtr = GstObjectPtr<GstPad>;
using BusPtr = GstObjectPtr<GstBus>;
using ClockPtr = GstObjectPtr<GstClock>;
using CapsPtr = Owned<GstCaps, unref_caps>;
using SamplePtr = Owned<GstSample, unref_sample>;
using MessagePtr = Owned<GstMessage, unref_message>;
using BufferPtr = Owned<GstBuffer, unref_buffer>;
// The caller keeps its own reference to a promise it hands to webrtcbin's action signals.
using PromisePtr = Owned<GstPromise, unref_promise>;
using ErrorPtr = Owned<GError, g_error_free>;
using CharPtr = Owned<gchar, g_free>;
using KeyFilePtr = Owned<GKeyFile, g_key_file_unref>;
using JsonNodePtr = Owned<JsonNode, json_node_unref>;
using MainLoopPtr = Owned<GMainLoop, g_main_loop_unref>;
using IteratorPtr = Owned<GstIterator, gst_iterator_free>;

// Takes an extra reference: for borrowed pointers that must outlive the call that lent them.
template <typename T>
GObjectPtr<T> add_ref(T* object) {
  return GObjectPtr<T>(static_cast<T*>(g_object_ref(object)));
}

inline ElementPtr add_ref(GstElement* element) {
  return ElementPtr(static_cast<GstElement*>(gst_object_ref(element)));
}

}  // namespace kvmrtc
