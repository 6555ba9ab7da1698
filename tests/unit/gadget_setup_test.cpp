#include "hid/gadget_setup.hpp"

#include <glib.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hid/descriptors.hpp"
#include "temp_dir.hpp"
#include "util/ref_ptr.hpp"

namespace fs = std::filesystem;

using kvmrtc::hid::gadget_functions;
using kvmrtc::hid::GadgetOptions;
using kvmrtc::hid::HidFunction;
using kvmrtc::hid::setup_gadget;
using kvmrtc::hid::teardown_gadget;

namespace {

const std::string kController = "fe980000.usb";

// A configfs stand-in and a UDC class directory listing one controller, as on a Raspberry Pi 4.
struct Fixture {
  TempDir root;
  GadgetOptions options;

  Fixture() {
    fs::create_directories(root / "configfs");
    fs::create_directories(root / "udc" / kController);
    options.configfs_root = root / "configfs";
    options.udc_class_dir = root / "udc";
  }

  fs::path gadget() const { return root / "configfs/usb_gadget/kvmrtc"; }
};

std::string read(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

void write(const fs::path& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// Every path under dir: directories end in "/", symlinks show their target.
std::set<std::string> tree(const fs::path& dir) {
  std::set<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    std::string path = entry.path().lexically_relative(dir).string();
    if (entry.is_symlink()) {
      path += " -> " + fs::read_symlink(entry.path()).string();
    } else if (entry.is_directory()) {
      path += "/";
    }
    paths.insert(path);
  }
  return paths;
}

// Path (relative to the gadget) to content, for every regular file.
std::map<std::string, std::string> contents(const fs::path& gadget) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(gadget)) {
    if (entry.is_regular_file() && !entry.is_symlink()) {
      files[entry.path().lexically_relative(gadget).string()] = read(entry.path());
    }
  }
  return files;
}

std::set<std::string> expected_tree() {
  std::set<std::string> paths = {
      "usb_gadget/",
      "usb_gadget/kvmrtc/",
      "usb_gadget/kvmrtc/UDC",
      "usb_gadget/kvmrtc/idVendor",
      "usb_gadget/kvmrtc/idProduct",
      "usb_gadget/kvmrtc/bcdDevice",
      "usb_gadget/kvmrtc/bcdUSB",
      "usb_gadget/kvmrtc/strings/",
      "usb_gadget/kvmrtc/strings/0x409/",
      "usb_gadget/kvmrtc/strings/0x409/serialnumber",
      "usb_gadget/kvmrtc/strings/0x409/manufacturer",
      "usb_gadget/kvmrtc/strings/0x409/product",
      "usb_gadget/kvmrtc/configs/",
      "usb_gadget/kvmrtc/configs/c.1/",
      "usb_gadget/kvmrtc/configs/c.1/MaxPower",
      "usb_gadget/kvmrtc/configs/c.1/strings/",
      "usb_gadget/kvmrtc/configs/c.1/strings/0x409/",
      "usb_gadget/kvmrtc/configs/c.1/strings/0x409/configuration",
      "usb_gadget/kvmrtc/functions/",
  };
  for (const HidFunction* function : gadget_functions()) {
    const std::string dir = "usb_gadget/kvmrtc/functions/" + function->name;
    paths.insert(dir + "/");
    for (const char* attribute : {"protocol", "subclass", "report_length", "report_desc"}) {
      paths.insert(dir + "/" + attribute);
    }
    paths.insert("usb_gadget/kvmrtc/configs/c.1/" + function->name + " -> ../../functions/" +
                 function->name);
  }
  return paths;
}

std::map<std::string, std::string> expected_contents() {
  std::map<std::string, std::string> files = {
      {"UDC", kController + "\n"},
      {"idVendor", "0x1d6b\n"},
      {"idProduct", "0x0104\n"},
      {"bcdDevice", "0x0100\n"},
      {"bcdUSB", "0x0200\n"},
      {"strings/0x409/serialnumber", "kvmrtc\n"},
      {"strings/0x409/manufacturer", "kvmrtc\n"},
      {"strings/0x409/product", "kvmrtc keyboard and mouse\n"},
      {"configs/c.1/MaxPower", "250\n"},
      {"configs/c.1/strings/0x409/configuration", "kvmrtc\n"},
  };
  for (const HidFunction* function : gadget_functions()) {
    const std::string dir = "functions/" + function->name + "/";
    files[dir + "protocol"] = std::to_string(function->protocol) + "\n";
    files[dir + "subclass"] = std::to_string(function->subclass) + "\n";
    files[dir + "report_length"] = std::to_string(function->report_length) + "\n";
    files[dir + "report_desc"] =
        std::string(function->report_descriptor.begin(), function->report_descriptor.end());
  }
  return files;
}

const std::vector<std::string> kDevicePaths = {"/dev/hidg0", "/dev/hidg1", "/dev/hidg2"};

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run run_tool(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  gchar* raw_out = nullptr;
  gchar* raw_err = nullptr;
  gint wait_status = 0;
  GError* raw_error = nullptr;
  const bool spawned = g_spawn_sync(nullptr, argv.data(), nullptr, G_SPAWN_DEFAULT, nullptr,
                                    nullptr, &raw_out, &raw_err, &wait_status, &raw_error);
  const kvmrtc::CharPtr out(raw_out);
  const kvmrtc::CharPtr err(raw_err);
  const kvmrtc::ErrorPtr error(raw_error);
  INFO((error ? error->message : ""));
  REQUIRE(spawned);
  REQUIRE(WIFEXITED(wait_status));
  return {WEXITSTATUS(wait_status), out.get(), err.get()};
}

}  // namespace

TEST_CASE("setup creates the gadget tree with its exact attributes", "[gadget]") {
  REQUIRE(gadget_functions().size() == 3);
  const Fixture fixture;

  const auto result = setup_gadget(fixture.options);

  REQUIRE(result.error.empty());
  CHECK(result.ok());
  CHECK(result.device_paths == kDevicePaths);
  CHECK(tree(fixture.options.configfs_root) == expected_tree());
  CHECK(contents(fixture.gadget()) == expected_contents());
}

TEST_CASE("each report_desc holds exactly its descriptor's bytes", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());

  for (const HidFunction* function : gadget_functions()) {
    INFO(function->name);
    const std::string bytes = read(fixture.gadget() / "functions" / function->name / "report_desc");
    CHECK(std::vector<std::uint8_t>(bytes.begin(), bytes.end()) == function->report_descriptor);
    CHECK_FALSE(function->report_descriptor.empty());
  }
}

TEST_CASE("each configuration link resolves to its function", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());

  for (const HidFunction* function : gadget_functions()) {
    const fs::path link = fixture.gadget() / "configs/c.1" / function->name;
    CHECK(fs::read_symlink(link) == fs::path("../../functions") / function->name);
    CHECK(fs::equivalent(link, fixture.gadget() / "functions" / function->name));
  }
}

TEST_CASE("setup twice leaves the bound gadget untouched", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());
  // An old timestamp on every file shows whether the second run wrote any of them.
  const auto old = fs::file_time_type::clock::now() - std::chrono::hours(24 * 365);
  for (const auto& entry : fs::recursive_directory_iterator(fixture.gadget())) {
    if (entry.is_regular_file() && !entry.is_symlink()) fs::last_write_time(entry.path(), old);
  }

  const auto result = setup_gadget(fixture.options);

  REQUIRE(result.error.empty());
  CHECK(result.device_paths == kDevicePaths);
  CHECK(tree(fixture.options.configfs_root) == expected_tree());
  CHECK(contents(fixture.gadget()) == expected_contents());
  for (const auto& entry : fs::recursive_directory_iterator(fixture.gadget())) {
    if (entry.is_regular_file() && !entry.is_symlink()) {
      INFO(entry.path());
      CHECK(fs::last_write_time(entry.path()) == old);
    }
  }
}

TEST_CASE("setup repairs a bound gadget whose layout differs", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());
  const HidFunction& keyboard = *gadget_functions().front();
  write(fixture.gadget() / "functions" / keyboard.name / "report_desc", "stale");
  write(fixture.gadget() / "idVendor", "0x1234\n");
  fs::remove(fixture.gadget() / "configs/c.1" / keyboard.name);

  REQUIRE(setup_gadget(fixture.options).ok());

  CHECK(tree(fixture.options.configfs_root) == expected_tree());
  CHECK(contents(fixture.gadget()) == expected_contents());
}

TEST_CASE("setup unlinks functions that are not kvmrtc's", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());
  fs::create_directory(fixture.gadget() / "functions/hid.usb0");
  fs::create_directory_symlink("../../functions/hid.usb0",
                               fixture.gadget() / "configs/c.1/hid.usb0");

  REQUIRE(setup_gadget(fixture.options).ok());

  CHECK_FALSE(fs::exists(fs::symlink_status(fixture.gadget() / "configs/c.1/hid.usb0")));
  CHECK(fs::is_directory(fixture.gadget() / "functions/hid.usb0"));
}

TEST_CASE("setup moves a gadget bound elsewhere to the chosen controller", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());
  write(fixture.gadget() / "UDC", "3f980000.usb\n");

  REQUIRE(setup_gadget(fixture.options).ok());

  CHECK(read(fixture.gadget() / "UDC") == kController + "\n");
}

TEST_CASE("setup takes the first controller in name order, or the one given", "[gadget]") {
  Fixture fixture;
  fs::create_directories(fixture.options.udc_class_dir + "/a0000000.usb");

  REQUIRE(setup_gadget(fixture.options).ok());
  CHECK(read(fixture.gadget() / "UDC") == "a0000000.usb\n");

  fixture.options.udc = "dummy_udc.0";
  REQUIRE(setup_gadget(fixture.options).ok());
  CHECK(read(fixture.gadget() / "UDC") == "dummy_udc.0\n");
}

TEST_CASE("setup without a controller fails naming the UDC directory", "[gadget]") {
  Fixture fixture;
  fs::remove(fixture.root / "udc" / kController);

  const auto result = setup_gadget(fixture.options);

  CHECK_FALSE(result.ok());
  CHECK_THAT(result.error, Catch::Contains("no USB device controller") &&
                               Catch::Contains(fixture.options.udc_class_dir));
  CHECK(result.device_paths.empty());
  CHECK(tree(fixture.options.configfs_root).empty());

  fixture.options.udc_class_dir = (fixture.root / "missing").string();
  CHECK_THAT(setup_gadget(fixture.options).error, Catch::Contains(fixture.options.udc_class_dir));
}

TEST_CASE("setup names the path it could not write", "[gadget]") {
  const Fixture fixture;
  // A file where the gadget's directory should be.
  fs::create_directories(fixture.gadget().parent_path());
  write(fixture.gadget(), "");

  const auto result = setup_gadget(fixture.options);

  CHECK_FALSE(result.ok());
  CHECK_THAT(result.error, Catch::Contains(fixture.gadget().string()));
}

TEST_CASE("a gadget name that is not one directory name is refused", "[gadget]") {
  Fixture fixture;
  for (const char* name : {"", ".", "..", "../kvmrtc", "a/b"}) {
    fixture.options.name = name;
    INFO("name '" << name << "'");
    CHECK_THAT(setup_gadget(fixture.options).error, Catch::Contains("invalid gadget name"));
    CHECK_THAT(teardown_gadget(fixture.options).error, Catch::Contains("invalid gadget name"));
  }
  CHECK(tree(fixture.options.configfs_root).empty());
}

TEST_CASE("teardown removes the whole gadget", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());

  const auto result = teardown_gadget(fixture.options);

  REQUIRE(result.error.empty());
  CHECK(tree(fixture.options.configfs_root) == std::set<std::string>{"usb_gadget/"});
}

TEST_CASE("teardown of a missing or half-removed gadget succeeds", "[gadget]") {
  const Fixture fixture;
  CHECK(teardown_gadget(fixture.options).ok());

  REQUIRE(setup_gadget(fixture.options).ok());
  for (const HidFunction* function : gadget_functions()) {
    fs::remove(fixture.gadget() / "configs/c.1" / function->name);
  }
  fs::remove_all(fixture.gadget() / "configs");
  REQUIRE(teardown_gadget(fixture.options).ok());
  CHECK(teardown_gadget(fixture.options).ok());
  CHECK_FALSE(fs::exists(fixture.gadget()));
}

TEST_CASE("setup after teardown builds the same tree again", "[gadget]") {
  const Fixture fixture;
  REQUIRE(setup_gadget(fixture.options).ok());
  REQUIRE(teardown_gadget(fixture.options).ok());

  REQUIRE(setup_gadget(fixture.options).ok());

  CHECK(tree(fixture.options.configfs_root) == expected_tree());
  CHECK(contents(fixture.gadget()) == expected_contents());
}

TEST_CASE("kvmrtc-gadget sets up, prints the devices and tears down", "[gadget]") {
  const fs::path tool = KVMRTC_GADGET_TOOL;
  REQUIRE(fs::exists(tool));
  const Fixture fixture;
  const std::vector<std::string> where = {"--configfs", fixture.options.configfs_root, "--udc-dir",
                                          fixture.options.udc_class_dir};
  auto command = [&](std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), tool.string());
    return arguments;
  };
  auto with_where = [&](const std::string& verb) {
    auto arguments = command({verb});
    arguments.insert(arguments.end(), where.begin(), where.end());
    return arguments;
  };

  const Run setup = run_tool(with_where("setup"));
  INFO(setup.err);
  CHECK(setup.status == 0);
  CHECK(setup.out == "keyboard /dev/hidg0\nmouse /dev/hidg1\nmouse-relative /dev/hidg2\n");
  CHECK(tree(fixture.options.configfs_root) == expected_tree());
  CHECK(contents(fixture.gadget()) == expected_contents());

  const Run again = run_tool(with_where("setup"));
  CHECK(again.status == 0);
  CHECK(again.out == setup.out);

  const Run teardown = run_tool(with_where("teardown"));
  CHECK(teardown.status == 0);
  CHECK(teardown.out.empty());
  CHECK(tree(fixture.options.configfs_root) == std::set<std::string>{"usb_gadget/"});

  const Run help = run_tool(command({"--help"}));
  CHECK(help.status == 0);
  CHECK_THAT(help.out, Catch::Contains("Usage: kvmrtc-gadget setup|teardown"));

  const Run no_command = run_tool(command({}));
  CHECK(no_command.status == 2);
  CHECK_THAT(no_command.err, Catch::Contains("missing command"));

  const Run unknown = run_tool(command({"setup", "--bogus"}));
  CHECK(unknown.status == 2);
  CHECK_THAT(unknown.err, Catch::Contains("unknown argument '--bogus'"));

  const Run no_value = run_tool(command({"setup", "--udc"}));
  CHECK(no_value.status == 2);
  CHECK_THAT(no_value.err, Catch::Contains("--udc needs a value"));

  const std::string empty_udc_dir = (fixture.root / "none").string();
  fs::create_directory(empty_udc_dir);
  const Run failed = run_tool(
      command({"setup", "--configfs", fixture.options.configfs_root, "--udc-dir", empty_udc_dir}));
  CHECK(failed.status == 1);
  CHECK(failed.out.empty());
  CHECK_THAT(failed.err, Catch::Contains("no USB device controller in " + empty_udc_dir));
}
