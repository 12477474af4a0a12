/* diff.h - what changed between two results documents.
 *
 * For CI against a stored run: newly failing (FAIL, CRASHED, HUNG, also a
 * result the old run did not have), newly passing, other verdict changes,
 * measured figures that moved more than a tolerance, results added and
 * removed. Only newly failing results make it "regressed": a figure that
 * drifts inside its window is worth seeing, not worth a red build. Results
 * are matched by (client tag, scenario, contract); the client tag is the
 * one bc_merge sets, so two single-client runs match whatever their names. */
#ifndef BC_DIFF_H
#define BC_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/* {"regressed":bool,"tolerance":x,"newly_failing":[E],"newly_passing":[E],"changed":[E],
 *  "drift":[E],"added":[E],"removed":[E]}, each E {"client"?,"scenario","contract",
 *  "old","new" (verdicts, null when absent),"old_measured","new_measured","message"}. */
json_t *bc_diff(const json_t *old, const json_t *new_doc, double tolerance);
bool bc_diff_regressed(const json_t *report);
/* People's rendering, one line per entry, a verdict line last. */
void bc_diff_text(FILE *f, const json_t *report);
/* boxconform diff OLD.json NEW.json: the text on out, and the exit status:
 * 0 nothing newly failing, 1 regressed, 2 a file is not a results file (err). */
int bc_diff_files(const char *old_path, const char *new_path, double tolerance, FILE *out,
                  char *err, size_t errlen);

#endif
