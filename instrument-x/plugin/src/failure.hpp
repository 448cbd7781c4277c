// The one way a plugin call fails: throw a CallFailure (a status and the problems, each naming
// its field or answer). Serve() (session.hpp) catches it and writes the error in the format the
// session negotiated: the 1.0 text "<path>: <what>; …" or a serialized ix.v1.CallError.
#ifndef IX_PLUGIN_FAILURE_HPP
#define IX_PLUGIN_FAILURE_HPP

#include <ix/plugin.h>

#include <ix/core/model.hpp>

#include <exception>
#include <string>
#include <vector>

namespace ix::plugin {

class CallFailure : public std::exception {
 public:
  // A failure about fields or answers: the text is derived from the problems.
  CallFailure(ix_status status, std::vector<core::Problem> problems);
  // A failure about no particular field (an unreadable request, unusable embedded data).
  CallFailure(ix_status status, std::string message);

  ix_status status() const { return status_; }
  const std::vector<core::Problem>& problems() const { return problems_; }
  // The one-line text a 1.0 host receives; also CallError.message.
  const std::string& text() const { return text_; }
  const char* what() const noexcept override { return text_.c_str(); }

 private:
  ix_status status_;
  std::vector<core::Problem> problems_;
  std::string text_;
};

// IX_ERR_INVALID_ARGUMENT naming one request field. Request-shape errors are for developers,
// so the text is English in both languages.
CallFailure InvalidField(std::string field, const std::string& what, std::string code = "invalid");
// IX_ERR_NOT_FOUND naming the field whose value the plugin does not have.
CallFailure NotFoundField(std::string field, const std::string& what);
// IX_ERR_INVALID_ARGUMENT carrying the problems a domain check found.
CallFailure Rejected(std::vector<core::Problem> problems);
// IX_ERR_MALFORMED_REQUEST: the bytes are not the expected message.
CallFailure Malformed(const std::string& type, size_t size);

}  // namespace ix::plugin

#endif  // IX_PLUGIN_FAILURE_HPP
