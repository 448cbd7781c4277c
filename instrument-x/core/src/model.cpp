#include <ix/core/model.hpp>

namespace ix::core {

std::string AnswerPath(std::string_view person_ref, std::string_view item_id) {
  std::string path = "answers[";
  path += person_ref.empty() ? std::string_view("household") : person_ref;
  path += '/';
  path += item_id;
  path += ']';
  return path;
}

Problem FieldProblem(std::string path, std::string code, LocalizedText message) {
  Problem p;
  p.code = std::move(code);
  p.path = std::move(path);
  p.message = std::move(message);
  return p;
}

std::string ProblemsText(const std::vector<Problem>& problems) {
  std::string text;
  for (const Problem& p : problems) {
    if (!text.empty()) text += "; ";
    if (!p.path.empty()) text += p.path + ": ";
    text += p.message.en;
  }
  return text;
}

}  // namespace ix::core
