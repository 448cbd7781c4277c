#include <ix/cli/event_stream.hpp>
#include <ix/cli/json_io.hpp>

#include <google/protobuf/io/coded_stream.h>

namespace ix::cli {

EventReader::EventReader(std::istream& in, bool binary, std::string source, EventStreamLimits limits)
    : in_(in), binary_(binary), source_(std::move(source)), limits_(limits) {
  if (binary_) stream_ = std::make_unique<google::protobuf::io::IstreamInputStream>(&in_);
}

EventReader::Next EventReader::Read(v1::Event* event) {
  error_ = Status::Ok();
  return binary_ ? ReadMessage(event) : ReadLine(event);
}

EventReader::Next EventReader::Refuse(Next next, std::string what) {
  error_ = InvalidField(where_, std::move(what));
  return next;
}

EventReader::Next EventReader::ReadLine(v1::Event* event) {
  std::streambuf* buffer = in_.rdbuf();
  for (;;) {
    // One line, keeping at most the limit in memory and counting the rest.
    std::string line;
    std::size_t length = 0;
    bool any = false;
    for (int c = buffer->sbumpc(); c != std::char_traits<char>::eof(); c = buffer->sbumpc()) {
      any = true;
      if (c == '\n') break;
      if (++length <= limits_.max_record_bytes) line.push_back(static_cast<char>(c));
    }
    if (!any) return Next::kEnd;
    ++line_;
    if (length <= limits_.max_record_bytes && line.find_first_not_of(" \t\r") == std::string::npos) continue;
    where_ = source_ + ":" + std::to_string(line_);
    if (++records_ > limits_.max_records) {
      return Refuse(Next::kStop, "event " + std::to_string(records_) + ", at most " +
                                     std::to_string(limits_.max_records) + " per file");
    }
    if (length > limits_.max_record_bytes) {
      return Refuse(Next::kRejected, std::to_string(length) + " bytes, at most " +
                                         std::to_string(limits_.max_record_bytes) + " per line");
    }
    event->Clear();
    if (Status parsed = ParseJson(line, where_, event); !parsed.ok()) {
      if (!parsed.problems().empty()) {  // a JSON limit: its path already starts with where_
        error_ = std::move(parsed);
        return Next::kRejected;
      }
      // Protobuf's message starts with where_; keep one copy of it.
      std::string what = parsed.message();
      if (what.rfind(where_ + ": ", 0) == 0) what = what.substr(where_.size() + 2);
      return Refuse(Next::kRejected, what);
    }
    return Next::kEvent;
  }
}

EventReader::Next EventReader::ReadMessage(v1::Event* event) {
  // A coded stream per message, as protobuf's own delimited reader does, so no 2 GB total
  // limit applies to the file; unread bytes go back to the stream when it is destroyed.
  google::protobuf::io::CodedInputStream input(stream_.get());
  const int start = input.CurrentPosition();
  std::uint32_t size = 0;
  if (!input.ReadVarint32(&size)) {
    if (input.CurrentPosition() == start) return Next::kEnd;  // no byte left: a clean end
    where_ = source_ + ": message " + std::to_string(records_ + 1);
    return Refuse(Next::kStop, "not a length prefix (truncated or corrupt); the rest of the file cannot be read");
  }
  ++records_;
  where_ = source_ + ": message " + std::to_string(records_);
  if (records_ > limits_.max_records) {
    return Refuse(Next::kStop, "event " + std::to_string(records_) + ", at most " +
                                   std::to_string(limits_.max_records) + " per file");
  }
  if (size > limits_.max_record_bytes) {
    // The prefix is only a claim: nothing is allocated for it, and without a trusted length
    // the following bytes cannot be framed.
    return Refuse(Next::kStop, "length prefix says " + std::to_string(size) + " bytes, at most " +
                                   std::to_string(limits_.max_record_bytes) +
                                   " per message; the rest of the file cannot be read");
  }
  event->Clear();
  const auto limit = input.PushLimit(static_cast<int>(size));
  const bool parsed = event->MergePartialFromCodedStream(&input) && input.ConsumedEntireMessage() &&
                      input.BytesUntilLimit() == 0;
  input.PopLimit(limit);
  if (!parsed) {
    return Refuse(Next::kStop, "not a length-delimited ix.v1.Event (truncated or corrupt); the rest of the file "
                               "cannot be read");
  }
  return Next::kEvent;
}

}  // namespace ix::cli
