/*
 * Instrument X plugin ABI — the whole contract between a host and a plugin.
 *
 * C11, no dependencies beyond <stddef.h> and <stdint.h>. Nothing C++ crosses this boundary:
 * no exceptions, no std:: types, no protobuf objects. Requests and responses cross as
 * serialized protobuf messages of package ix.v1 (proto/ix/v1/plugin.proto).
 *
 * Life cycle
 *   1. The host loads the shared object and looks up the one exported symbol,
 *      IX_PLUGIN_ENTRY_SYMBOL ("ix_plugin_entry_v1"), of type ix_plugin_entry_fn.
 *   2. The host calls it with an ix_abi_offer: the ABI major it speaks, the range of minors it
 *      accepts, and its services (a log callback). The plugin either fills *out_plugin with an
 *      ix_plugin (a versioned table of function pointers) and returns IX_OK, or refuses with a
 *      status and a message that names both the offered and the implemented versions.
 *   3. The host calls the functions in the table, from any threads.
 *   4. The host calls release(context) once, after the last call has returned. The host never
 *      unloads the shared object while a table from it is in use (it may never unload it).
 *
 * Versioning
 *   Major: incompatible change; host and plugin must agree exactly.
 *   Minor: a compatible extension — new fields appended at the END of a struct, never reordered.
 *   Every struct starts with struct_size so a reader can tell which fields the writer knew.
 *   Optional features are looked up by versioned string id through get_extension.
 *
 * Ownership
 *   Each side frees only what it allocated. Buffers the plugin returns (ix_buffer) are released
 *   with that plugin's free_buffer. Pointers the host passes in are borrowed for the duration
 *   of the call only.
 */
#ifndef IX_PLUGIN_H
#define IX_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI this header describes. */
#define IX_ABI_MAJOR 1
#define IX_ABI_MINOR 0

/** The name of the one symbol a plugin exports; its type is ix_plugin_entry_fn. */
#define IX_PLUGIN_ENTRY_SYMBOL "ix_plugin_entry_v1"

#if defined(_WIN32)
#define IX_PLUGIN_EXPORT __declspec(dllexport)
#else
#define IX_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/** Outcome of every ABI function. Values are stable; new ones may be added in a minor. */
typedef enum ix_status {
  IX_OK = 0,
  /** The request bytes are not a valid serialized message of the expected type. */
  IX_ERR_MALFORMED_REQUEST = 1,
  /** The request parsed but a field is invalid (the message names the field). */
  IX_ERR_INVALID_ARGUMENT = 2,
  /** The request names something the plugin does not have (e.g. an instrument version). */
  IX_ERR_NOT_FOUND = 3,
  /** Negotiation refused: no common ABI version. */
  IX_ERR_INCOMPATIBLE_ABI = 4,
  /** A required argument pointer was NULL. */
  IX_ERR_NULL_ARGUMENT = 5,
  /** The plugin failed internally (a caught exception, out of memory); the call had no effect. */
  IX_ERR_INTERNAL = 6
} ix_status;

/** Severity of a log record passed to the host's log callback. */
typedef enum ix_log_level {
  IX_LOG_TRACE = 0,
  IX_LOG_DEBUG = 1,
  IX_LOG_INFO = 2,
  IX_LOG_WARN = 3,
  IX_LOG_ERROR = 4
} ix_log_level;

/**
 * Host log sink.
 * message: UTF-8, `length` bytes, not NUL-terminated; borrowed for the call only.
 * Threading: may be called from any thread that is inside a plugin function, concurrently.
 * The plugin never logs personal data (personnummer, names, answers) through it.
 */
typedef void (*ix_log_fn)(void *user_data, ix_log_level level, const char *message,
                          size_t length);

/** What the host offers the plugin. Borrowed by the plugin for its whole lifetime. */
typedef struct ix_host_services {
  uint32_t struct_size; /**< sizeof(ix_host_services) as the host compiled it */
  void *user_data;      /**< passed back unchanged to every callback */
  ix_log_fn log;        /**< may be NULL: the plugin then stays silent */
} ix_host_services;

/** The versions the host can speak, and its services. Borrowed for the entry call only,
 *  except `host`, which must stay valid until release() returns. */
typedef struct ix_abi_offer {
  uint32_t struct_size; /**< sizeof(ix_abi_offer) as the host compiled it */
  uint16_t abi_major;   /**< the host's ABI major; the plugin must implement exactly this */
  uint16_t min_minor;   /**< the lowest minor the host accepts */
  uint16_t max_minor;   /**< the highest minor the host knows */
  const ix_host_services *host;
} ix_abi_offer;

/**
 * A byte buffer allocated by the plugin. On IX_OK it holds a serialized response message;
 * on any other status a UTF-8 error message (not NUL-terminated) that names the offending
 * field where there is one. Release it with the same plugin's free_buffer; free_buffer on a
 * zeroed buffer is a no-op.
 */
typedef struct ix_buffer {
  uint8_t *data;
  size_t size;
} ix_buffer;

/**
 * A request/response function: `request` is a serialized ix.v1 request message of
 * `request_size` bytes (borrowed; NULL allowed when request_size is 0, meaning the default
 * message). On return *out holds a plugin-allocated buffer as described at ix_buffer.
 * Threading: safe to call concurrently from any threads on the same context.
 * Errors: returns a status; never throws, never aborts on bad input.
 */
typedef ix_status (*ix_call_fn)(void *context, const uint8_t *request, size_t request_size,
                                ix_buffer *out);

/** The plugin's function table for ABI major 1. Owned by the plugin; valid until release(). */
typedef struct ix_plugin {
  uint32_t struct_size; /**< sizeof(ix_plugin) as the plugin compiled it */
  uint16_t abi_major;   /**< == offer->abi_major */
  uint16_t abi_minor;   /**< the minor the plugin chose, within the offered range */
  const char *plugin_name;    /**< NUL-terminated UTF-8, e.g. "instrument-x" */
  const char *plugin_version; /**< semantic version, e.g. "0.1.0" */
  /** Instrument definitions the plugin carries, as "id@version" strings (NUL-terminated). */
  const char *const *instruments;
  size_t instrument_count;
  /** Opaque plugin state; pass it to every function below. */
  void *context;

  /** ix.v1.DescribeRequest -> ix.v1.DescribeResponse. */
  ix_call_fn describe;
  /** ix.v1.ValidateRequest -> ix.v1.ValidateResponse. Validation problems are a normal IX_OK
   *  result; only an unreadable request or an unknown instrument version is an error status. */
  ix_call_fn validate;

  /** Releases a buffer this plugin returned. Any thread. Never fails. */
  void (*free_buffer)(void *context, ix_buffer *buffer);

  /**
   * Looks up an optional extension by versioned string id, e.g. "ix.forms/1". Returns a
   * pointer to a struct whose layout the id defines (owned by the plugin, valid until
   * release), or NULL when unsupported. Never fails otherwise. Any thread.
   */
  const void *(*get_extension)(void *context, const char *extension_id);

  /** Ends the session: frees the context. Call once, after every other call has returned. */
  void (*release)(void *context);
} ix_plugin;

/**
 * The entry point, exported as IX_PLUGIN_ENTRY_SYMBOL.
 * offer:        borrowed; see ix_abi_offer.
 * out_plugin:   on IX_OK receives a pointer to the plugin's table (owned by the plugin).
 * error:        host-owned buffer of error_size bytes; on refusal the plugin writes a
 *               NUL-terminated message there naming both versions (truncated if needed).
 * Returns IX_OK, IX_ERR_INCOMPATIBLE_ABI, IX_ERR_NULL_ARGUMENT or IX_ERR_INTERNAL.
 * Threading: may be called more than once, from any thread; each IX_OK result is an
 * independent session that must be released on its own.
 */
typedef ix_status (*ix_plugin_entry_fn)(const ix_abi_offer *offer, const ix_plugin **out_plugin,
                                        char *error, size_t error_size);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IX_PLUGIN_H */
