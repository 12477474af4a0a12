/* diff.h - what changed between two results documents.
 *
 * For CI against a stored run: regressions (a result whose verdict is any
 * but PASS that the old run did not have for it: PASS -> UNSUPPORTED or
 * NON-STRICT as much as PASS -> FAIL, and a new result that does not pass),
 * newly passing, measured figures that moved more than a tolerance, results
 * added (passing) and removed. Regressions make it "regressed", and so does
 * a new run that judged nothing (every result UNSUPPORTED or ERROR, or none):
 * a figure that drifts inside its window is worth seeing, not worth a red
 * build. Results are matched by (client tag, scenario, contract); the client
 * tag is the one bc_merge sets, so two single-client runs match whatever
 * their names. */
#ifndef BC_DIFF_H
#define BC_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/* {"regressed":bool,"tolerance":x,"judged":N (results of new_doc judged),
 *  "regressions":[E],"newly_passing":[E],"drift":[E],"added":[E],"removed":[E]},
 *  each E {"client"?,"scenario","contract","old","new" (verdicts, null when
 *  absent),"old_measured","new_measured","message"}. */
json_t *bc_diff(const json_t *old, const json_t *new_doc, double tolerance);
bool bc_diff_regressed(const json_t *report);
/* People's rendering, one line per entry, a verdict line last. */
void bc_diff_text(FILE *f, const json_t *report);
/* boxconform diff OLD.json NEW.json: the text on out, and the exit status:
 * 0 no regression, 1 regressed, 2 a file is not a results file (err). */
int bc_diff_files(const char *old_path, const char *new_path, double tolerance, FILE *out,
                  char *err, size_t errlen);

#endif
