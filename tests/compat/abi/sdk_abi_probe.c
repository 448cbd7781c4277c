/* The SDK's binary contract, made visible to abidw.
 *
 * What crosses a binary boundary between separately built parts is the C contract: the
 * structs, enums and function types of ix/plugin.h and the extension headers, shared by a host
 * and a plugin built against different SDK releases. (The C++ wrapper is header-only and the
 * host library is static: both are compiled into one side, so the build covers them.) A header
 * has no symbols, so this small shared library exports one function per public type; abidw
 * then records each type's full layout, and abidiff compares them release to release.
 *
 * The same file is built against the previous release's headers for the baseline
 * (tests/compat/abi/README.md), so it may only name types that exist in every release since.
 */
#include <ix/ext/categorisation.h>
#include <ix/ext/forms.h>
#include <ix/plugin.h>

#define IX_PROBE __attribute__((visibility("default")))

IX_PROBE void ix_sdk_probe_abi_offer(const ix_abi_offer *v) { (void)v; }
IX_PROBE void ix_sdk_probe_host_services(const ix_host_services *v) { (void)v; }
IX_PROBE void ix_sdk_probe_plugin(const ix_plugin *v) { (void)v; }
IX_PROBE void ix_sdk_probe_buffer(const ix_buffer *v) { (void)v; }
IX_PROBE void ix_sdk_probe_status(ix_status v) { (void)v; }
IX_PROBE void ix_sdk_probe_log_level(ix_log_level v) { (void)v; }
IX_PROBE void ix_sdk_probe_log_fn(ix_log_fn v) { (void)v; }
IX_PROBE void ix_sdk_probe_call_fn(ix_call_fn v) { (void)v; }
IX_PROBE void ix_sdk_probe_entry_fn(ix_plugin_entry_fn v) { (void)v; }
IX_PROBE void ix_sdk_probe_forms_v1(const ix_forms_v1 *v) { (void)v; }
IX_PROBE void ix_sdk_probe_categorisation_v1(const ix_categorisation_v1 *v) { (void)v; }
