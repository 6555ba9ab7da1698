// Answers to HTTP requests, each with the headers every response carries.
#pragma once

#include <libsoup/soup.h>

#include <string>

namespace kvmrtc::web {

void respond(SoupServerMessage* message, guint status, const char* content_type,
             const std::string& body);
void respond_json(SoupServerMessage* message, guint status, const std::string& json);
// A redirect to `location`, with a short text body for whoever reads it.
void redirect(SoupServerMessage* message, guint status, const std::string& location);

// Refuses a body over kMaxRequestBodyBytes without reading it: libsoup reads a body even when
// the early handler has answered, so the connection is taken from it, answered 413 and closed.
void refuse_unread_body(SoupServerMessage* message);

// The client's address: the socket's peer, never a header a client can write.
std::string peer_address(SoupServerMessage* message);

bool is_read_method(SoupServerMessage* message);
bool changes_state(SoupServerMessage* message);

}  // namespace kvmrtc::web
