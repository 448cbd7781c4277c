// The wire between ix-server and a plugin worker process (ix-plugin-worker): the same ABI
// request and response bytes, framed on a Unix-domain stream socket.
//
// A frame is a 4-byte little-endian length, one type byte and the body:
//   worker -> host  'H' hello:       what the loaded plugin is (name, version, ABI, instruments)
//                                    and which of kFunctions it offers
//                   'F' load failed: code (1 byte), reason, NUL, message
//                   'R' result:      ix_status (4 bytes), flags (1 byte), the plugin's buffer
//   host -> worker  'C' call:        function index (2 bytes), the request bytes
// A function is named by its index in kFunctions, so both sides resolve it from the same
// headers: the worker reads the pointer from its own table, the host never sends an address.
#ifndef IX_ISOLATION_PROTOCOL_HPP
#define IX_ISOLATION_PROTOCOL_HPP

#include <ix/ext/categorisation.h>
#include <ix/ext/forms.h>
#include <ix/plugin.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ix::isolation {

// Which table a callable function lives in: the base table or an extension table.
enum class TableId : uint8_t { kBase = 0, kCategorisation = 1, kForms = 2 };
inline constexpr size_t kTableCount = 3;

struct FunctionSlot {
  TableId table;
  size_t offset;  // of the ix_call_fn member in the table's struct
  const char* name;
};

// Every function a host can call, base and extensions. Append only: the index is the wire name.
inline constexpr FunctionSlot kFunctions[] = {
    {TableId::kBase, offsetof(ix_plugin, describe), "describe"},
    {TableId::kBase, offsetof(ix_plugin, validate), "validate"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, describe), "categorisation.describe"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, suggest), "categorisation.suggest"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, assess), "categorisation.assess"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, history), "categorisation.history"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, due), "categorisation.due"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, plan), "categorisation.plan"},
    {TableId::kCategorisation, offsetof(ix_categorisation_v1, follow_up), "categorisation.follow_up"},
    {TableId::kForms, offsetof(ix_forms_v1, apply_answers), "forms.apply_answers"},
    {TableId::kForms, offsetof(ix_forms_v1, set_part_status), "forms.set_part_status"},
    {TableId::kForms, offsetof(ix_forms_v1, migrate), "forms.migrate"},
    {TableId::kForms, offsetof(ix_forms_v1, render_form), "forms.render_form"},
    {TableId::kForms, offsetof(ix_forms_v1, describe_definition), "forms.describe_definition"},
    {TableId::kForms, offsetof(ix_forms_v1, load_definition), "forms.load_definition"},
    {TableId::kForms, offsetof(ix_forms_v1, validate), "forms.validate"},
};
inline constexpr size_t kFunctionCount = sizeof(kFunctions) / sizeof(kFunctions[0]);
static_assert(kFunctionCount <= 64, "Hello.available is a 64-bit mask");

// The extension id of a table (nullptr for the base table).
const char* ExtensionIdOf(TableId table);

inline constexpr char kFrameHello = 'H';
inline constexpr char kFrameLoadFailed = 'F';
inline constexpr char kFrameResult = 'R';
inline constexpr char kFrameCall = 'C';
// Result flags: the worker leaves after this answer (its CPU-time budget is spent).
inline constexpr uint8_t kResultRetiring = 1;
// A frame longer than this is a broken peer, not a message (the server's own message limit is
// far below it).
inline constexpr uint32_t kMaxFrameBytes = 256u * 1024 * 1024;

struct Hello {
  uint16_t abi_major = 0;
  uint16_t abi_minor = 0;
  uint32_t error_format = 0;  // the ix_error_format the session negotiated
  std::string name;
  std::string version;
  std::vector<std::string> instruments;
  std::array<uint32_t, kTableCount> struct_size{};  // 0: extension not offered
  uint64_t available = 0;  // bit i: kFunctions[i] is offered (table reaches it, pointer set)
  // How the worker's file writes are confined: true = Landlock allows them below its scratch
  // folder only; false = no Landlock in this kernel, so no file may be written at all.
  bool writes_in_scratch = false;
  std::string writes;  // the same as one line for the server's log
};
std::string EncodeHello(const Hello& hello);
std::optional<Hello> DecodeHello(std::string_view body);

enum class IoOutcome { kOk, kClosed, kTimeout, kBroken };

// Writes one frame; waits at most until `deadline` (none: blocks) for the peer to take it.
// Never raises SIGPIPE.
IoOutcome WriteFrame(int fd, char type, std::string_view head, std::string_view body,
                     std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
// Reads one frame. kClosed: the peer closed (or died) before a whole frame arrived.
IoOutcome ReadFrame(int fd, char* type, std::string* body,
                    std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

// Little-endian integers in frame bodies.
void PutU32(std::string* out, uint32_t value);
uint32_t GetU32(std::string_view bytes);

}  // namespace ix::isolation

#endif  // IX_ISOLATION_PROTOCOL_HPP
