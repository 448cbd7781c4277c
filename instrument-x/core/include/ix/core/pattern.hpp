// Answer patterns of a definition (constraint kind PATTERN), compiled with RE2: matching takes
// time linear in the answer's length whatever the pattern, so a licensee's pattern cannot make
// validation work for long. The dialect (RE2 syntax, no backreferences or lookaround, the whole
// answer must match) and the limits are documented for licensees in docs/forms.md.
#ifndef IX_CORE_PATTERN_HPP
#define IX_CORE_PATTERN_HPP

#include <ix/core/limits.hpp>
#include <ix/core/model.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace ix::core {

class Pattern {
 public:
  // Why a pattern was not compiled: over a limit (length, program size, memory) or not valid
  // RE2 syntax. `message` names the limit and the value, or RE2's reason.
  struct Refusal {
    bool limit = false;
    LocalizedText message;
  };

  // Compiles `pattern` within `limits` (pattern_bytes, pattern_memory_bytes,
  // pattern_program_size). Returns nullptr and fills `refusal` when it is refused. Compiling
  // takes time linear in the pattern's length; RE2 parses without recursion on the C++ stack.
  static std::shared_ptr<const Pattern> Compile(std::string_view pattern, const Limits& limits,
                                                Refusal* refusal);

  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // True when the whole of `text` matches (as if the pattern were wrapped in ^(?:…)$).
  // Linear in text.size(); thread-safe.
  bool FullMatch(std::string_view text) const;
  int64_t program_size() const { return program_size_; }

 private:
  explicit Pattern(std::unique_ptr<re2::RE2> re, int64_t program_size);
  std::unique_ptr<re2::RE2> re_;
  int64_t program_size_ = 0;
};

}  // namespace ix::core

#endif  // IX_CORE_PATTERN_HPP
