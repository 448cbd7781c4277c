/*
 * Extension "ix.categorisation/1": needs categorisation (AM1–3, R1–R3, vidare utredning),
 * assessments and who governs, history, process clocks, plan and follow-up.
 *
 * Look it up with get_extension(context, IX_CATEGORISATION_EXTENSION_ID); NULL means the
 * plugin does not offer it. The returned table is owned by the plugin and valid until
 * release().
 *
 * Every function is an ix_call_fn (see ix/plugin.h): the request is a serialized ix.v1
 * message (proto/ix/v1/categorisation.proto), borrowed for the call; on IX_OK *out holds the
 * serialized response, otherwise a UTF-8 error message naming the offending field. Release
 * *out with the plugin's free_buffer.
 *
 * Threading: every function is safe to call concurrently from any threads on one context.
 * The plugin keeps no state between calls: the caller passes the case data it needs
 * (household, responses, events, plan) in every request, so results depend only on the
 * request and the embedded data (rule sets, profiles, catalogues). Same input, same output.
 *
 * Errors (all functions):
 *   IX_ERR_MALFORMED_REQUEST  the bytes are not the expected request message;
 *   IX_ERR_INVALID_ARGUMENT   a field is missing or wrong (bad date, unknown person_ref,
 *                             rating out of range, unknown intervention kind …); the message
 *                             names the field, e.g. "record.caseworker.assessed_on: …";
 *   IX_ERR_NOT_FOUND          a named profile, rule set or instrument version is not embedded
 *                             (the message lists the known ones);
 *   IX_ERR_NULL_ARGUMENT      out is NULL;
 *   IX_ERR_INTERNAL           a caught internal failure; the call had no effect.
 * Personal data (personnummer, names, answers, reasoning) never reaches the host's log.
 */
#ifndef IX_EXT_CATEGORISATION_H
#define IX_EXT_CATEGORISATION_H

#include <ix/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IX_CATEGORISATION_EXTENSION_ID "ix.categorisation/1"

typedef struct ix_categorisation_v1 {
  uint32_t struct_size; /**< sizeof(ix_categorisation_v1) as the plugin compiled it */

  /** ix.v1.CategorisationDescribeRequest -> CategorisationDescribeResponse: the embedded
   *  rule sets, municipality profiles, försörjningshinder table and intervention catalogue. */
  ix_call_fn describe;

  /** ix.v1.SuggestRequest -> SuggestResponse: per adult, the suggested category with its full
   *  explanation (ratings, S, the rule that fired, the answers that set each R kind, the rule
   *  set's id and version) and the suggested försörjningshinder from part 1. A suggestion is
   *  never effective on its own. Answers the rules cannot read are IX_ERR_INVALID_ARGUMENT
   *  naming the answer ("answers[7] (am.health): rating 4 is outside 1-3"). */
  ix_call_fn suggest;

  /** ix.v1.AssessRequest -> AssessResponse: applies the profile's governing policy to one
   *  occasion (suggestion, caseworker's assessment, client's self-assessment), flags a
   *  caseworker/client difference, and returns the CategorisationEvent to record. */
  ix_call_fn assess;

  /** ix.v1.HistoryRequest -> HistoryResponse: each adult's categorisations in effective-date
   *  order with the direction of every move, the category on a date, the follow-up
   *  recategorisations. */
  ix_call_fn history;

  /** ix.v1.DueRequest -> DueResponse: the process clocks (decision in Swedish working days,
   *  action plan, AM1 review, DUR/ASI offer) of one case or a caseload, as of a date. */
  ix_call_fn due;

  /** ix.v1.PlanRequest -> PlanResponse: checks a plan against the intervention catalogue and
   *  returns one InterventionEvent per intervention. */
  ix_call_fn plan;

  /** ix.v1.FollowUpRequest -> FollowUpResponse: applies a follow-up (progress per goal, an
   *  outcome, ended interventions) and turns its new assessment into a CategorisationEvent
   *  (occasion "follow_up"). */
  ix_call_fn follow_up;
} ix_categorisation_v1;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* IX_EXT_CATEGORISATION_H */
