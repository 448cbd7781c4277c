// The JSON conversion of the REST port: protobuf's canonical JSON mapping straight to and from
// the wire bytes the gRPC service method takes and gives, with no message object in between.
//
// protobuf's own JsonStringToMessage converts JSON to wire bytes and then parses them into the
// message; MessageToJsonString serialises the message and converts the bytes. The REST port
// only ever needs the bytes (it hands them to the service method through the in-process
// channel, and gets bytes back), so it calls the converter itself: same parser, same
// messages on error (unknown fields refused, naming them), one parse and one serialisation
// fewer each way.
// (Keeping the google.protobuf.Type the resolver builds for each message type, instead of
// building it per call, was measured and saved nothing measurable: it is not done.)
#ifndef IX_SERVER_REST_JSON_HPP
#define IX_SERVER_REST_JSON_HPP

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/status.h>
#include <google/protobuf/util/type_resolver.h>

#include <memory>
#include <string>
#include <string_view>

namespace ix::server::rest {

// Safe to use from several threads at once (protobuf's resolver over the pool keeps no state).
class JsonCodec {
 public:
  // Over protobuf's generated descriptor pool (every served request and answer is in it).
  JsonCodec();
  ~JsonCodec();
  JsonCodec(const JsonCodec&) = delete;
  JsonCodec& operator=(const JsonCodec&) = delete;

  // `json` (canonical JSON of `type`, unknown fields refused; lowerCamelCase or proto field
  // names) as wire bytes in *bytes. On failure the status carries protobuf's parser message
  // ("(response.household) colour: Cannot find field."; JsonErrorField reads the field).
  google::protobuf::util::Status ToBinary(std::string_view json, const google::protobuf::Descriptor& type,
                                          std::string* bytes) const;

  // Wire bytes of `type` as canonical JSON in *json, with the proto field names
  // ("validated_against", as ixctl prints).
  google::protobuf::util::Status ToJson(const std::string& bytes, const google::protobuf::Descriptor& type,
                                        std::string* json) const;

 private:
  std::unique_ptr<google::protobuf::util::TypeResolver> resolver_;
};

}  // namespace ix::server::rest

#endif  // IX_SERVER_REST_JSON_HPP
