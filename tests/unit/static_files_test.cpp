#include "web/static_files.hpp"

#include <glib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "temp_dir.hpp"
#include "util/ref_ptr.hpp"

using kvmrtc::web::content_type_for;
using kvmrtc::web::StaticFile;
using kvmrtc::web::StaticFiles;

namespace {

const std::string kIndex = "<!doctype html><title>kvmrtc</title><video></video>";
const std::string kScript = "console.log('hi');\n";
const std::string kStyle = "video { width: 100%; }\n";
const std::string kIcon = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);

// A frontend folder like the real one, with a subfolder.
void write_frontend(const TempDir& dir) {
  dir.write("index.html", kIndex);
  dir.write("app.js", kScript);
  dir.write("style.css", kStyle);
  dir.write("img/icon.png", kIcon);
}

}  // namespace

TEST_CASE("load reads every file below the folder, with its content", "[static]") {
  const TempDir dir;
  write_frontend(dir);
  std::string error;
  const StaticFiles files = StaticFiles::load(dir.path(), error);
  CHECK(error.empty());
  CHECK(files.size() == 4);
  const StaticFile* script = files.find("/app.js");
  REQUIRE(script != nullptr);
  CHECK(script->content == kScript);
  const StaticFile* style = files.find("/style.css");
  REQUIRE(style != nullptr);
  CHECK(style->content == kStyle);
}

TEST_CASE("a file in a subfolder is found by its path, binary content intact", "[static]") {
  const TempDir dir;
  write_frontend(dir);
  std::string error;
  const StaticFiles files = StaticFiles::load(dir.path(), error);
  const StaticFile* icon = files.find("/img/icon.png");
  REQUIRE(icon != nullptr);
  CHECK(icon->content == kIcon);
  CHECK(icon->content_type == "image/png");
  CHECK(files.find("/icon.png") == nullptr);
}

TEST_CASE("/ serves index.html", "[static]") {
  const TempDir dir;
  write_frontend(dir);
  std::string error;
  const StaticFiles files = StaticFiles::load(dir.path(), error);
  const StaticFile* root = files.find("/");
  REQUIRE(root != nullptr);
  CHECK(root->content == kIndex);
  CHECK(root == files.find("/index.html"));
}

TEST_CASE("served files carry the content type of their extension", "[static]") {
  const TempDir dir;
  write_frontend(dir);
  std::string error;
  const StaticFiles files = StaticFiles::load(dir.path(), error);
  CHECK(files.find("/")->content_type == "text/html; charset=utf-8");
  CHECK(files.find("/app.js")->content_type == "text/javascript; charset=utf-8");
  CHECK(files.find("/style.css")->content_type == "text/css; charset=utf-8");
}

TEST_CASE("content_type_for knows the frontend's file types", "[static]") {
  CHECK(content_type_for("/a/index.html") == "text/html; charset=utf-8");
  CHECK(content_type_for("/app.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("/mod.mjs") == "text/javascript; charset=utf-8");
  CHECK(content_type_for("/style.css") == "text/css; charset=utf-8");
  CHECK(content_type_for("/manifest.json") == "application/json");
  CHECK(content_type_for("/logo.svg") == "image/svg+xml");
  CHECK(content_type_for("/favicon.ico") == "image/x-icon");
  CHECK(content_type_for("/data.bin") == "application/octet-stream");
  CHECK(content_type_for("/README") == "application/octet-stream");
}

TEST_CASE("paths outside the folder or with .. are not served", "[static]") {
  const TempDir outer;
  outer.write("secret.txt", "do not serve");
  const TempDir dir;
  write_frontend(dir);
  std::string error;
  const StaticFiles files = StaticFiles::load(dir.path(), error);
  REQUIRE(error.empty());
  const std::string secret_name = std::filesystem::path(outer.path()).filename().string();
  CHECK(files.find("/../" + secret_name + "/secret.txt") == nullptr);
  CHECK(files.find("/img/../index.html") == nullptr);
  CHECK(files.find("/../../etc/passwd") == nullptr);
  CHECK(files.find(outer.path() + "/secret.txt") == nullptr);
  CHECK(files.find("/missing.js") == nullptr);
  CHECK(files.find("/img") == nullptr);
  CHECK(files.find("app.js") == nullptr);
}

TEST_CASE("a folder without index.html is an error", "[static]") {
  const TempDir dir;
  dir.write("app.js", kScript);
  dir.write("sub/index.html", kIndex);
  std::string error;
  StaticFiles::load(dir.path(), error);
  CHECK(error.find("index.html") != std::string::npos);
}

TEST_CASE("a missing folder is an error naming it", "[static]") {
  const TempDir dir;
  const std::string missing = dir.path() + "/no-frontend";
  std::string error;
  const StaticFiles files = StaticFiles::load(missing, error);
  CHECK(error.find(missing) != std::string::npos);
  CHECK(files.size() == 0);
  CHECK(files.find("/") == nullptr);
}

TEST_CASE("a file that cannot be read stops the load, named, instead of being served empty",
          "[static]") {
  TempDir dir;
  write_frontend(dir);
  // A regular file whose every read fails, even as root: the process's own memory at offset 0.
  std::filesystem::create_symlink("/proc/self/mem", dir / "broken.js");
  std::string error;
  StaticFiles::load(dir.path(), error);
  CHECK(error.find("cannot read the frontend file") != std::string::npos);
  CHECK(error.find("broken.js") != std::string::npos);
}
