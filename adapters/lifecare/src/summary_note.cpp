// The aktanteckning (summary note) caseworkers file after an Instrument X assessment, and the
// small helpers both directions share.
#include <ix/adapters/lifecare/lifecare.hpp>
#include <ix/core/personnummer.hpp>

#include "internal.hpp"

#include <sodium.h>

#include <map>
#include <sstream>

namespace ix::adapters::lifecare {
namespace internal {

std::string Base64(std::string_view bytes) {
  const std::size_t size = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  std::string out(size, '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(size - 1);  // without the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

std::string NormalizedPersonnummer(std::string_view text) {
  const core::IdentityNumber id = core::ParseIdentityNumber(text);
  return id.ok() ? id.normalized : std::string();
}

const std::string* ReasonLabel(const v1::ForsorjningshinderTable& table, std::string_view code) {
  for (const auto& category : table.categories()) {
    if (category.code() == code) return &category.label().sv();
  }
  return nullptr;
}

const std::string* ReasonCode(const v1::ForsorjningshinderTable& table, std::string_view label) {
  for (const auto& category : table.categories()) {
    if (category.label().sv() == label) return &category.code();
  }
  return nullptr;
}

std::string_view RoleName(v1::HouseholdRole role) {
  switch (role) {
    case v1::HOUSEHOLD_ROLE_REGISTERLEDARE: return "Registerledare";
    case v1::HOUSEHOLD_ROLE_MEDSOKANDE: return "Medsökande";
    case v1::HOUSEHOLD_ROLE_OTHER_ADULT: return "Annan vuxen";
    case v1::HOUSEHOLD_ROLE_CHILD: return "Barn";
    default: return "Person";
  }
}

}  // namespace internal

namespace {

std::string CategoryText(const v1::Category& category) {
  std::string text;
  switch (category.am_level()) {
    case v1::AM_LEVEL_AM1: text = "AM1"; break;
    case v1::AM_LEVEL_AM2: text = "AM2"; break;
    case v1::AM_LEVEL_AM3: text = "AM3"; break;
    default: text = "ingen AM-nivå"; break;
  }
  for (int kind : category.r_kinds()) {
    text += ", R" + std::to_string(kind);  // R_KIND_R1_PHYSICAL = 1 … R3 = 3
  }
  if (category.further_investigation()) text += ", vidare utredning";
  return text;
}

std::string_view ViewText(v1::AssessmentView view) {
  switch (view) {
    case v1::ASSESSMENT_VIEW_CASEWORKER: return "handläggarens bedömning";
    case v1::ASSESSMENT_VIEW_CLIENT: return "klientens självskattning";
    default: return "förslag";
  }
}

std::string PersonLabel(const v1::Person& person) {
  std::string label(internal::RoleName(person.role()));
  if (person.role() == v1::HOUSEHOLD_ROLE_OTHER_ADULT) label += " (" + person.person_ref() + ")";
  return label;
}

}  // namespace

std::string SummaryNote(const v1::Case& c, const v1::ForsorjningshinderTable& table) {
  std::ostringstream note;
  note << "Instrument X – sammanfattning\n";
  int adults = 0;
  int children = 0;
  for (const auto& person : c.household().persons()) {
    (person.role() == v1::HOUSEHOLD_ROLE_CHILD ? children : adults)++;
  }
  note << "Hushåll " << c.household().household_ref() << ": " << adults << " vuxna, " << children
       << " barn.\n";
  if (c.responses_size() > 0) {
    const auto& last = c.responses(c.responses_size() - 1);
    note << "Senaste Instrument X: " << last.response().instrument().instrument_id() << " "
         << last.response().instrument().version() << ", besvarat " << last.answered_on() << ".\n";
  }
  // The effective category of each adult: the latest categorisation event about them.
  std::map<std::string, const v1::CategorisationEvent*> latest;
  for (const auto& event : c.events()) {
    if (!event.has_categorisation()) continue;
    const auto& cat = event.categorisation();
    const std::string id = internal::NormalizedPersonnummer(cat.header().subject().personnummer());
    auto& slot = latest[id];
    if (slot == nullptr || slot->header().effective_date() <= cat.header().effective_date()) slot = &cat;
  }
  std::map<std::string, const v1::ForsorjningshinderRecord*> hinder;
  for (const auto& record : c.forsorjningshinder()) {
    auto& slot = hinder[record.person_ref()];
    if (slot == nullptr || slot->date() <= record.date()) slot = &record;
  }
  for (const auto& person : c.household().persons()) {
    if (person.role() == v1::HOUSEHOLD_ROLE_CHILD) continue;
    const std::string label = PersonLabel(person);
    auto event = latest.find(internal::NormalizedPersonnummer(person.personnummer()));
    if (event != latest.end() && event->second != nullptr) {
      note << label << ": behovskategori " << CategoryText(event->second->category()) << " från "
           << event->second->header().effective_date() << " (" << ViewText(event->second->governing_view())
           << ").\n";
    }
    if (auto h = hinder.find(person.person_ref()); h != hinder.end()) {
      const std::string* reason = internal::ReasonLabel(table, h->second->chosen_code());
      note << label << ": försörjningshinder " << (reason != nullptr ? *reason : h->second->chosen_code())
           << " (" << h->second->date() << ").\n";
    }
  }
  if (c.has_plan() && !c.plan().established_on().empty()) {
    note << "Genomförandeplan fastställd " << c.plan().established_on();
    if (!c.plan().next_follow_up_on().empty()) note << "; nästa uppföljning " << c.plan().next_follow_up_on();
    note << ".\n";
  }
  return note.str();
}

}  // namespace ix::adapters::lifecare
