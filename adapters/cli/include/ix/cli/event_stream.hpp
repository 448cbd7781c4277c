// Reading events (ix.v1.Event) for the event store's import, one at a time, from NDJSON (one
// canonical JSON event per line) or length-delimited binary protobuf. Every record is bounded
// before it is read into memory: a line or message over the limit is refused by number with
// its size and the limit, and a length prefix never decides an allocation.
#ifndef IX_CLI_EVENT_STREAM_HPP
#define IX_CLI_EVENT_STREAM_HPP

#include <ix/base/status.hpp>

#include "ix/v1/events.pb.h"

#include <google/protobuf/io/zero_copy_stream_impl.h>

#include <cstddef>
#include <cstdint>
#include <istream>
#include <memory>
#include <string>

namespace ix::cli {

struct EventStreamLimits {
  std::size_t max_record_bytes = 1u << 20;  // one NDJSON line or one binary message (an event is < 1 kB)
  std::int64_t max_records = 50'000'000;    // events per file
};

class EventReader {
 public:
  enum class Next {
    kEvent,     // *event holds the next event; where() names it
    kRejected,  // this record is bad (error()); the next one can still be read
    kStop,      // the rest of the input cannot be read (error()); nothing more follows
    kEnd,       // no more records
  };

  // `source` names the input in messages ("events.ndjson"); `in` must outlive the reader.
  EventReader(std::istream& in, bool binary, std::string source, EventStreamLimits limits = {});

  Next Read(v1::Event* event);
  // "<source>:<line>" (NDJSON) or "<source>: message <n>" (binary) of the last record read.
  const std::string& where() const { return where_; }
  const Status& error() const { return error_; }
  std::int64_t records() const { return records_; }

 private:
  Next ReadLine(v1::Event* event);
  Next ReadMessage(v1::Event* event);
  Next Refuse(Next next, std::string what);

  std::istream& in_;
  bool binary_;
  std::string source_;
  EventStreamLimits limits_;
  std::unique_ptr<google::protobuf::io::IstreamInputStream> stream_;
  std::int64_t line_ = 0;
  std::int64_t records_ = 0;
  std::string where_;
  Status error_ = Status::Ok();
};

}  // namespace ix::cli

#endif  // IX_CLI_EVENT_STREAM_HPP
