#include "hid/input_hub.hpp"

#include <gst/gst.h>

#include <algorithm>

#include "hid/key_table.hpp"
#include "hid/mouse_reports.hpp"
#include "util/log.hpp"

GST_DEBUG_CATEGORY_STATIC(input_debug);
#define GST_CAT_DEFAULT input_debug

namespace kvmrtc::hid {
namespace {

// Enough to see what a browser sends; a page sending garbage cannot fill the log.
constexpr std::size_t kMaxUnknownCodesLogged = 32;

template <typename Array>
GadgetWriter::Report to_report(const Array& bytes) {
  return GadgetWriter::Report(bytes.begin(), bytes.end());
}

}  // namespace

InputHub::InputHub(const HidPaths& paths, std::vector<std::string> layout_dirs)
    : layout_dirs_(std::move(layout_dirs)),
      keyboard_writer_("keyboard", paths.keyboard),
      mouse_writer_("mouse", paths.mouse),
      relative_writer_("relative mouse", paths.mouse_relative),
      typer_([this](const KeyboardReport& report) { keyboard_writer_.write(to_report(report)); },
             [this] { return keyboard_writer_.idle(); }) {
  GST_DEBUG_CATEGORY_INIT(input_debug, "kvmrtc-input", 0, "kvmrtc keyboard and mouse input");
  read_leds(paths.keyboard_leds);
  auto announce = [this] {
    if (broadcast_) broadcast_(devices());
  };
  keyboard_writer_.on_state_change(announce);
  mouse_writer_.on_state_change(announce);
  relative_writer_.on_state_change(announce);
}

void InputHub::set_outputs(SendTo send_to, Broadcast broadcast) {
  send_to_ = std::move(send_to);
  broadcast_ = std::move(broadcast);
}

std::vector<std::string> InputHub::greeting() const {
  return {leds_message(leds_ ? leds_->leds() : 0), devices()};
}

std::string InputHub::devices() const {
  return devices_message(to_string(keyboard_writer_.state()), to_string(mouse_writer_.state()),
                         to_string(relative_writer_.state()));
}

void InputHub::reply(std::uint64_t viewer, const std::string& message) {
  if (send_to_) send_to_(viewer, message);
}

void InputHub::set_limits(const InputLimits& limits) {
  limits_ = limits;
  for (auto& [viewer, rate] : rates_) rate.messages.set_rate(limits.messages_per_second);
}

bool InputHub::lets_go(std::uint64_t viewer, const InputMessage& message) const {
  const auto held = held_.find(viewer);
  const Held none;
  const Held& state = held != held_.end() ? held->second : none;
  if (const auto* key = std::get_if<KeyMessage>(&message)) return !key->down;
  if (const auto* pointer = std::get_if<AbsolutePointerMessage>(&message)) {
    return mask_buttons(pointer->buttons) != state.absolute_buttons;
  }
  if (const auto* pointer = std::get_if<RelativePointerMessage>(&message)) {
    return mask_buttons(pointer->buttons) != state.relative_buttons;
  }
  return std::holds_alternative<ReleaseMessage>(message) ||
         std::holds_alternative<PasteCancelMessage>(message);
}

bool InputHub::drop_over_rate(std::uint64_t viewer, const InputMessage& message) {
  auto [entry, added] = rates_.try_emplace(viewer, Rate{RateLimiter(limits_.messages_per_second)});
  Rate& rate = entry->second;
  if (rate.messages.allow() || lets_go(viewer, message)) return false;
  ++dropped_messages_;
  if (rate.notices.allow()) {
    log::rejected(
        log::Context{viewer, "", ""},
        "viewer %" G_GUINT64_FORMAT
        ": over %d input messages a second; presses and moves are dropped (%" G_GUINT64_FORMAT
        " so far)",
        viewer, limits_.messages_per_second, rate.messages.dropped_total());
    reply(viewer, error_message({"rate-limited", "more than " +
                                                     std::to_string(limits_.messages_per_second) +
                                                     " input messages a second ([limits] "
                                                     "input-messages-per-second): some were "
                                                     "dropped"}));
  }
  return true;
}

void InputHub::handle(std::uint64_t viewer, const std::string& text) {
  GST_LOG("viewer %" G_GUINT64_FORMAT ": %.200s", viewer, text.c_str());
  const InputMessage message = parse_input_message(text, limits_.message_bytes);
  if (drop_over_rate(viewer, message)) return;
  if (const auto* error = std::get_if<MessageError>(&message)) {
    log::rejected(log::Context{viewer, "", ""},
                  "viewer %" G_GUINT64_FORMAT ": rejected an input message (%s): %s", viewer,
                  error->code.c_str(), error->message.c_str());
    reply(viewer, error_message(*error));
  } else if (const auto* key = std::get_if<KeyMessage>(&message)) {
    on_key(viewer, *key);
  } else if (const auto* absolute = std::get_if<AbsolutePointerMessage>(&message)) {
    on_absolute(viewer, *absolute);
  } else if (const auto* relative = std::get_if<RelativePointerMessage>(&message)) {
    on_relative(viewer, *relative);
  } else if (const auto* wheel = std::get_if<WheelMessage>(&message)) {
    on_wheel(*wheel);
  } else if (std::holds_alternative<ReleaseMessage>(message)) {
    release_viewer(viewer);
  } else if (const auto* paste = std::get_if<PasteMessage>(&message)) {
    on_paste(viewer, *paste);
  } else if (std::holds_alternative<PasteCancelMessage>(message)) {
    if (paste_owner_ == viewer) typer_.cancel();
  }
}

void InputHub::on_key(std::uint64_t viewer, const KeyMessage& key) {
  const auto usage = usage_for_code(key.code);
  if (!usage) {
    // Logged once per code, not answered: a new browser may know keys this daemon does not.
    if (unknown_codes_logged_.size() < kMaxUnknownCodesLogged &&
        unknown_codes_logged_.insert(key.code.substr(0, 64)).second) {
      log::warning(log::Context{viewer, "", ""},
                   "viewer %" G_GUINT64_FORMAT
                   ": ignoring key code '%.64s', which has no USB HID usage",
                   viewer, key.code.c_str());
    }
    return;
  }
  auto& held = held_[viewer].keys;
  if (key.down) {
    held.insert(*usage);
    if (keyboard_.press(*usage)) write_keyboard();
  } else if (held.erase(*usage) > 0 && !held_by_another(viewer, *usage) &&
             keyboard_.release(*usage)) {
    write_keyboard();
  }
}

bool InputHub::held_by_another(std::uint64_t viewer, std::uint8_t usage) const {
  return std::any_of(held_.begin(), held_.end(), [&](const auto& entry) {
    return entry.first != viewer && entry.second.keys.count(usage) > 0;
  });
}

void InputHub::on_absolute(std::uint64_t viewer, const AbsolutePointerMessage& pointer) {
  const std::uint8_t before = absolute_buttons();
  held_[viewer].absolute_buttons = mask_buttons(pointer.buttons);
  pointer_x_ = scale_absolute(pointer.x);
  pointer_y_ = scale_absolute(pointer.y);
  // A move may be replaced by a newer one while the target is not reading; a click may not.
  write_absolute(0, 0, absolute_buttons() == before);
}

void InputHub::on_relative(std::uint64_t viewer, const RelativePointerMessage& pointer) {
  held_[viewer].relative_buttons = mask_buttons(pointer.buttons);
  relative_writer_.write(to_report(
      relative_report(relative_buttons(), clamp_delta(pointer.dx), clamp_delta(pointer.dy), 0)));
}

void InputHub::on_wheel(const WheelMessage& wheel) {
  if (wheel.relative) {
    relative_writer_.write(
        to_report(relative_report(relative_buttons(), 0, 0, clamp_delta(wheel.dy))));
  } else {
    write_absolute(clamp_delta(wheel.dy), clamp_delta(wheel.dx), false);
  }
}

void InputHub::on_paste(std::uint64_t viewer, const PasteMessage& paste) {
  const auto characters = static_cast<std::size_t>(g_utf8_strlen(paste.text.c_str(), -1));
  if (characters > limits_.paste_characters) {
    reply(viewer, error_message({"too-large", "a paste of " + std::to_string(characters) +
                                                  " characters is over the limit of " +
                                                  std::to_string(limits_.paste_characters) +
                                                  " ([limits] paste-characters)"}));
    return;
  }
  if (typer_.busy()) {
    reply(viewer, error_message({"busy", "another paste is being typed"}));
    return;
  }
  const LayoutResult layout = load_layout(paste.layout, layout_dirs_);
  if (!layout.ok()) {
    reply(viewer, error_message({"bad-field", layout.error}));
    return;
  }
  PastePlan plan = plan_paste(paste.text, layout.layout);
  if (!plan.error.empty()) {
    reply(viewer, error_message({"bad-field", plan.error}));
    return;
  }
  if (!plan.unsupported.empty()) {
    reply(viewer, paste_progress_message("refused", 0, 0, plan.unsupported));
    return;
  }
  paste_owner_ = viewer;
  typer_.start(std::move(plan.strokes),
               [this, viewer](const std::string& state, std::size_t typed, std::size_t total) {
                 reply(viewer, paste_progress_message(state, typed, total));
                 // Keys the user held before the paste are down again afterwards.
                 if (state != "typing") write_keyboard();
               });
}

void InputHub::release_viewer(std::uint64_t viewer) {
  if (paste_owner_ == viewer) typer_.cancel();
  const auto found = held_.find(viewer);
  if (found == held_.end()) return;
  const Held held = found->second;
  held_.erase(found);
  bool keys_changed = false;
  // The target sees the union of what the viewers hold: a key another viewer holds stays down.
  for (const std::uint8_t usage : held.keys) {
    if (!held_by_another(viewer, usage)) keys_changed = keyboard_.release(usage) || keys_changed;
  }
  if (keys_changed) write_keyboard();
  if (held.absolute_buttons != 0) write_absolute(0, 0, false);
  if (held.relative_buttons != 0) {
    relative_writer_.write(to_report(relative_report(relative_buttons(), 0, 0, 0)));
  }
}

void InputHub::forget_viewer(std::uint64_t viewer) {
  release_viewer(viewer);
  rates_.erase(viewer);
}

void InputHub::move_devices(const HidPaths& paths) {
  std::vector<std::uint64_t> holders;
  for (const auto& [viewer, held] : held_) holders.push_back(viewer);
  for (const auto viewer : holders) release_viewer(viewer);
  typer_.cancel();
  keyboard_writer_.move_to(paths.keyboard);
  mouse_writer_.move_to(paths.mouse);
  relative_writer_.move_to(paths.mouse_relative);
  read_leds(paths.keyboard_leds);
  if (broadcast_) broadcast_(devices());
}

std::vector<InputHub::DeviceCounts> InputHub::device_counts() const {
  return {{"keyboard", keyboard_writer_.counts()},
          {"mouse", mouse_writer_.counts()},
          {"mouse-relative", relative_writer_.counts()}};
}

void InputHub::read_leds(const std::string& path) {
  leds_.reset();
  if (path.empty()) return;
  leds_ = std::make_unique<LedReader>(path, [this](std::uint8_t leds) {
    if (broadcast_) broadcast_(leds_message(leds));
  });
}

void InputHub::write_keyboard() {
  keyboard_writer_.write(to_report(keyboard_.report()));
}

void InputHub::write_absolute(std::int8_t wheel, std::int8_t pan, bool coalescable) {
  mouse_writer_.write(
      to_report(absolute_report(absolute_buttons(), pointer_x_, pointer_y_, wheel, pan)),
      coalescable);
}

std::uint8_t InputHub::absolute_buttons() const {
  std::uint8_t buttons = 0;
  for (const auto& [viewer, held] : held_) buttons |= held.absolute_buttons;
  return buttons;
}

std::uint8_t InputHub::relative_buttons() const {
  std::uint8_t buttons = 0;
  for (const auto& [viewer, held] : held_) buttons |= held.relative_buttons;
  return buttons;
}

}  // namespace kvmrtc::hid
