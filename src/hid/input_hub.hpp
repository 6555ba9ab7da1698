// Where every viewer's keyboard and mouse input meets the gadget devices: one shared key state,
// a record of what each viewer holds (released when it goes), pointer state, LEDs, paste.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "hid/gadget_writer.hpp"
#include "hid/keyboard_state.hpp"
#include "hid/led_reader.hpp"
#include "hid/messages.hpp"
#include "hid/paste_typer.hpp"
#include "util/rate_limiter.hpp"

namespace kvmrtc::hid {

struct HidPaths {
  std::string keyboard;
  std::string mouse;
  std::string mouse_relative;
  std::string keyboard_leds;  // empty: no LED display
};

// What one viewer's input may be ([limits] in the config).
struct InputLimits {
  std::size_t message_bytes = 64 * 1024;
  std::size_t paste_characters = 4096;
  int messages_per_second = 500;
};

class InputHub {
 public:
  using SendTo = std::function<void(std::uint64_t viewer, const std::string& message)>;
  using Broadcast = std::function<void(const std::string& message)>;

  InputHub(const HidPaths& paths, std::vector<std::string> layout_dirs);

  void set_outputs(SendTo send_to, Broadcast broadcast);
  // One data-channel message from a viewer.
  void handle(std::uint64_t viewer, const std::string& text);
  // The viewer's channel closed or it went away: whatever it holds is released.
  void release_viewer(std::uint64_t viewer);
  // The viewer is gone for good: released, and its message rate forgotten.
  void forget_viewer(std::uint64_t viewer);
  // From the next message on (a config reload).
  void set_limits(const InputLimits& limits);
  // Messages dropped over a viewer's rate, since the start.
  std::uint64_t dropped_messages() const { return dropped_messages_; }
  // New device paths (a config reload): every key and button held is released on the old
  // devices first, so nothing stays pressed on the target.
  void move_devices(const HidPaths& paths);

  struct DeviceCounts {
    const char* device;  // keyboard, mouse, mouse-relative: the [hid] keys
    GadgetWriter::Counts counts;
  };
  std::vector<DeviceCounts> device_counts() const;
  // What a newly opened channel is told first: LEDs and device states.
  std::vector<std::string> greeting() const;

 private:
  struct Held {
    std::set<std::uint8_t> keys;
    std::uint8_t absolute_buttons = 0;
    std::uint8_t relative_buttons = 0;
  };
  // A viewer's message rate, and how often it is told that some were dropped.
  struct Rate {
    RateLimiter messages;
    RateLimiter notices{1};
  };

  // Over the viewer's rate, a message that only adds (a key pressed, a move, a wheel turn, a
  // paste) is dropped; one that lets go of something never is, so nothing stays pressed.
  bool drop_over_rate(std::uint64_t viewer, const InputMessage& message);
  bool lets_go(std::uint64_t viewer, const InputMessage& message) const;
  void on_key(std::uint64_t viewer, const KeyMessage& key);
  // Whether a viewer other than `viewer` holds the key down.
  bool held_by_another(std::uint64_t viewer, std::uint8_t usage) const;
  void on_absolute(std::uint64_t viewer, const AbsolutePointerMessage& pointer);
  void on_relative(std::uint64_t viewer, const RelativePointerMessage& pointer);
  void on_wheel(const WheelMessage& wheel);
  void on_paste(std::uint64_t viewer, const PasteMessage& paste);
  // Follows the target's LED reports on `path`; empty: none to read.
  void read_leds(const std::string& path);
  void write_keyboard();
  void write_absolute(std::int8_t wheel, std::int8_t pan, bool coalescable);
  std::uint8_t absolute_buttons() const;
  std::uint8_t relative_buttons() const;
  std::string devices() const;
  void reply(std::uint64_t viewer, const std::string& message);

  std::vector<std::string> layout_dirs_;
  GadgetWriter keyboard_writer_;
  GadgetWriter mouse_writer_;
  GadgetWriter relative_writer_;
  std::unique_ptr<LedReader> leds_;
  KeyboardState keyboard_;
  std::map<std::uint64_t, Held> held_;
  InputLimits limits_;
  std::map<std::uint64_t, Rate> rates_;
  std::uint64_t dropped_messages_ = 0;
  std::uint16_t pointer_x_ = 0;
  std::uint16_t pointer_y_ = 0;
  PasteTyper typer_;
  std::uint64_t paste_owner_ = 0;
  std::set<std::string> unknown_codes_logged_;
  SendTo send_to_;
  Broadcast broadcast_;
};

}  // namespace kvmrtc::hid
