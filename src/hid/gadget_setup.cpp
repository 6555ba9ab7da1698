#include "hid/gadget_setup.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <optional>
#include <set>
#include <sstream>

#include "hid/descriptors.hpp"
#include "hid/gadget_files.hpp"

namespace kvmrtc::hid {
namespace {

namespace fs = std::filesystem;
using namespace gadget_files;

const fs::path kLanguage = "0x409";  // US English, the one string table USB hosts all read
const fs::path kConfig = "configs/c.1";

// How to tell whether an attribute already holds its value: configfs prints numbers in its own
// format (a written "0x1D6B" reads back "0x1d6b\n"), strings with a newline, bytes as they are.
enum class Kind { kNumber, kText, kBytes };

struct Attribute {
  fs::path path;  // relative to the directory it belongs to
  std::string value;
  Kind kind;
};

std::optional<unsigned long> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const unsigned long value = std::strtoul(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

bool holds(const std::string& current, const Attribute& attribute) {
  if (attribute.kind == Kind::kBytes) return current == attribute.value;
  const std::string text = trim(current);
  if (attribute.kind == Kind::kNumber) {
    const auto number = parse_number(text);
    if (number && number == parse_number(attribute.value)) return true;
  }
  return text == attribute.value;
}

bool attributes_match(const fs::path& dir, const std::vector<Attribute>& attributes) {
  return std::all_of(attributes.begin(), attributes.end(), [&](const Attribute& attribute) {
    const auto current = read_file(dir / attribute.path);
    return current && holds(*current, attribute);
  });
}

void write_attributes(const fs::path& dir, const std::vector<Attribute>& attributes) {
  for (const Attribute& attribute : attributes) {
    // Like echo: the kernel drops one trailing newline from numbers and strings.
    write_file(dir / attribute.path,
               attribute.kind == Kind::kBytes ? attribute.value : attribute.value + "\n");
  }
}

std::vector<Attribute> gadget_attributes(const GadgetOptions& options) {
  const fs::path strings = "strings" / kLanguage;
  return {
      {"idVendor", options.vendor_id, Kind::kNumber},
      {"idProduct", options.product_id, Kind::kNumber},
      {"bcdDevice", "0x0100", Kind::kNumber},
      {"bcdUSB", "0x0200", Kind::kNumber},
      {strings / "serialnumber", options.serial, Kind::kText},
      {strings / "manufacturer", options.manufacturer, Kind::kText},
      {strings / "product", options.product, Kind::kText},
      {kConfig / "MaxPower", "250", Kind::kNumber},
      {kConfig / "strings" / kLanguage / "configuration", "kvmrtc", Kind::kText},
  };
}

std::vector<Attribute> function_attributes(const HidFunction& function) {
  return {
      {"protocol", std::to_string(function.protocol), Kind::kNumber},
      {"subclass", std::to_string(function.subclass), Kind::kNumber},
      {"report_length", std::to_string(function.report_length), Kind::kNumber},
      {"report_desc",
       std::string(function.report_descriptor.begin(), function.report_descriptor.end()),
       Kind::kBytes},
  };
}

class Gadget {
 public:
  explicit Gadget(const GadgetOptions& options)
      : dir_(fs::path(options.configfs_root) / "usb_gadget" / options.name),
        configfs_(on_configfs(options.configfs_root)) {
    // Anything but one plain name would point setup and teardown at another directory.
    if (options.name.empty() || options.name == "." || options.name == ".." ||
        options.name.find('/') != std::string::npos) {
      throw GadgetError("invalid gadget name '" + options.name + "': give one directory name");
    }
  }

  const fs::path& dir() const { return dir_; }
  bool exists() const {
    std::error_code error;
    return fs::exists(fs::symlink_status(dir_, error));
  }
  fs::path function_dir(const HidFunction& function) const {
    return dir_ / "functions" / function.name;
  }
  fs::path link(const HidFunction& function) const { return dir_ / kConfig / function.name; }

  std::string bound_controller() const { return trim(read_file(dir_ / "UDC").value_or("")); }
  void bind(const std::string& controller) const { write_file(dir_ / "UDC", controller + "\n"); }
  // The kernel refuses to change a bound gadget, and writing an empty name to an unbound one.
  void unbind_if_bound() const {
    if (!bound_controller().empty()) write_file(dir_ / "UDC", "\n");
  }

  bool is_linked(const HidFunction& function) const {
    std::error_code error;
    return fs::is_symlink(fs::symlink_status(link(function), error)) &&
           fs::equivalent(link(function), function_dir(function), error);
  }

  void create_link(const HidFunction& function) const {
    // configfs resolves a symlink's target from the caller's working directory, not from the
    // link's, so there the target is absolute; elsewhere it is relative so the tree can move.
    const fs::path target = configfs_ ? fs::absolute(function_dir(function))
                                      : fs::path("../../functions") / function.name;
    if (::symlink(target.c_str(), link(function).c_str()) != 0) fail("link", link(function), errno);
  }

  std::set<std::string> linked_names() const {
    std::set<std::string> names;
    for (const fs::path& path : entries(dir_ / kConfig, fs::file_type::symlink)) {
      names.insert(path.filename());
    }
    return names;
  }

  // configfs makes and removes attribute files with their directory and refuses to unlink them;
  // a plain directory (the tests) needs them removed first.
  void remove_group(const fs::path& path) const {
    if (!configfs_) {
      for (const fs::path& file : entries(path, fs::file_type::regular)) remove_file(file);
    }
    remove_directory(path);
  }
  // configfs creates "configs", "functions" and "strings" with their parent and removes them with
  // it; only a plain directory needs them removed by hand.
  void remove_default_group(const fs::path& path) const {
    if (!configfs_) remove_group(path);
  }

  void require_usb_gadget_group() const {
    if (configfs_ && !fs::is_directory(dir_.parent_path())) {
      throw GadgetError(dir_.parent_path().string() +
                        " does not exist: load the libcomposite module (modprobe libcomposite)");
    }
  }

 private:
  fs::path dir_;
  bool configfs_;
};

std::string first_controller(const fs::path& udc_dir) {
  std::set<std::string> names;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(udc_dir, error)) {
    names.insert(entry.path().filename());
  }
  if (names.empty()) {
    throw GadgetError("no USB device controller in " + udc_dir.string() +
                      (error ? " (" + error.message() + ")" : "") +
                      ": the board's USB port must be in device (peripheral) mode, e.g. "
                      "dtoverlay=dwc2,dr_mode=peripheral on a Raspberry Pi");
  }
  return *names.begin();
}

bool layout_matches(const Gadget& gadget, const std::vector<Attribute>& attributes) {
  if (!attributes_match(gadget.dir(), attributes)) return false;
  std::set<std::string> names;
  for (const HidFunction* function : gadget_functions()) {
    if (!attributes_match(gadget.function_dir(*function), function_attributes(*function)) ||
        !gadget.is_linked(*function)) {
      return false;
    }
    names.insert(function->name);
  }
  return gadget.linked_names() == names;
}

// f_hid refuses attribute writes while its function is linked into a configuration (it takes
// its reference at link time), so a function whose attributes change is unlinked first.
void update_function(const Gadget& gadget, const HidFunction& function) {
  const fs::path dir = gadget.function_dir(function);
  const std::vector<Attribute> attributes = function_attributes(function);
  if (!attributes_match(dir, attributes)) {
    remove_file(gadget.link(function));
    make_directories(dir);
    write_attributes(dir, attributes);
  }
  if (!gadget.is_linked(function)) {
    remove_file(gadget.link(function));
    gadget.create_link(function);
  }
}

// A function linked under another name (an older kvmrtc, a hand-made gadget) would give the
// host an extra device and shift the /dev/hidg numbering.
void unlink_foreign_functions(const Gadget& gadget) {
  const auto functions = gadget_functions();
  for (const std::string& name : gadget.linked_names()) {
    const bool ours =
        std::any_of(functions.begin(), functions.end(),
                    [&](const HidFunction* function) { return function->name == name; });
    if (!ours) remove_file(gadget.dir() / kConfig / name);
  }
}

// On a kernel, the function's "dev" attribute names its character device ("MAJOR:MINOR") and
// sysfs its node. A plain directory has neither: the kernel's numbering is assumed, hidg0, 1, 2
// in creation order.
std::string device_path(const fs::path& function_dir, std::size_t index) {
  const auto dev = read_file(function_dir / "dev");
  if (!dev) return "/dev/hidg" + std::to_string(index);
  const std::string numbers = trim(*dev);
  if (const auto uevent = read_file("/sys/dev/char/" + numbers + "/uevent")) {
    std::istringstream lines(*uevent);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("DEVNAME=")) return "/dev/" + line.substr(8);
    }
  }
  // f_hid names its node after the minor number.
  return "/dev/hidg" + numbers.substr(numbers.find(':') + 1);
}

std::vector<std::string> device_paths(const Gadget& gadget) {
  std::vector<std::string> paths;
  const auto functions = gadget_functions();
  for (std::size_t i = 0; i < functions.size(); ++i) {
    paths.push_back(device_path(gadget.function_dir(*functions[i]), i));
  }
  return paths;
}

template <typename Steps>
GadgetResult with_errors_as_values(const Steps& steps) {
  try {
    return steps();
  } catch (const GadgetError& error) {
    return {.error = error.what()};
  } catch (const fs::filesystem_error& error) {
    return {.error = error.what()};
  }
}

}  // namespace

GadgetResult setup_gadget(const GadgetOptions& options) {
  return with_errors_as_values([&]() -> GadgetResult {
    const Gadget gadget(options);
    // Before anything changes: without a controller the gadget would be built for nothing.
    const std::string controller =
        options.udc.empty() ? first_controller(options.udc_class_dir) : options.udc;
    gadget.require_usb_gadget_group();
    const std::vector<Attribute> attributes = gadget_attributes(options);
    if (gadget.bound_controller() == controller && layout_matches(gadget, attributes)) {
      return {.device_paths = device_paths(gadget)};
    }
    gadget.unbind_if_bound();
    make_directories(gadget.dir() / "strings" / kLanguage);
    make_directories(gadget.dir() / kConfig / "strings" / kLanguage);
    write_attributes(gadget.dir(), attributes);
    for (const HidFunction* function : gadget_functions()) update_function(gadget, *function);
    unlink_foreign_functions(gadget);
    gadget.bind(controller);
    return {.device_paths = device_paths(gadget)};
  });
}

GadgetResult teardown_gadget(const GadgetOptions& options) {
  return with_errors_as_values([&]() -> GadgetResult {
    const Gadget gadget(options);
    if (!gadget.exists()) return {};
    // The kernel's order: unbind, unlink functions from configurations, remove the
    // configurations, then the functions, then the gadget's strings and the gadget itself.
    gadget.unbind_if_bound();
    const fs::path configs = gadget.dir() / "configs";
    for (const fs::path& config : entries(configs, fs::file_type::directory)) {
      for (const fs::path& link : entries(config, fs::file_type::symlink)) remove_file(link);
      for (const fs::path& strings : entries(config / "strings", fs::file_type::directory)) {
        gadget.remove_group(strings);
      }
      gadget.remove_default_group(config / "strings");
      gadget.remove_group(config);
    }
    gadget.remove_default_group(configs);
    const fs::path functions = gadget.dir() / "functions";
    for (const fs::path& function : entries(functions, fs::file_type::directory)) {
      gadget.remove_group(function);
    }
    gadget.remove_default_group(functions);
    const fs::path strings = gadget.dir() / "strings";
    for (const fs::path& language : entries(strings, fs::file_type::directory)) {
      gadget.remove_group(language);
    }
    gadget.remove_default_group(strings);
    gadget.remove_group(gadget.dir());
    return {};
  });
}

}  // namespace kvmrtc::hid
