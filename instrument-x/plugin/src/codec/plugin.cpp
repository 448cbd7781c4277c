// plugin.proto: the structured error of a failed call.
#include "codec/codec.hpp"
#include "ix/v1/plugin.pb.h"
#include "session.hpp"

#include <new>

namespace ix::plugin {

std::string SerializedCallError(const CallFailure& failure) {
  v1::CallError error;
  error.set_message(failure.text());
  for (const core::Problem& p : failure.problems()) ToProto(p, error.add_problems());
  std::string bytes;
  if (!error.SerializeToString(&bytes)) throw std::bad_alloc();
  return bytes;
}

}  // namespace ix::plugin
