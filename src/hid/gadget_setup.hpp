// Creates and removes the kvmrtc USB gadget in configfs: three HID functions (descriptors.hpp)
// in one configuration, bound to a USB device controller. Idempotent.
#pragma once

#include <string>
#include <vector>

namespace kvmrtc::hid {

struct GadgetOptions {
  std::string configfs_root = "/sys/kernel/config";  // tests pass a temporary directory
  std::string udc_class_dir = "/sys/class/udc";      // where the controllers are listed
  std::string name = "kvmrtc";
  std::string udc;                    // empty: the first controller in udc_class_dir
  std::string vendor_id = "0x1d6b";   // Linux Foundation
  std::string product_id = "0x0104";  // Multifunction Composite Gadget
  std::string serial = "kvmrtc";
  std::string manufacturer = "kvmrtc";
  std::string product = "kvmrtc keyboard and mouse";
};

struct GadgetResult {
  std::string error;                      // empty on success
  std::vector<std::string> device_paths;  // /dev/hidgN for keyboard, mouse, relative mouse

  bool ok() const { return error.empty(); }
};

GadgetResult setup_gadget(const GadgetOptions& options);
GadgetResult teardown_gadget(const GadgetOptions& options);

}  // namespace kvmrtc::hid
