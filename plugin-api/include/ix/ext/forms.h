/*
 * Extension "ix.forms/1": everything about filling in the form — answering part by part with
 * an append-only change trail, part status, migration between definition versions, the
 * printable form, and licensee definitions.
 *
 * C11. Look it up with get_extension(context, IX_FORMS_EXTENSION_ID); NULL means the plugin
 * does not offer it. The returned table is owned by the plugin and valid until release().
 *
 * Every function is an ix_call_fn (ix/plugin.h): the request is a serialized ix.v1 message
 * (proto/ix/v1/forms.proto), borrowed for the call; on IX_OK *out holds the serialized
 * response, on any other status a UTF-8 message naming the offending field. Release *out
 * with the plugin's free_buffer.
 *
 * Threading: every function is safe to call concurrently from any threads on the same
 * context; the plugin keeps no state between calls (responses travel in the requests).
 *
 * Time: operations that record changes take Recorder.at (RFC 3339 UTC); when empty the
 * plugin uses its clock. Dates such as "not in the future" use as_of_date, or today (UTC).
 *
 * Definitions: by default the embedded ones, found by the response's exact pin. A request may
 * carry a licensee definition (DefinitionSource); it is checked first and must match the pin.
 *
 * Errors common to all functions:
 *   IX_ERR_MALFORMED_REQUEST  the bytes are not the request message;
 *   IX_ERR_INVALID_ARGUMENT   a field is invalid — the message names it (e.g.
 *                             "edits[0].text: Answer yes or no.");
 *   IX_ERR_NOT_FOUND          the pinned definition version is not known (message lists the
 *                             known versions);
 *   IX_ERR_INTERNAL           an internal failure; the call had no effect.
 * Personal data never appears in the plugin's log.
 */
#ifndef IX_EXT_FORMS_H
#define IX_EXT_FORMS_H

#include <ix/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IX_FORMS_EXTENSION_ID "ix.forms/1"

typedef struct ix_forms_v1 {
  /** sizeof(ix_forms_v1) as the plugin compiled it; later versions only append members. */
  uint32_t struct_size;

  /** ix.v1.ApplyAnswersRequest -> ix.v1.ApplyAnswersResponse.
   *  Sets or clears answers (all edits or none), appends one change-trail entry per changed
   *  answer and per calculated value that follows, moves untouched parts to in progress.
   *  Edits to a completed part need amend=true and a reason, and must leave it error-free.
   *  A refused edit is IX_ERR_INVALID_ARGUMENT naming "edits[i].<field>". */
  ix_call_fn apply_answers;

  /** ix.v1.SetPartStatusRequest -> ix.v1.SetPartStatusResponse.
   *  Marks a part completed (accepted=false with the blocking errors when it has any — a
   *  normal IX_OK result) or reopens a completed part (reason required). */
  ix_call_fn set_part_status;

  /** ix.v1.MigrateRequest -> ix.v1.MigrateResponse.
   *  Maps a response to another version of its instrument by the explicit migration that
   *  version holds, with a report entry for every old answer. IX_ERR_NOT_FOUND when the
   *  target version or a migration to it does not exist. */
  ix_call_fn migrate;

  /** ix.v1.RenderFormRequest -> ix.v1.RenderFormResponse: the printable form as one
   *  self-contained accessible HTML document, in "sv" or "en". */
  ix_call_fn render_form;

  /** ix.v1.DescribeDefinitionRequest -> ix.v1.DescribeDefinitionResponse: one embedded
   *  definition, in full. */
  ix_call_fn describe_definition;

  /** ix.v1.LoadDefinitionRequest -> ix.v1.LoadDefinitionResponse: checks a licensee
   *  definition (serialized ix.v1.Definition); usable=false lists every problem. */
  ix_call_fn load_definition;

  /** ix.v1.ValidateWithDefinitionRequest -> ix.v1.ValidateResponse (plugin.proto): like the
   *  core table's validate, with an optional licensee definition. */
  ix_call_fn validate;
} ix_forms_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IX_EXT_FORMS_H */
