// The CLI's canonical JSON (protobuf's JSON mapping, unknown fields refused), for each document
// type ixctl reads; the first byte picks the type. A document that parses is printed as ixctl
// prints it and must parse back to the same message.
#include "../fuzz_support.hpp"

#include <ix/cli/json_io.hpp>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "ix/v1/categorisation.pb.h"
#include "ix/v1/events.pb.h"
#include "ix/v1/exchange.pb.h"
#include "ix/v1/response.pb.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>

namespace {

template <typename M>
std::unique_ptr<google::protobuf::Message> Make() {
  return std::make_unique<M>();
}

using Factory = std::unique_ptr<google::protobuf::Message> (*)();
constexpr Factory kTypes[] = {
    Make<ix::v1::InstrumentResponse>, Make<ix::v1::Case>,          Make<ix::v1::Plan>,
    Make<ix::v1::FollowUp>,           Make<ix::v1::Definition>,    Make<ix::v1::Event>,
    Make<ix::v1::ConsentRecord>,      Make<ix::v1::AssessmentRecord>,
};

// Compared as deterministic bytes: a NaN read from "NaN" is the same bits after the round trip,
// though never equal to itself as a number.
std::string Bytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return -1;
  auto message = kTypes[data[0] % std::size(kTypes)]();
  if (!ix::cli::ParseJson(std::string(ix::fuzz::Bytes(data + 1, size - 1)), "fuzz.json", message.get()).ok()) {
    return 0;
  }
  const std::string printed = ix::cli::ToJson(*message);
  auto again = std::unique_ptr<google::protobuf::Message>(message->New());
  const ix::Status reparsed = ix::cli::ParseJson(printed, "printed.json", again.get());
  if (!reparsed.ok() || Bytes(*message) != Bytes(*again)) {
    std::fprintf(stderr, "canonical JSON does not round-trip: %s\n",
                 reparsed.ok() ? "the message changed" : reparsed.message().c_str());
    std::abort();
  }
  return 0;
}
