#include "session.hpp"

#include "codec/codec.hpp"

#include <ix/base/clock.hpp>
#include <ix/core/personnummer.hpp>


// The definitions embedded at build time by ix-defc (a serialized ix.v1.DefinitionSet).
extern const unsigned char ix_embedded_definitions[];
extern const std::size_t ix_embedded_definitions_size;

namespace ix::plugin {

const EmbeddedDefinitions& Embedded() {
  static const EmbeddedDefinitions embedded = [] {
    EmbeddedDefinitions e;
    if (!e.set.ParseFromArray(ix_embedded_definitions, static_cast<int>(ix_embedded_definitions_size))) {
      e.error = "embedded definitions do not parse as ix.v1.DefinitionSet";
      return e;
    }
    std::vector<core::Definition> definitions;
    for (const v1::Definition& d : e.set.definitions()) {
      definitions.push_back(FromProto(d));
      // Checked and its patterns compiled once per process.
      const auto problems = core::PrepareDefinition(definitions.back());
      if (!problems.empty()) {
        e.error = "embedded definition " + d.id() + "@" + d.version() + " is invalid: " +
                  core::ProblemsText({problems.front()});
        return e;
      }
    }
    e.catalog = core::DefinitionCatalog(std::move(definitions));
    return e;
  }();
  return embedded;
}

void Session::Log(ix_log_level level, const std::string& message) const {
  if (host != nullptr && host->struct_size >= sizeof(ix_host_services) && host->log != nullptr) {
    host->log(host->user_data, level, message.data(), message.size());
  }
}

core::Date TodayUtc() {
  const base::CivilDate today = base::TodayUtc();
  return {today.year, today.month, today.day};
}

core::ValidationContext ValidationAsOf(const std::string& as_of_date) {
  if (as_of_date.empty()) return {TodayUtc()};
  const std::optional<core::Date> as_of = core::ParseIsoDate(as_of_date);
  if (!as_of) throw InvalidField("as_of_date", "expected a real date YYYY-MM-DD", "invalid_date");
  return {*as_of};
}

CallResult Serialized(const google::protobuf::MessageLite& message) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    throw CallFailure(IX_ERR_INTERNAL, "response could not be serialized");
  }
  return CallResult::Ok(std::move(bytes));
}

std::string EncodeFailure(const Session* session, const CallFailure& failure) {
  if (session == nullptr || session->error_format != IX_ERROR_FORMAT_CALL_ERROR) return failure.text();
  return SerializedCallError(failure);
}

std::vector<core::Problem> Under(std::vector<core::Problem> problems, const std::string& prefix) {
  for (core::Problem& p : problems) p.path = p.path.empty() ? prefix : prefix + "." + p.path;
  return problems;
}

core::Response CheckedResponse(const v1::InstrumentResponse& in, const std::string& field) {
  core::Response response = FromProto(in);
  if (auto refused = core::CheckResponseLimits(response); !refused.empty()) throw Rejected(Under(std::move(refused), field));
  return response;
}

core::Household CheckedHousehold(const v1::Household& in, const std::string& field) {
  // Counted on the message first: the persons are not even converted when there are too many.
  const core::Limits& limits = core::DefaultLimits();
  if (in.persons_size() > limits.persons) {
    throw Rejected({core::LimitProblem(field + ".persons", in.persons_size(), limits.persons, "persons", "personer")});
  }
  return FromProto(in);
}

std::vector<core::Problem> PrepareReceived(core::Definition& definition, const std::string& field) {
  std::vector<core::Problem> problems = core::PrepareDefinition(definition);
  if (auto refused = core::LimitProblems(problems); !refused.empty()) throw Rejected(Under(std::move(refused), field));
  return problems;
}

const core::Definition& FindPinned(const core::InstrumentRef& pin, const std::string& field) {
  if (pin.instrument_id.empty() || pin.version.empty()) {
    throw InvalidField(field, "instrument_id and version are required; a response is always pinned to one "
                              "definition version", "missing");
  }
  const core::Definition* definition = Embedded().catalog.Find(pin);
  if (definition == nullptr) {
    std::string known;
    for (const std::string& v : Embedded().catalog.VersionsOf(pin.instrument_id)) {
      known += (known.empty() ? "" : ", ") + v;
    }
    throw NotFoundField(field, pin.instrument_id + "@" + pin.version + " is not carried by this plugin (known versions of '" +
                                   pin.instrument_id + "': " + (known.empty() ? "none" : known) + ")");
  }
  return *definition;
}

}  // namespace ix::plugin
