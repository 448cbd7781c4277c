// The library API for statistics: a canonical ix.v1.ReportRequest in, a canonical
// ix.v1.StatisticsReport out, computed by the core report engine streaming over the store.
// The CLI (`ixctl report`) is a thin wrapper over these functions; a server can call them too.
#ifndef IX_STORE_REPORTS_HPP
#define IX_STORE_REPORTS_HPP

#include <ix/statistics/publication.hpp>
#include <ix/statistics/render.hpp>
#include <ix/store/event_store.hpp>

#include "ix/v1/statistics.pb.h"

#include <functional>
#include <string>

namespace ix::store {

// Checks a request and turns it into engine options. Errors name the field.
Result<statistics::ReportOptions> OptionsFrom(const v1::ReportRequest& request);

// One pass over every person of the municipality, computing the reports of options.reports
// (reading only the events they need); `progress` (may be empty) is called every 10 000 persons
// with the number of persons read so far. On two cores or more, one thread reads and another
// folds.
Result<statistics::Reports> RunReports(const EventStore& store, const std::string& municipality,
                                        const statistics::ReportOptions& options,
                                        const std::function<void(int64_t)>& progress = {});

// A publication (already protected or marked internal) as the canonical message, its texts in
// the reader's language (`language` says which: a tag without report texts falls back).
v1::StatisticsReport ToProto(const statistics::Publication& publication,
                             const statistics::Language& lang, const std::string& municipality);

// The reader of a request's `language` (empty: en). OptionsFrom has refused a malformed tag.
statistics::Language ReportLanguage(const v1::ReportRequest& request);

// The reader's language of any report request: a BCP 47 tag, empty for English; a tag without
// report texts falls back (docs/statistics.md, "Languages"). Refused, naming `language`: a
// malformed tag, shown at most 40 bytes long (a request may carry megabytes in it).
Result<statistics::Language> ReaderLanguage(std::string_view tag);

// Request in, report out: options, one pass, publication, disclosure control, conversion.
Result<v1::StatisticsReport> BuildReport(const EventStore& store, const v1::ReportRequest& request);

statistics::ReportKind KindFrom(v1::ReportKind kind);
// The bit of ReportOptions::reports that computes `kind`.
uint32_t ReportBit(v1::ReportKind kind);

}  // namespace ix::store

#endif  // IX_STORE_REPORTS_HPP
