/* bundle.h - a failure as a directory someone can replay alone.
 *
 * DIR/ holds: scenario.json (the case), journal.jsonl (the fake server's
 * journal), events.jsonl (the adapter's stamped events), adapter.stderr,
 * record.json (the scenario's record and verdicts), replay.sh (the exact
 * command, executable) and README.md (what failed, how to replay). The
 * journal and events come from the record's evidence (report.h), else from
 * the run's kept temp dir (record "dir", boxconform --keep); missing ones
 * are named in README.md rather than faked. */
#ifndef BC_BUNDLE_H
#define BC_BUNDLE_H

#include <stddef.h>

#include <jansson.h>

/* Write the bundle into dir (created, parents included). record is a
 * scenario record as the runner makes it (its "results" inline) or as a
 * results document holds it (see bc_bundle_record). -1 with err. */
int bc_bundle_write(const char *dir, const json_t *record, const char *scenario_path,
                    const char *replay_command, char *err, size_t errlen);
/* The record of scenario id in doc with its results inline (new), or NULL. */
json_t *bc_bundle_record(const json_t *doc, const char *id, const char *client);
/* The command that replays one scenario, every argument shell-quoted (new
 * string): BOXCONFORM run CLIENT_OPT CLIENT --scenarios DIR --filter ID
 * --time-scale K -j 1; client_opt is "--client" or "--client-cmd". */
char *bc_bundle_command(const char *boxconform, const char *client_opt, const char *client,
                        const char *scenario_dir, const char *id, double scale);

#endif
