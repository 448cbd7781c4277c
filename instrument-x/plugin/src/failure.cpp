#include "failure.hpp"

#include <utility>

namespace ix::plugin {

CallFailure::CallFailure(ix_status status, std::vector<core::Problem> problems)
    : status_(status), problems_(std::move(problems)), text_(core::ProblemsText(problems_)) {}

CallFailure::CallFailure(ix_status status, std::string message)
    : status_(status), text_(std::move(message)) {}

CallFailure InvalidField(std::string field, const std::string& what, std::string code) {
  return CallFailure(IX_ERR_INVALID_ARGUMENT, {core::FieldProblem(std::move(field), std::move(code), {what, what})});
}

CallFailure NotFoundField(std::string field, const std::string& what) {
  return CallFailure(IX_ERR_NOT_FOUND, {core::FieldProblem(std::move(field), "not_found", {what, what})});
}

CallFailure Rejected(std::vector<core::Problem> problems) {
  return CallFailure(IX_ERR_INVALID_ARGUMENT, std::move(problems));
}

CallFailure Malformed(const std::string& type, size_t size) {
  return CallFailure(IX_ERR_MALFORMED_REQUEST,
                     "request is not a valid " + type + " (" + std::to_string(size) + " bytes)");
}

}  // namespace ix::plugin
