#include <ix/core/pattern.hpp>

#include <re2/re2.h>

namespace ix::core {

Pattern::Pattern(std::unique_ptr<re2::RE2> re, int64_t program_size)
    : re_(std::move(re)), program_size_(program_size) {}

Pattern::~Pattern() = default;

std::shared_ptr<const Pattern> Pattern::Compile(std::string_view pattern, const Limits& limits,
                                                Refusal* refusal) {
  auto refuse = [&](bool limit, LocalizedText message) -> std::shared_ptr<const Pattern> {
    if (refusal != nullptr) *refusal = {limit, std::move(message)};
    return nullptr;
  };
  const int64_t length = static_cast<int64_t>(pattern.size());
  if (length > limits.pattern_bytes) {
    const Problem p = LimitProblem("", length, limits.pattern_bytes, "bytes of pattern", "byte mönster");
    return refuse(true, p.message);
  }
  re2::RE2::Options options;
  options.set_log_errors(false);  // a licensee's pattern never reaches the process's stderr
  options.set_encoding(re2::RE2::Options::EncodingUTF8);
  options.set_max_mem(limits.pattern_memory_bytes);
  auto re = std::make_unique<re2::RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) {
    if (re->error_code() == re2::RE2::ErrorPatternTooLarge) {
      const std::string m = std::to_string(limits.pattern_memory_bytes);
      return refuse(true, {"mönstret blir för stort (mer än " + m + " byte minne)",
                           "the pattern compiles too large (more than " + m + " bytes of memory)"});
    }
    return refuse(false, {"ogiltigt mönster (RE2): " + re->error(), "invalid pattern (RE2 syntax): " + re->error()});
  }
  const int64_t size = re->ProgramSize();
  if (size > limits.pattern_program_size) {
    const Problem p = LimitProblem("", size, limits.pattern_program_size, "program size (RE2) of pattern",
                                   "programstorlek (RE2) för mönster");
    return refuse(true, p.message);
  }
  return std::shared_ptr<const Pattern>(new Pattern(std::move(re), size));
}

bool Pattern::FullMatch(std::string_view text) const {
  return re2::RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace ix::core
