// ixctl generate: seeded synthetic events (docs/statistics.md, "Synthetic data") as NDJSON or
// length-delimited binary ix.v1.Event, ready for `ixctl import`. No real person is described;
// the personnummer are synthetic (valid checksum) and are pseudonymised on import like any other.
#include <ix/cli/cli.hpp>
#include <ix/cli/json_io.hpp>
#include <ix/store/synthetic_events.hpp>

#include "../command.hpp"

#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/util/json_util.h>

#include <fstream>
#include <optional>

namespace ix::cli {
namespace {
namespace stats = ix::statistics;

struct GenerateOptions {
  int64_t persons = 1000;
  int years = 3;
  uint64_t seed = 1;
  std::string start = "2021-01-01";
  std::string municipality = "0192";
  std::string format = "ndjson";
  std::string out;
};

int Generate(const Context& ctx, const GenerateOptions& o) {
  const auto first = stats::ParseDay(o.start);
  if (!first) return ctx.Fail(kExitUsage, "--start: '" + o.start + "' is not a real date YYYY-MM-DD");
  if (o.municipality.size() != 4 ||
      o.municipality.find_first_not_of("0123456789") != std::string::npos) {
    return ctx.Fail(kExitUsage, "--municipality: '" + o.municipality + "' is not a four-digit kommunkod");
  }
  std::ofstream file;
  if (!o.out.empty()) {
    file.open(o.out, std::ios::binary | std::ios::trunc);
    if (!file) return ctx.Fail(kExitBadInput, o.out + ": cannot be written");
  }
  std::ostream& out = o.out.empty() ? ctx.out : file;
  // Binary output goes through a buffered protobuf stream; it flushes when reset below.
  std::optional<google::protobuf::io::OstreamOutputStream> binary;
  if (o.format == "binary") binary.emplace(&out);
  google::protobuf::util::JsonPrintOptions json;
  json.preserve_proto_field_names = true;

  stats::SyntheticParams params;
  params.persons = o.persons;
  params.years = o.years;
  params.seed = o.seed;
  params.first_day = *first;
  std::vector<v1::Event> events;
  std::string line;
  int64_t persons = 0, written = 0;
  bool ok = true;
  stats::GenerateSynthetic(params, [&](const stats::SyntheticPerson& person) {
    if (!ok) return;
    store::ToEvents(person, o.municipality, o.seed, events);
    for (const v1::Event& e : events) {
      if (o.format == "binary") {
        ok = google::protobuf::util::SerializeDelimitedToZeroCopyStream(e, &*binary);
      } else {
        line.clear();
        (void)google::protobuf::util::MessageToJsonString(e, &line, json);
        out << line << '\n';
      }
      ++written;
    }
    if (++persons % 100000 == 0) {
      ctx.err << "ixctl: generate: " << persons << " of " << o.persons << " persons, " << written
              << " events\n";
    }
  });
  binary.reset();
  out.flush();
  if (!ok || !out) return ctx.Fail(kExitBadInput, (o.out.empty() ? std::string("standard output") : o.out) + ": write failed");
  ctx.err << "ixctl: generate: " << persons << " persons, " << written << " events (seed " << o.seed << ")\n";
  return kExitOk;
}

}  // namespace

void RegisterGenerate(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "generate", "Write seeded synthetic events (N persons over Y years, realistic household "
                  "sizes, categories, movements, exits and interventions) for 'ixctl import'");
  auto o = std::make_shared<GenerateOptions>();
  cmd->add_option("--persons", o->persons, "Number of persons (adults)")
      ->check(CLI::Range(int64_t{1}, int64_t{100000000}))
      ->capture_default_str();
  cmd->add_option("--years", o->years, "Years of history")->check(CLI::Range(1, 50))->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed: the same seed gives the same events")->capture_default_str();
  cmd->add_option("--start", o->start, "First day of the history, YYYY-MM-DD")->capture_default_str();
  cmd->add_option("--municipality", o->municipality, "Kommunkod")->capture_default_str();
  cmd->add_option("--format", o->format, "Output format")
      ->check(CLI::IsMember({"ndjson", "binary"}))
      ->capture_default_str();
  cmd->add_option("-o,--out", o->out, "Write to this file instead of standard output");
  cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return Generate(ctx, *o); }; });
}

}  // namespace ix::cli
