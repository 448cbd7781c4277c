// Strict JSON reading: parse errors with position and no value, the size limit, files, and the
// typed field readers, for both document types the product uses.
#include <ix/base/json.hpp>

#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <chrono>

#include <filesystem>
#include <fstream>
#include <functional>
#include <random>

namespace ix::base {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

TEST(Json, ParseErrorsNameTheSourceAndPositionButNotTheValue) {
  auto parsed = ParseJson(R"({"personnummer": "19811218-9876",})", "case.json");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = parsed.status().message();
  EXPECT_EQ(m.rfind("case.json: not valid JSON: parse error at line 1, column ", 0), 0u) << m;
  EXPECT_EQ(m.find("9876"), std::string::npos) << "no value in messages: " << m;
  EXPECT_EQ(m.find("[json.exception"), std::string::npos) << m;
  EXPECT_FALSE(ParseJson("", "empty.json").ok());
  EXPECT_FALSE(ParseJson<ordered_json>("{\"a\": \"\xff\"}", "utf8.json").ok()) << "ill-formed UTF-8";
  auto truncated = ParseJson(R"({"personnummer": "19811218-98)", "case.json");
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().message().find("9811218"), std::string::npos)
      << "nlohmann's 'last read' would quote the value: " << truncated.status().message();
}

TEST(Json, DocumentsOverTheLimitAreRefusedBeforeParsing) {
  auto parsed = ParseJson<ordered_json>("[1, 2, 3]", "big.json", 8);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "big.json: document is 9 bytes, more than the limit of 8");
  EXPECT_TRUE(ParseJson<ordered_json>("[1, 2, 3]", "big.json", 9).ok());
}

TEST(Json, OrderedDocumentsKeepTheirKeyOrder) {
  auto sorted = ParseJson(R"({"b": 1, "a": 2})", "x");
  auto ordered = ParseJson<ordered_json>(R"({"b": 1, "a": 2})", "x");
  ASSERT_TRUE(sorted.ok());
  ASSERT_TRUE(ordered.ok());
  EXPECT_EQ(sorted->dump(), R"({"a":2,"b":1})");
  EXPECT_EQ(ordered->dump(), R"({"b":1,"a":2})");
}

TEST(Json, ReadJsonFileNamesThePath) {
  const fs::path dir = fs::temp_directory_path() / ("ix-base-json-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto missing = ReadJsonFile(dir / "missing.json");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), (dir / "missing.json").string() + ": no such file");
  std::ofstream(dir / "bad.json") << "{\"listen\": ";
  auto bad = ReadJsonFile(dir / "bad.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind((dir / "bad.json").string() + ": not valid JSON: ", 0), 0u)
      << bad.status().message();
  std::ofstream(dir / "good.json") << R"({"listen": "0.0.0.0:50051"})";
  auto good = ReadJsonFile(dir / "good.json");
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_EQ((*good)["listen"], "0.0.0.0:50051");
  auto big = ReadJsonFile(dir / "good.json", 8);  // refused by its size on disk, before reading
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().message(), (dir / "good.json").string() + ": document is 27 bytes, more than the limit of 8");
  fs::remove_all(dir);
}

TEST(Json, PathsAndTypeChecks) {
  EXPECT_EQ(Child("callers", "role"), "callers.role");
  EXPECT_EQ(Index("callers", 2), "callers[2]");
  EXPECT_EQ(Child(Index("callers", 2), "role"), "callers[2].role");
  EXPECT_EQ(FieldError("a.b", "missing").message(), "a.b: missing");
  EXPECT_EQ(FieldError("a.b", "missing").code(), StatusCode::kInvalidArgument);
  const json doc = json::parse(R"({"o": {}, "a": [], "s": "x", "b": true, "i": -1, "u": 1, "f": 1.5, "n": null})");
  EXPECT_EQ(JsonTypeName(doc["o"]), "an object");
  EXPECT_EQ(JsonTypeName(doc["a"]), "an array");
  EXPECT_EQ(JsonTypeName(doc["s"]), "a string");
  EXPECT_EQ(JsonTypeName(doc["b"]), "a boolean");
  EXPECT_EQ(JsonTypeName(doc["i"]), "an integer");
  EXPECT_EQ(JsonTypeName(doc["u"]), "an integer");
  EXPECT_EQ(JsonTypeName(doc["f"]), "a number");
  EXPECT_EQ(JsonTypeName(doc["n"]), "null");
  EXPECT_TRUE(ExpectObject(doc["o"], "o").ok());
  EXPECT_EQ(ExpectObject(doc["a"], "doc.a").message(), "doc.a: expected an object, got an array");
  EXPECT_TRUE(ExpectArray(doc["a"], "a").ok());
  EXPECT_EQ(ExpectArray(doc["s"], "doc.s").message(), "doc.s: expected an array, got a string");
}

TEST(Json, UnknownKeysAreRefusedByName) {
  const ordered_json doc = ordered_json::parse(R"({"identity": "x", "rol": "admin"})");
  EXPECT_TRUE(ExpectOnlyKeys(doc, "callers[0]", {"identity", "rol"}).ok());
  const Status s = ExpectOnlyKeys(doc, "callers[0]", {"identity", "role"});
  EXPECT_EQ(s.message(), "callers[0].rol: unknown field");
}

TEST(Json, TypedMembers) {
  const json doc = json::parse(
      R"({"s": "text", "empty": "", "n": null, "b": true, "i": 42, "neg": -3, "f": 1.0, "huge": 18446744073709551615})");
  EXPECT_EQ(*OptionalString(doc, "s", "doc"), "text");
  EXPECT_EQ(*OptionalString(doc, "absent", "doc"), "");
  EXPECT_EQ(*OptionalString(doc, "n", "doc"), "");
  EXPECT_EQ(OptionalString(doc, "b", "doc").status().message(), "doc.b: expected a string, got a boolean");
  EXPECT_EQ(*RequiredString(doc, "s", "doc"), "text");
  EXPECT_EQ(RequiredString(doc, "absent", "doc").status().message(), "doc.absent: missing (required)");
  EXPECT_EQ(RequiredString(doc, "empty", "doc").status().message(), "doc.empty: empty (required)");
  EXPECT_EQ(RequiredString(doc, "i", "doc").status().message(), "doc.i: expected a string, got an integer");
  EXPECT_TRUE(*OptionalBool(doc, "b", "doc"));
  EXPECT_FALSE(*OptionalBool(doc, "absent", "doc"));
  EXPECT_EQ(OptionalBool(doc, "s", "doc").status().message(), "doc.s: expected a boolean, got a string");
  EXPECT_EQ(*OptionalInt(doc, "i", "doc", 0, 100), 42);
  EXPECT_EQ(*OptionalInt(doc, "neg", "doc", -5, 5), -3);
  EXPECT_EQ(*OptionalInt(doc, "absent", "doc", 0, 100), 0);
  EXPECT_EQ(OptionalInt(doc, "i", "doc", 0, 10).status().message(), "doc.i: out of range [0, 10]");
  EXPECT_EQ(OptionalInt(doc, "neg", "doc", 0, 10).status().message(), "doc.neg: out of range [0, 10]");
  EXPECT_EQ(OptionalInt(doc, "f", "doc", 0, 10).status().message(), "doc.f: expected an integer, got a number");
  // Above LLONG_MAX: refused, not wrapped into range.
  EXPECT_EQ(OptionalInt(doc, "huge", "doc", -10, 10).status().message(), "doc.huge: out of range [-10, 10]");
  EXPECT_EQ(OptionalInt(doc, "i", "doc", -10, -1).status().message(), "doc.i: out of range [-10, -1]");
  // The same readers on an ordered document.
  const ordered_json ordered = ordered_json::parse(R"({"s": "x", "i": 7})");
  EXPECT_EQ(*RequiredString(ordered, "s", "o"), "x");
  EXPECT_EQ(*OptionalInt(ordered, "i", "o", 0, 9), 7);
}


// Limits are enforced while parsing: each refusal names the path inside the document, the value
// seen and the limit, and comes before the rest of the document is read.
TEST(Json, DepthKeysElementsAndStringsAreLimitedWithThePath) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "{\"k\": [";
  auto too_deep = ParseJson<ordered_json>(deep, "deep.json");
  ASSERT_FALSE(too_deep.ok());
  const std::string& m = too_deep.status().message();
  EXPECT_NE(m.find(": nesting too deep: depth 65, at most 64"), std::string::npos) << m.substr(0, 200);
  EXPECT_EQ(m.rfind("deep.json.k[0].k[0]", 0), 0u) << m.substr(0, 200);

  JsonLimits limits;
  limits.max_keys_per_object = 3;
  auto keys = ParseJson<ordered_json>(R"({"a": {"x": 1, "y": 2, "z": 3, "w": 4}})", "p.json", limits);
  ASSERT_FALSE(keys.ok());
  EXPECT_EQ(keys.status().message(), "p.json.a: 4 keys or more, at most 3");
  EXPECT_EQ(keys.status().problems().at(0).path, "p.json.a");
  EXPECT_TRUE(ParseJson<ordered_json>(R"({"a": {"x": 1, "y": 2, "z": 3}})", "p.json", limits).ok());

  limits = {};
  limits.max_array_elements = 2;
  auto elements = ParseJson(R"({"list": [[1, 2], [1, 2, 3]]})", "e.json", limits);
  ASSERT_FALSE(elements.ok());
  EXPECT_EQ(elements.status().message(), "e.json.list[1]: 3 elements or more, at most 2");

  limits = {};
  limits.max_string_bytes = 4;
  auto string = ParseJson(R"({"a": ["ok", "toolong"]})", "s.json", limits);
  ASSERT_FALSE(string.ok());
  EXPECT_EQ(string.status().message(), "s.json.a[1]: a string of 7 bytes, at most 4");
  auto key = ParseJson(R"({"a": {"toolong": 1}})", "s.json", limits);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().message(), "s.json.a: a key of 7 bytes, at most 4");
}

TEST(Json, ARepeatedKeyIsRefusedInBothDocumentTypes) {
  const char* text = R"({"callers": [{"role": "read_only", "role": "admin"}]})";
  auto sorted = ParseJson(text, "c.json");
  auto ordered = ParseJson<ordered_json>(text, "c.json");
  ASSERT_FALSE(sorted.ok());
  ASSERT_FALSE(ordered.ok());
  EXPECT_EQ(sorted.status().message(), "c.json.callers[0].role: the key appears twice in its object");
  EXPECT_EQ(ordered.status().message(), "c.json.callers[0].role: the key appears twice in its object");
}

// The quadratic case of nlohmann's ordered_json: 300 000 keys in one object. Refused at the
// 10 001st key by default; with the limit raised, still parsed in linear time.
TEST(Json, ManyKeysAreRefusedQuicklyAndParsedLinearlyWhenAllowed) {
  std::string text = "{\"values\": {";
  for (int i = 0; i < 300000; ++i) text += (i > 0 ? ",\"k" : "\"k") + std::to_string(i) + "\": \"v\"";
  text += "}}";
  auto started = std::chrono::steady_clock::now();
  auto refused = ParseJson<ordered_json>(text, "profile.json");
  const auto refused_after = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "profile.json.values: 10001 keys or more, at most 10000");
  EXPECT_LT(refused_after, std::chrono::milliseconds(500));
  JsonLimits limits;
  limits.max_keys_per_object = 1'000'000;
  started = std::chrono::steady_clock::now();
  auto parsed = ParseJson<ordered_json>(text, "profile.json", limits);
  const auto parsed_after = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ((*parsed)["values"].size(), 300000u);
  EXPECT_EQ((*parsed)["values"].begin().key(), "k0") << "document order kept";
  EXPECT_LT(parsed_after, std::chrono::seconds(5)) << "the old parser took minutes";
}

TEST(Json, CheckJsonLimitsAppliesTheSameRulesWithoutADocument) {
  EXPECT_TRUE(CheckJsonLimits(R"({"a": [1, {"b": "c"}]})", "in.json").ok());
  std::string deep(70, '[');
  const Status s = CheckJsonLimits(deep, "in.json");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nesting too deep: depth 65, at most 64"), std::string::npos) << s.message();
  EXPECT_EQ(CheckJsonLimits("[1, 2, 3]", "big.json", JsonLimits{.max_bytes = 8}).message(),
            "big.json: document is 9 bytes, more than the limit of 8");
  EXPECT_TRUE(CheckJsonLimits("{\"a\": }", "bad.json").ok()) << "syntax is left to the caller's parser";
  EXPECT_FALSE(CheckJsonLimits(deep + "}}}", "bad.json").ok()) << "a limit met before bad syntax still counts";
}

// CheckJsonLimits answers from a bound over the bytes when it can; it must answer exactly as
// the tokenising check would (same verdict, same message), on well-formed documents near every
// limit and on broken text. Small limits make every limit reachable in short inputs.
TEST(Json, TheByteBoundAnswersAsTheTokenisingCheckDoes) {
  // Keys and elements differ so that each has an edge of its own.
  const JsonLimits limits{.max_bytes = 96, .max_depth = 2, .max_keys_per_object = 3, .max_array_elements = 5,
                          .max_string_bytes = 6};
  // The edges by hand: an escaped quote does not end a string, so the brackets after it count;
  // brackets and commas inside strings do not; an object one key over the limit.
  EXPECT_FALSE(CheckJsonLimits(R"(["\"",[[1]]])", "in.json", limits).ok());
  EXPECT_TRUE(CheckJsonLimits(R"(["\\",[1]])", "in.json", limits).ok());
  EXPECT_TRUE(CheckJsonLimits(R"(["[[[[", ",,,,,,"])", "in.json", limits).ok());
  EXPECT_FALSE(CheckJsonLimits(R"({"a":1,"b":1,"c":1,"d":1})", "in.json", limits).ok());
  EXPECT_TRUE(CheckJsonLimits(R"([1,2,3,4,5])", "in.json", limits).ok());
  std::mt19937 random(20261127);
  const auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  // String contents from whole escapes and from brackets and commas, which count only outside
  // strings: a bound that loses track of where a string ends would count them, or miss real ones.
  const auto text = [&] {
    static constexpr std::array<std::string_view, 8> kPieces = {"a", "b", "\\\"", "\\\\", "[", "{", ",", "\\u00e9"};
    std::string out;
    for (int i = pick(5); i > 0; --i) out += kPieces[static_cast<std::size_t>(pick(kPieces.size()))];
    return out;
  };
  std::function<std::string(int)> value = [&](int depth) -> std::string {
    switch (depth > 5 ? pick(3) : pick(6)) {
      case 0: return "1";
      case 1: return "\"" + text() + "\"";
      case 2: return "true";
      case 3:
      case 4: {
        std::string out = "[";
        for (int i = pick(6); i > 0; --i) out += value(depth + 1) + (i > 1 ? "," : "");
        return out + "]";
      }
      default: {
        std::string out = "{";
        for (int i = pick(6); i > 0; --i) out += "\"" + text() + "\":" + value(depth + 1) + (i > 1 ? "," : "");
        return out + "}";
      }
    }
  };
  // One flat container of n scalars: n - 1 commas in all, so n = limit + 1 sits right at the
  // bound's edge for keys and elements.
  const auto flat = [&] {
    const int n = 2 + pick(6);
    const bool object = pick(2) == 0;
    std::string out = object ? "{" : "[";
    for (int i = 0; i < n; ++i) out += (i ? "," : "") + (object ? "\"k" + std::to_string(i) + "\":1" : std::string("1"));
    return out + (object ? "}" : "]");
  };
  int within = 0;
  int over = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string doc = round % 5 == 4 ? flat() : value(0);
    if (round % 3 == 1 && !doc.empty()) doc.resize(static_cast<std::size_t>(pick(static_cast<int>(doc.size()))));  // cut off
    if (round % 3 == 2 && !doc.empty()) doc[static_cast<std::size_t>(pick(static_cast<int>(doc.size())))] = "{}[],\":\\x"[pick(9)];
    const Status fast = CheckJsonLimits(doc, "in.json", limits);
    const Status tokens = detail::CheckJsonLimitsByTokens(doc, "in.json", limits);
    ASSERT_EQ(fast.ok(), tokens.ok()) << doc << "\n" << tokens.message();
    ASSERT_EQ(fast.message(), tokens.message()) << doc;
    (tokens.ok() ? within : over) += 1;
  }
  // Both verdicts were reached many times, so the comparison covered each side of every limit.
  EXPECT_GT(within, 2000);
  EXPECT_GT(over, 2000);
}

}  // namespace
}  // namespace ix::base
