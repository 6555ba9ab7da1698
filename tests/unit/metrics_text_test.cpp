#include "web/metrics_text.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

using kvmrtc::StageTiming;
using kvmrtc::web::metrics_text;
using kvmrtc::web::MetricsSnapshot;

namespace {

// A reader of the Prometheus text exposition format (0.0.4) that fails the test on anything a
// scraper would refuse or misread: every family has HELP then TYPE before its samples and is
// declared once, names and labels have the allowed characters, values are numbers, counters
// end in _total, and a histogram's buckets rise to a +Inf bucket equal to its _count.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value;
};

struct Family {
  std::string type;
  std::vector<Sample> samples;
};

double parse_value(const std::string& text) {
  if (text == "+Inf") return HUGE_VAL;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  INFO("value '" << text << "'");
  REQUIRE((!text.empty() && *end == '\0'));
  return value;
}

std::map<std::string, std::string> parse_labels(const std::string& text) {
  std::map<std::string, std::string> labels;
  static const std::regex one(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)\"(,|$))");
  std::size_t at = 0;
  while (at < text.size()) {
    std::smatch match;
    const std::string rest = text.substr(at);
    INFO("labels '" << text << "'");
    REQUIRE(std::regex_search(rest, match, one, std::regex_constants::match_continuous));
    REQUIRE(labels.emplace(match[1], match[2]).second);
    at += match.length(0);
  }
  return labels;
}

std::map<std::string, Family> parse_exposition(const std::string& text) {
  REQUIRE((!text.empty() && text.back() == '\n'));
  static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*)");
  static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram))");
  static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+))");
  std::map<std::string, Family> families;
  std::string current;
  std::string helped;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    INFO("line '" << line << "'");
    std::smatch match;
    if (std::regex_match(line, match, help)) {
      REQUIRE(families.count(match[1]) == 0);
      helped = match[1];
    } else if (std::regex_match(line, match, type)) {
      REQUIRE(match[1] == helped);
      current = match[1];
      families[current].type = match[2];
      if (match[2] == "counter") REQUIRE(current.size() > 6);
      if (match[2] == "counter") REQUIRE(current.substr(current.size() - 6) == "_total");
    } else {
      REQUIRE(std::regex_match(line, match, sample));
      REQUIRE_FALSE(current.empty());
      const std::string name = match[1];
      const Family& family = families[current];
      if (family.type == "histogram") {
        REQUIRE((name == current + "_bucket" || name == current + "_sum" ||
                 name == current + "_count"));
      } else {
        REQUIRE(name == current);
      }
      families[current].samples.push_back({name, parse_labels(match[2]), parse_value(match[3])});
    }
  }
  for (const auto& [name, family] : families) {
    if (family.type != "histogram") continue;
    INFO("histogram " << name);
    double previous_bound = -HUGE_VAL;
    double previous_count = 0;
    double inf_count = -1;
    double count = -1;
    for (const auto& sample : family.samples) {
      if (sample.name == name + "_bucket") {
        const double bound = parse_value(sample.labels.at("le"));
        REQUIRE(bound > previous_bound);
        REQUIRE(sample.value >= previous_count);
        previous_bound = bound;
        previous_count = sample.value;
        if (bound == HUGE_VAL) inf_count = sample.value;
      } else if (sample.name == name + "_count") {
        count = sample.value;
      }
    }
    REQUIRE(inf_count >= 0);
    REQUIRE(inf_count == count);
  }
  return families;
}

double value_of(const std::map<std::string, Family>& families, const std::string& family,
                const std::map<std::string, std::string>& labels = {},
                const std::string& sample_name = "") {
  INFO(family);
  REQUIRE(families.count(family) == 1);
  for (const auto& sample : families.at(family).samples) {
    if ((sample_name.empty() ? family : sample_name) == sample.name && sample.labels == labels) {
      return sample.value;
    }
  }
  FAIL("no such sample");
  return 0;
}

}  // namespace

TEST_CASE("the metrics are Prometheus text a scraper reads back to the same figures", "[metrics]") {
  MetricsSnapshot snapshot;
  snapshot.video.state = "live";
  snapshot.video.frames = 1234;
  snapshot.video.captured_frames = 1300;
  snapshot.video.bitrate_kbps = 4000;
  snapshot.video.receiver_estimate_kbps = 5230;
  snapshot.video.restarts = 2;
  snapshot.video.no_signal_s = 3.5;
  StageTiming encoded;
  for (const double ms : {0.5, 3.0, 20.0, 2000.0}) encoded.add(ms);
  snapshot.video.capture_to_encoded = encoded.snapshot();
  snapshot.viewers = 2;
  snapshot.viewer_frames = {{3, 900, 4}, {7, 120, 0}};
  snapshot.hid = {{"keyboard", {10, 1, 0}}, {"mouse", {20, 0, 2}}};
  snapshot.logins = {5, 3};

  const auto families = parse_exposition(metrics_text(snapshot));
  CHECK(value_of(families, "kvmrtc_viewers") == 2);
  CHECK(value_of(families, "kvmrtc_video_live") == 1);
  CHECK(value_of(families, "kvmrtc_frames_encoded_total") == 1234);
  CHECK(value_of(families, "kvmrtc_frames_captured_total") == 1300);
  CHECK(value_of(families, "kvmrtc_encoder_bitrate_kbps") == 4000);
  CHECK(value_of(families, "kvmrtc_receiver_estimate_kbps") == 5230);
  CHECK(value_of(families, "kvmrtc_producer_restarts_total") == 2);
  CHECK(value_of(families, "kvmrtc_no_signal_seconds_total") == Approx(3.5));
  CHECK(value_of(families, "kvmrtc_viewer_frames_sent_total", {{"viewer", "3"}}) == 900);
  CHECK(value_of(families, "kvmrtc_viewer_frames_lost_total", {{"viewer", "3"}}) == 4);
  CHECK(value_of(families, "kvmrtc_viewer_frames_sent_total", {{"viewer", "7"}}) == 120);
  CHECK(value_of(families, "kvmrtc_hid_reports_written_total", {{"device", "mouse"}}) == 20);
  CHECK(value_of(families, "kvmrtc_hid_reports_dropped_total", {{"device", "keyboard"}}) == 1);
  CHECK(value_of(families, "kvmrtc_hid_write_errors_total", {{"device", "mouse"}}) == 2);
  CHECK(value_of(families, "kvmrtc_logins_total", {{"outcome", "ok"}}) == 5);
  CHECK(value_of(families, "kvmrtc_logins_total", {{"outcome", "failed"}}) == 3);

  // 0.5 ms, 3 ms, 20 ms and 2 s, in seconds: the 2 s sample is above the last bound.
  const std::string histogram = "kvmrtc_capture_to_encoded_seconds";
  const auto bucket = [&](const std::string& le) {
    return value_of(families, histogram, {{"le", le}}, histogram + "_bucket");
  };
  CHECK(bucket("0.001") == 1);
  CHECK(bucket("0.005") == 2);
  CHECK(bucket("0.025") == 3);
  CHECK(bucket("1") == 3);
  CHECK(bucket("+Inf") == 4);
  CHECK(value_of(families, histogram, {}, histogram + "_count") == 4);
  CHECK(value_of(families, histogram, {}, histogram + "_sum") == Approx(2.0235));
  CHECK(families.at("kvmrtc_capture_to_sent_seconds").type == "histogram");
}

TEST_CASE("with no viewer and no signal the families are still declared", "[metrics]") {
  MetricsSnapshot snapshot;
  snapshot.video.state = "no-signal";
  const auto families = parse_exposition(metrics_text(snapshot));
  CHECK(value_of(families, "kvmrtc_video_live") == 0);
  CHECK(families.at("kvmrtc_viewer_frames_sent_total").samples.empty());
  CHECK(value_of(families, "kvmrtc_capture_to_sent_seconds", {{"le", "+Inf"}},
                 "kvmrtc_capture_to_sent_seconds_bucket") == 0);
}
