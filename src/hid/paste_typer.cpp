#include "hid/paste_typer.hpp"

#include <chrono>

namespace kvmrtc::hid {
namespace {

using namespace std::chrono_literals;

// One report per 8 ms: hosts poll a keyboard every 1 to 10 ms, and a report that replaces an
// unread one is a lost key. 3 reports a keystroke make some 40 characters a second.
constexpr auto kReportInterval = 8ms;
constexpr std::size_t kProgressEvery = 50;

KeyboardReport report_of(std::uint8_t modifiers, std::uint8_t usage) {
  KeyboardReport report{};
  report[0] = modifiers;
  report[2] = usage;
  return report;
}

}  // namespace

void PasteTyper::start(std::vector<Keystroke> strokes, Progress progress) {
  cancel();
  strokes_ = std::move(strokes);
  progress_ = std::move(progress);
  next_stroke_ = 0;
  phase_ = 0;
  reported_ = 0;
  if (strokes_.empty()) {
    progress_("done", 0, 0);
    return;
  }
  progress_("typing", 0, strokes_.size());
  timer_.start_repeating(kReportInterval, [this] { tick(); });
}

void PasteTyper::cancel() {
  if (!busy()) return;
  finish("cancelled");
}

void PasteTyper::tick() {
  if (!ready_()) return;  // the target has not taken the last report yet: wait, do not pile up
  const Keystroke& stroke = strokes_[next_stroke_];
  // Modifiers go down in a report of their own first: some hosts read a modifier and a key
  // arriving together as the unmodified key.
  if (phase_ == 0 && stroke.modifiers == 0) phase_ = 1;
  if (phase_ == 0) {
    write_(report_of(stroke.modifiers, 0));
  } else if (phase_ == 1) {
    write_(report_of(stroke.modifiers, stroke.usage));
  } else {
    write_(report_of(0, 0));
  }
  if (++phase_ < 3) return;
  phase_ = 0;
  ++next_stroke_;
  if (next_stroke_ == strokes_.size()) {
    finish("done");
    return;
  }
  if (next_stroke_ - reported_ >= kProgressEvery) {
    reported_ = next_stroke_;
    progress_("typing", next_stroke_, strokes_.size());
  }
}

void PasteTyper::finish(const std::string& state) {
  timer_.cancel();
  // A cancel may land between key down and key up: never leave a key held on the target.
  if (phase_ != 0) write_(report_of(0, 0));
  const std::size_t typed = next_stroke_;
  const std::size_t total = strokes_.size();
  strokes_.clear();
  phase_ = 0;
  progress_(state, typed, total);
}

}  // namespace kvmrtc::hid
