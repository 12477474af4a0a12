#include "bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jbig.h"
#include "report.h"

/* ---- files --------------------------------------------------------------- */

static int mkdir_p(const char *dir) {
    char path[4096];
    snprintf(path, sizeof path, "%s", dir);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(path, 0755) < 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static FILE *open_in(const char *dir, const char *name, char *err, size_t errlen) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return f;
}

static int close_checked(FILE *f, const char *name, char *err, size_t errlen) {
    int bad = ferror(f) | fclose(f);
    if (bad) snprintf(err, errlen, "%s: write failed", name);
    return bad ? -1 : 0;
}

/* Copy src into dir/name; false when src cannot be read. */
static bool copy_file(const char *src, const char *dir, const char *name, char *err,
                      size_t errlen) {
    FILE *in = src ? fopen(src, "r") : NULL;
    if (!in) return false;
    FILE *out = open_in(dir, name, err, errlen);
    char buf[8192];
    size_t n;
    while (out && (n = fread(buf, 1, sizeof buf, in)) > 0) fwrite(buf, 1, n, out);
    fclose(in);
    return out && close_checked(out, name, err, errlen) == 0;
}

/* JSON lines from the record's evidence[key], else the kept run dir's file. */
static bool write_lines(const char *dir, const json_t *record, const char *key,
                        const char *name, char *err, size_t errlen) {
    const json_t *lines = json_object_get(json_object_get(record, "evidence"), key);
    if (!json_is_array(lines)) {
        char src[4200];
        snprintf(src, sizeof src, "%s/%s", bc_report_str(record, "dir", "/nonexistent"), name);
        return copy_file(src, dir, name, err, errlen);
    }
    FILE *f = open_in(dir, name, err, errlen);
    size_t i;
    json_t *e;
    json_array_foreach(lines, i, e) {
        if (!f) break;
        bc_jbig_dumpf(e, f, JSON_COMPACT);
        fputc('\n', f);
    }
    return f && close_checked(f, name, err, errlen) == 0;
}

/* ---- the texts -------------------------------------------------------------- */

static void readme_results(FILE *f, const json_t *record) {
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(record, "results"), i, r) {
        fprintf(f, "- %s %s: %s", bc_report_str(r, "verdict", "?"),
                bc_report_str(r, "contract", "?"), bc_report_str(r, "message", ""));
        if (json_is_number(json_object_get(r, "measured")))
            fprintf(f, " (measured %.4g)", json_number_value(json_object_get(r, "measured")));
        fputc('\n', f);
    }
}

static int write_readme(const char *dir, const json_t *record, const char *command,
                        const char *missing, char *err, size_t errlen) {
    FILE *f = open_in(dir, "README.md", err, errlen);
    if (!f) return -1;
    fprintf(f, "# %s\n\n%s\n\n## Verdicts\n\n", bc_report_str(record, "id", "?"),
            bc_report_str(record, "title", ""));
    readme_results(f, record);
    fprintf(f, "\n## Replay this case alone\n\n    %s\n\n(also `./replay.sh`, from anywhere)\n\n"
            "## Files\n\n- scenario.json: the case (docs/scenario.md)\n"
            "- journal.jsonl: what the fake server saw and sent (docs/journal.md)\n"
            "- events.jsonl: what the adapter reported, stamped on the same time axis "
            "(docs/adapter.md)\n- adapter.stderr: the adapter's standard error\n"
            "- record.json: the scenario's record in the results document\n", command);
    if (*missing) fprintf(f, "\nNot available for this run:%s.\n", missing);
    return close_checked(f, "README.md", err, errlen);
}

static int write_replay(const char *dir, const char *command, char *err, size_t errlen) {
    FILE *f = open_in(dir, "replay.sh", err, errlen);
    if (!f) return -1;
    fprintf(f, "#!/bin/sh\n# Replays this one scenario against the same client.\nexec %s\n",
            command);
    if (close_checked(f, "replay.sh", err, errlen) < 0) return -1;
    char path[4200];
    snprintf(path, sizeof path, "%s/replay.sh", dir);
    return chmod(path, 0755);
}

static int write_json(const char *dir, const char *name, const json_t *v, char *err,
                      size_t errlen) {
    FILE *f = open_in(dir, name, err, errlen);
    if (!f) return -1;
    bc_jbig_dumpf(v, f, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    fputc('\n', f);
    return close_checked(f, name, err, errlen);
}

static bool write_stderr(const char *dir, const json_t *record, char *err, size_t errlen) {
    char src[4200];
    snprintf(src, sizeof src, "%s/adapter.stderr", bc_report_str(record, "dir", "/nonexistent"));
    if (copy_file(src, dir, "adapter.stderr", err, errlen)) return true;
    FILE *f = open_in(dir, "adapter.stderr", err, errlen);
    if (f) fputs(bc_report_str(record, "stderr", ""), f);
    return f && close_checked(f, "adapter.stderr", err, errlen) == 0;
}

int bc_bundle_write(const char *dir, const json_t *record, const char *scenario_path,
                    const char *replay_command, char *err, size_t errlen) {
    if (mkdir_p(dir) < 0) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    char missing[200] = "";
    if (!copy_file(scenario_path, dir, "scenario.json", err, errlen))
        strcat(missing, " scenario.json");
    if (!write_lines(dir, record, "journal", "journal.jsonl", err, errlen))
        strcat(missing, " journal.jsonl");
    if (!write_lines(dir, record, "events", "events.jsonl", err, errlen))
        strcat(missing, " events.jsonl");
    err[0] = 0;
    if (!write_stderr(dir, record, err, errlen) ||
        write_json(dir, "record.json", record, err, errlen) < 0 ||
        write_replay(dir, replay_command, err, errlen) < 0 ||
        write_readme(dir, record, replay_command, missing, err, errlen) < 0) {
        if (!err[0]) snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

json_t *bc_bundle_record(const json_t *doc, const char *id, const char *client) {
    const json_t *sc = bc_report_scenario(doc, id, client);
    if (!sc) return NULL;
    json_t *rec = json_deep_copy(sc), *results = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r)
        if (!strcmp(bc_report_str(r, "scenario", ""), id) &&
            (!client || !strcmp(bc_report_client(doc, r), client)))
            json_array_append(results, r);
    json_object_set_new(rec, "results", results);
    return rec;
}

/* ---- the command ------------------------------------------------------------ */

/* s in single quotes, each ' as '\'' (new string). */
static char *quote(const char *s) {
    size_t n = 3;
    for (const char *p = s; *p; p++) n += *p == '\'' ? 4 : 1;
    char *out = malloc(n), *o = out;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = 0;
    return out;
}

char *bc_bundle_command(const char *boxconform, const char *client_opt, const char *client,
                        const char *scenario_dir, const char *id, double scale) {
    char *q[5] = { quote(boxconform), quote(client_opt), quote(client), quote(scenario_dir),
                   quote(id) };
    char *cmd = NULL;
    if (asprintf(&cmd, "%s run %s %s --scenarios %s --filter %s --time-scale %g -j 1", q[0],
                 q[1], q[2], q[3], q[4], scale) < 0)
        cmd = NULL;
    for (int i = 0; i < 5; i++) free(q[i]);
    return cmd;
}
