// The users file, which `kvmrtc user` writes and an administrator may edit by hand; the daemon
// rereads it whenever it changes. Its errors go to the log only, so any bytes may be in them.
#include "auth/users_file.hpp"

#include "fuzz_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  kvmrtc::auth::parse_users(fuzz_text(data, size), "users");
  return 0;
}
