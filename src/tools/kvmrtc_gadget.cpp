// kvmrtc-gadget: creates or removes the kvmrtc USB gadget (keyboard, absolute mouse, relative
// mouse) in configfs. Run at boot by provisioning/kvmrtc-gadget.service, before the daemon.
#include <iostream>
#include <string>
#include <vector>

#include "hid/descriptors.hpp"
#include "hid/gadget_setup.hpp"

namespace {

using kvmrtc::hid::GadgetOptions;
using kvmrtc::hid::HidFunction;

enum class Command { kNone, kSetup, kTeardown, kHelp };

struct Arguments {
  Command command = Command::kNone;
  GadgetOptions options;
  std::string error;  // set when the arguments do not parse
};

std::string usage_text() {
  const GadgetOptions defaults;
  return "Usage: kvmrtc-gadget setup|teardown [--configfs DIR] [--udc-dir DIR] [--udc NAME]\n"
         "                                    [--name NAME]\n"
         "       kvmrtc-gadget --help\n"
         "\n"
         "setup creates the USB gadget in configfs (a keyboard, an absolute mouse and a relative\n"
         "mouse), binds it to a USB device controller and prints each device, one per line\n"
         "(\"keyboard /dev/hidg0\"), named as the [hid] config keys. teardown removes it.\n"
         "Both are idempotent.\n"
         "\n"
         "  --configfs DIR  where configfs is mounted (default " +
         defaults.configfs_root +
         ")\n"
         "  --udc-dir DIR   where the controllers are listed (default " +
         defaults.udc_class_dir +
         ")\n"
         "  --udc NAME      the controller to bind (default: the first in --udc-dir)\n"
         "  --name NAME     the gadget's directory under usb_gadget/ (default " +
         defaults.name +
         ")\n"
         "\n"
         "Exit status: 0 done, 1 failed, 2 bad arguments.\n";
}

Arguments parse_arguments(const std::vector<std::string>& arguments) {
  Arguments parsed;
  for (std::size_t i = 0; i < arguments.size() && parsed.error.empty(); ++i) {
    const std::string& argument = arguments[i];
    if (argument == "--help" || argument == "-h") {
      parsed.command = Command::kHelp;
      return parsed;
    }
    if (argument == "setup" || argument == "teardown") {
      if (parsed.command == Command::kNone) {
        parsed.command = argument == "setup" ? Command::kSetup : Command::kTeardown;
      } else {
        parsed.error = "give one command, setup or teardown";
      }
      continue;
    }
    std::string* value = nullptr;
    if (argument == "--configfs") value = &parsed.options.configfs_root;
    if (argument == "--udc-dir") value = &parsed.options.udc_class_dir;
    if (argument == "--udc") value = &parsed.options.udc;
    if (argument == "--name") value = &parsed.options.name;
    if (value == nullptr) {
      parsed.error = "unknown argument '" + argument + "'";
    } else if (i + 1 == arguments.size() || arguments[i + 1].empty() ||
               arguments[i + 1].starts_with("--")) {
      parsed.error = argument + " needs a value";
    } else {
      *value = arguments[++i];
    }
  }
  if (parsed.error.empty() && parsed.command == Command::kNone) {
    parsed.error = "missing command: setup or teardown";
  }
  return parsed;
}

// The [hid] config key that takes each function's device, so the output reads like the config.
std::string config_key(const HidFunction* function) {
  if (function == &kvmrtc::hid::keyboard_function()) return "keyboard";
  if (function == &kvmrtc::hid::absolute_mouse_function()) return "mouse";
  if (function == &kvmrtc::hid::relative_mouse_function()) return "mouse-relative";
  return function->name;
}

}  // namespace

int main(int argc, char** argv) {
  const Arguments arguments = parse_arguments(std::vector<std::string>(argv + 1, argv + argc));
  if (arguments.command == Command::kHelp) {
    std::cout << usage_text();
    return 0;
  }
  if (!arguments.error.empty()) {
    std::cerr << "kvmrtc-gadget: " << arguments.error << "\nTry 'kvmrtc-gadget --help'.\n";
    return 2;
  }
  if (arguments.command == Command::kTeardown) {
    const auto result = kvmrtc::hid::teardown_gadget(arguments.options);
    if (!result.ok()) {
      std::cerr << "kvmrtc-gadget: teardown failed: " << result.error << "\n";
      return 1;
    }
    return 0;
  }
  const auto result = kvmrtc::hid::setup_gadget(arguments.options);
  if (!result.ok()) {
    std::cerr << "kvmrtc-gadget: setup failed: " << result.error << "\n";
    return 1;
  }
  const auto functions = kvmrtc::hid::gadget_functions();
  for (std::size_t i = 0; i < functions.size() && i < result.device_paths.size(); ++i) {
    std::cout << config_key(functions[i]) << " " << result.device_paths[i] << "\n";
  }
  return 0;
}
