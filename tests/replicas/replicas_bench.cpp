// Benchmark (not a test): Suggest + Assess with recording through one ix-server replica against
// two replicas on one PostgreSQL, same run, same client load (tests/bench/replicas_bench.sh runs
// it inside a throw-away cluster).
//
// Both replicas run for the whole run; the phases alternate ("one": every client thread calls
// replica 1; "two": client thread t calls replica 1 + t % 2, each on its own connection — the
// client spreads its calls, no load balancer in between), so that machine noise hits both alike.
// One step is what a case worker's system does at a visit: Suggest for the household, then
// Assess with a new occasion, whose event the replica records in PostgreSQL before it answers.
// CPU per step is read from /proc for each replica with its plugin workers, for the PostgreSQL
// cluster (postmaster and every backend) and for this client, so the share of each is visible.
//
// With --municipalities 2 the client threads alternate between Södertälje (0181) and Nynäshamn
// (0192), each with its own caller certificate: two stores, so two write locks (the writes of
// one municipality's store are serialised; those of two are not).
//
//   ix_replicas_bench [--seconds S] [--threads T] [--rounds R] [--workers W] [--municipalities 1|2]
#include "replica_harness.hpp"
#include "bench_driver.hpp"

#include "ix/v1/categorisation.pb.h"

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <dirent.h>
#include <map>
#include <set>

namespace ix::server::testing {
namespace {

using StubPtr = std::unique_ptr<v1::InstrumentService::Stub>;

// CPU seconds (user + system) of the processes under `roots` (themselves and every descendant),
// from /proc/<pid>/stat.
double TreeCpuSeconds(const std::vector<pid_t>& roots) {
  std::map<pid_t, pid_t> parent;
  std::map<pid_t, double> cpu;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* entry = ::readdir(proc)) {
    const pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    const std::string stat = Slurp(fs::path("/proc") / entry->d_name / "stat");
    const size_t close = stat.rfind(')');  // the command name may hold spaces
    if (close == std::string::npos) continue;
    std::istringstream fields(stat.substr(close + 2));
    std::string state;
    long long ppid = 0, skip = 0;
    unsigned long long utime = 0, stime = 0;
    fields >> state >> ppid;
    for (int i = 0; i < 9; ++i) fields >> skip;  // pgrp … cmajflt
    fields >> utime >> stime;
    parent[pid] = static_cast<pid_t>(ppid);
    cpu[pid] = static_cast<double>(utime + stime) / tick;
  }
  ::closedir(proc);
  const std::set<pid_t> top(roots.begin(), roots.end());
  double total = 0;
  for (const auto& [pid, seconds] : cpu) {
    for (pid_t p = pid; p > 1; p = parent.count(p) ? parent[p] : 0) {
      if (top.count(p)) {
        total += seconds;
        break;
      }
    }
  }
  return total;
}

double ClientCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// The postmaster of the cluster the replicas use: the first line of <data_directory>/postmaster.pid.
pid_t Postmaster() {
  PGconn* c = PQconnectdb((std::string("dbname=") + kDatabase).c_str());
  pid_t pid = 0;
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, "SHOW data_directory");
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
      pid = std::atoi(Slurp(fs::path(PQgetvalue(r, 0, 0)) / "postmaster.pid").c_str());
    }
    PQclear(r);
  }
  PQfinish(c);
  return pid;
}

// A setting of the cluster, as the server reports it ("on", "off", …).
std::string Setting(const char* name) {
  PGconn* c = PQconnectdb((std::string("dbname=") + kDatabase).c_str());
  std::string value = "?";
  if (PQstatus(c) == CONNECTION_OK) {
    PGresult* r = PQexec(c, (std::string("SHOW ") + name).c_str());
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) value = PQgetvalue(r, 0, 0);
    PQclear(r);
  }
  PQfinish(c);
  return value;
}

double LoadAverage() { return std::atof(Slurp("/proc/loadavg").c_str()); }

struct Phase {
  Figures figures;
  double server_cpu = 0, pg_cpu = 0, client_cpu = 0;  // seconds over the phase
  int64_t events = 0;                                  // events stored in the phase
};

struct Client {
  StubPtr stub;
  int thread = 0;
  int municipality = 0;  // index into the requests
  uint64_t step = 0;
};

int Main(int argc, char** argv) {
  double seconds = 10;
  int threads = 8, rounds = 3, workers = 2, municipalities = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seconds") seconds = std::atof(argv[i + 1]);
    else if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    else if (flag == "--rounds") rounds = std::atoi(argv[i + 1]);
    else if (flag == "--workers") workers = std::atoi(argv[i + 1]);
    else if (flag == "--municipalities") municipalities = std::atoi(argv[i + 1]) == 2 ? 2 : 1;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (!PostgresqlAvailable()) {
    std::fprintf(stderr, "no PostgreSQL in the environment (PGHOST/PGPORT): run through tests/bench/replicas_bench.sh\n");
    return 77;
  }
  if (!Exec(std::string("CREATE DATABASE ") + kDatabase, "postgres")) return 1;
  const fs::path dir = TempDir("replicas-bench");
  // No per-caller rate limit: the bench is one caller calling as fast as answers come.
  WriteSharedFiles(dir, R"("limits": { "max_deadline_ms": 120000, "calls_per_second_per_caller": 0 },
    "isolation": { "workers": )" + std::to_string(workers) + " }");
  Replica replicas[2];
  for (int i = 0; i < 2; ++i) {
    replicas[i].Start(dir / "ix-server.json", dir / ("replica-" + std::to_string(i + 1)));
    if (replicas[i].port <= 0) return 1;
  }
  const pid_t postmaster = Postmaster();
  if (postmaster <= 0) {
    std::fprintf(stderr, "cannot find the cluster's postmaster (SHOW data_directory needs a superuser)\n");
    return 1;
  }
  // The same household and assessment for each municipality, under its own code.
  const char* codes[2] = {"0181", "0192"};
  const char* callers[2] = {"sodertalje", "nynashamn"};
  v1::SuggestRequest suggest[2];
  v1::AssessRequest assess[2];
  const v1::Case c = ExampleCase("case-after-two-years.json");
  for (int m = 0; m < 2; ++m) {
    *suggest[m].mutable_response() = Example("household.json");
    suggest[m].mutable_response()->mutable_household()->set_municipality_code(codes[m]);
    suggest[m].set_as_of_date("2025-01-15");
    *assess[m].mutable_household() = c.household();
    assess[m].mutable_household()->set_municipality_code(codes[m]);
    *assess[m].mutable_record() = c.assessments(0);
  }
  const std::string count_events = "SELECT count(*) FROM ix_events WHERE store IN ('0181', '0192')";

  const auto run = [&](int spread, double length) {
    Phase phase;
    std::atomic<int> next_thread{0};
    static std::atomic<uint64_t> run_number{0};
    const uint64_t run_id = ++run_number;
    const int64_t events_before = Scalar(count_events);
    const double server0 = TreeCpuSeconds({replicas[0].pid, replicas[1].pid}), pg0 = TreeCpuSeconds({postmaster}),
                 client0 = ClientCpuSeconds();
    phase.figures = Drive<Client>(
        threads, length,
        [&] {
          Client client;
          client.thread = next_thread++;
          client.municipality = client.thread / spread % municipalities;
          client.stub = replicas[client.thread % spread].Stub(callers[client.municipality]);
          return client;
        },
        [&](Client& client) {
          {
            grpc::ClientContext ctx;
            Deadline(&ctx, 10000);
            v1::SuggestResponse response;
            if (!client.stub->Suggest(&ctx, suggest[client.municipality], &response).ok()) return false;
          }
          // A new occasion each step, so each Assess records a new event (not a duplicate).
          v1::AssessRequest request = assess[client.municipality];
          const std::string occasion = "bench-" + std::to_string(run_id) + "-" + std::to_string(client.thread) +
                                       "-" + std::to_string(client.step++);
          request.mutable_record()->set_occasion_id(occasion);
          request.set_recorded_at("2025-01-15T10:00:00Z");
          grpc::ClientContext ctx;
          Deadline(&ctx, 10000);
          v1::AssessResponse response;
          return client.stub->Assess(&ctx, request, &response).ok() && response.has_event();
        });
    phase.server_cpu = TreeCpuSeconds({replicas[0].pid, replicas[1].pid}) - server0;
    phase.pg_cpu = TreeCpuSeconds({postmaster}) - pg0;
    phase.client_cpu = ClientCpuSeconds() - client0;
    phase.events = Scalar(count_events) - events_before;
    return phase;
  };

  const double load_start = LoadAverage();
  std::printf("replicas bench: %d client threads, %.1f s per phase, %d rounds, %d plugin workers per replica, "
              "%d municipalit%s, %ld cores, load average %.2f at the start\n",
              threads, seconds, rounds, workers, municipalities, municipalities == 1 ? "y" : "ies",
              ::sysconf(_SC_NPROCESSORS_ONLN), load_start);
  std::printf("PostgreSQL: fsync %s, synchronous_commit %s (each Assess commits one transaction)\n",
              Setting("fsync").c_str(), Setting("synchronous_commit").c_str());
  std::fflush(stdout);
  run(1, 1.0);  // warm up both replicas, their workers and connections
  run(2, 1.0);
  std::vector<Phase> one, two;
  for (int r = 0; r < rounds; ++r) {
    one.push_back(run(1, seconds));
    two.push_back(run(2, seconds));
  }
  const auto merge = [](const std::vector<Phase>& phases) {
    Phase m;
    std::vector<Figures> figures;
    for (const Phase& p : phases) {
      figures.push_back(p.figures);
      m.server_cpu += p.server_cpu;
      m.pg_cpu += p.pg_cpu;
      m.client_cpu += p.client_cpu;
      m.events += p.events;
    }
    m.figures = Merge(figures);
    return m;
  };
  const Phase a = merge(one), b = merge(two);
  const double load_end = LoadAverage();
  const auto per_step = [](double cpu, const Phase& p) {
    return p.figures.calls == 0 ? 0.0 : 1000.0 * cpu / static_cast<double>(p.figures.calls);
  };
  std::printf("\n| replicas | steps/s | p50 ms | p99 ms | steps | errors | events stored | ix-server CPU ms/step "
              "| PostgreSQL CPU ms/step | client CPU ms/step | PostgreSQL share |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const auto& [name, p] : {std::pair<const char*, const Phase&>{"one", a}, {"two", b}}) {
    const double server = per_step(p.server_cpu, p), pg = per_step(p.pg_cpu, p), client = per_step(p.client_cpu, p);
    std::printf("| %s | %.0f | %.1f | %.1f | %llu | %llu | %lld | %.2f | %.2f | %.2f | %.0f %% |\n", name,
                p.figures.qps, p.figures.p50_us / 1000, p.figures.p99_us / 1000,
                static_cast<unsigned long long>(p.figures.calls), static_cast<unsigned long long>(p.figures.errors),
                static_cast<long long>(p.events), server, pg, client, 100 * pg / (server + pg + client));
  }
  const double cpu_a = per_step(a.server_cpu + a.pg_cpu, a), cpu_b = per_step(b.server_cpu + b.pg_cpu, b);
  std::printf("\nsame-run ratios (two / one): steps/s %.2fx, p99 %.2fx, server+PostgreSQL CPU per step %.2fx\n",
              b.figures.qps / a.figures.qps, b.figures.p99_us / a.figures.p99_us, cpu_b / cpu_a);
  std::printf("load average %.2f at the start, %.2f at the end; a step is Suggest + Assess (2 calls)\n", load_start,
              load_end);
  const bool recorded = a.events == static_cast<int64_t>(a.figures.calls) && b.events == static_cast<int64_t>(b.figures.calls);
  if (!recorded) std::printf("WARNING: events stored differ from the steps answered: not every Assess recorded\n");
  fs::remove_all(dir);
  return recorded && a.figures.errors == 0 && b.figures.errors == 0 ? 0 : 1;
}

}  // namespace
}  // namespace ix::server::testing

int main(int argc, char** argv) { return ix::server::testing::Main(argc, argv); }
