#include <catch2/catch.hpp>

#include "util/json_text.hpp"
#include "web/access_policy.hpp"
#include "web/auth_messages.hpp"
#include "web/cookies.hpp"
#include "web/request_guard.hpp"

using kvmrtc::web::Gate;
using kvmrtc::web::gate_of;

TEST_CASE("only the login page, its files and /healthz are open without a session", "[access]") {
  for (const char* open : {"/login", "/login.html", "/login.js", "/login.css", "/theme.css",
                           "/healthz", "/api/login"}) {
    INFO(open);
    CHECK(gate_of(open) == Gate::kPublic);
  }
  for (const char* page : {"/", "/index.html", "/app.js", "/lib/session.js", "/login.js/x",
                           "/healthz2", "/loginx", "//login", "/LOGIN", "/styles.css"}) {
    INFO(page);
    CHECK(gate_of(page) == Gate::kPage);
  }
  for (const char* api : {"/api", "/api/ws", "/api/status", "/api/session", "/api/logout",
                          "/api/login/x", "/api/reload"}) {
    INFO(api);
    CHECK(gate_of(api) == Gate::kApi);
  }
}

TEST_CASE("the session cookie is found among others, and only by its exact name", "[access]") {
  using kvmrtc::web::cookie_value;
  CHECK(cookie_value("kvmrtc_session=abc", "kvmrtc_session") == "abc");
  CHECK(cookie_value("theme=dark; kvmrtc_session=abc ; x=1", "kvmrtc_session") == "abc");
  CHECK(cookie_value("xkvmrtc_session=abc", "kvmrtc_session").empty());
  CHECK(cookie_value("kvmrtc_session_old=abc", "kvmrtc_session").empty());
  CHECK(cookie_value("", "kvmrtc_session").empty());
  CHECK(cookie_value(";;=;", "kvmrtc_session").empty());
  CHECK(cookie_value("kvmrtc_session=abc", "__Host-kvmrtc_session").empty());
}

TEST_CASE("the cookie is HttpOnly and SameSite=Strict; under TLS Secure and __Host-", "[access]") {
  using kvmrtc::web::cleared_session_cookie;
  using kvmrtc::web::session_cookie;
  CHECK(session_cookie("t0k", false, 60) ==
        "kvmrtc_session=t0k; Max-Age=60; Path=/; HttpOnly; SameSite=Strict");
  CHECK(session_cookie("t0k", true, 60) ==
        "__Host-kvmrtc_session=t0k; Max-Age=60; Path=/; HttpOnly; SameSite=Strict; Secure");
  CHECK(cleared_session_cookie(true) ==
        "__Host-kvmrtc_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict; Secure");
}

TEST_CASE("a login request is a JSON object with string fields of sane size", "[access]") {
  using kvmrtc::web::parse_login_request;
  std::string error;
  const auto request =
      parse_login_request(R"({"user":"alice","password":"p:a\"ss","totp":"123456"})", error);
  REQUIRE(request);
  CHECK(request->user == "alice");
  CHECK(request->password == "p:a\"ss");
  CHECK(request->totp == "123456");
  CHECK(parse_login_request(R"({"user":"alice","password":""})", error)->totp.empty());
  for (const std::string& bad : std::vector<std::string>{
           "", "null", "[]", "{", R"({"user":"alice"})", R"({"user":1,"password":"x"})",
           R"({"user":"a","password":"x","totp":123456})",
           R"({"user":"a","password":")" + std::string(5000, 'x') + "\"}"}) {
    INFO(bad.substr(0, 60));
    error.clear();
    CHECK_FALSE(parse_login_request(bad, error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("the API's answers are JSON", "[access]") {
  const auto parsed = kvmrtc::parse_json_object(kvmrtc::web::retry_json("slow down", 8));
  REQUIRE(parsed.object != nullptr);
  CHECK(json_object_get_int_member(parsed.object, "retry_after") == 8);
  const auto totp = kvmrtc::parse_json_object(kvmrtc::web::totp_required_json("code"));
  CHECK(json_object_get_boolean_member(totp.object, "totp_required"));
  const auto session =
      kvmrtc::parse_json_object(kvmrtc::web::session_json("a\"b", "viewer", "password"));
  CHECK(std::string(json_object_get_string_member(session.object, "user")) == "a\"b");
}

TEST_CASE("plain HTTP is redirected to the same name on the HTTPS port", "[access]") {
  using kvmrtc::web::https_location;
  CHECK(https_location("pikvm.local:8080", 8443, "/login?next=1") ==
        "https://pikvm.local:8443/login?next=1");
  CHECK(https_location("pikvm", 443, "/") == "https://pikvm/");
  CHECK(https_location("[fe80::1]:80", 443, "/api/status") == "https://[fe80::1]/api/status");
  CHECK(https_location("10.0.0.2:80", 8443, "") == "https://10.0.0.2:8443/");
  CHECK(https_location("[fe80::1", 443, "/").empty());
}
