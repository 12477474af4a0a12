/* bundle: a failing scenario's directory holds the case, its journal, the
 * adapter's events and stderr, and a replay.sh with the exact command. The
 * directory is a private temp dir, removed by the test. */
#define _XOPEN_SOURCE 700
#include "rt.h"

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bundle.h"

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static char *slurp(const char *dir, const char *name) {
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *text = calloc(1, 1 << 16);
    fread(text, 1, (1 << 16) - 1, f);
    fclose(f);
    return text;
}

static void bundle(void **state) {
    (void)state;
    char tmp[] = "/tmp/bc-bundle-XXXXXX", dir[256], scen[1024], err[512];
    assert_non_null(mkdtemp(tmp));
    snprintf(dir, sizeof dir, "%s/out/fallback-after-watchdog", tmp);
    snprintf(scen, sizeof scen, "%s/run-b.json", BC_FIXTURES); /* any file stands for the case */
    json_t *doc = rt_fixture("run-a.json");
    json_t *rec = bc_bundle_record(doc, "fallback-after-watchdog", NULL);
    assert_int_equal(json_array_size(json_object_get(rec, "results")), 3);
    char *cmd = bc_bundle_command("/b/boxconform", "--client-cmd", "my 'sdk' adapter",
                                  "/src/scenarios", "fallback-after-watchdog", 50);
    assert_string_equal(cmd, "'/b/boxconform' run '--client-cmd' 'my '\\''sdk'\\'' adapter' "
                             "--scenarios '/src/scenarios' --filter 'fallback-after-watchdog' "
                             "--time-scale 50 -j 1");
    int rc = bc_bundle_write(dir, rec, scen, cmd, err, sizeof err);
    char *journal = slurp(dir, "journal.jsonl"), *events = slurp(dir, "events.jsonl");
    char *replay = slurp(dir, "replay.sh"), *readme = slurp(dir, "README.md");
    char *copy = slurp(dir, "scenario.json"), *original = slurp(BC_FIXTURES, "run-b.json");
    char path[300];
    snprintf(path, sizeof path, "%s/replay.sh", dir);
    bool executable = access(path, X_OK) == 0;
    nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS);
    assert_int_equal(rc, 0);
    assert_true(executable);
    assert_non_null(strstr(journal, "{\"t\":"));
    assert_non_null(strstr(journal, "\"ev\":\"frame_out\""));
    assert_non_null(strstr(events, "\"event\":\"result\""));
    assert_non_null(strstr(replay, "#!/bin/sh\n"));
    assert_non_null(strstr(replay, cmd));
    assert_non_null(strstr(readme, "- FAIL TIME-WATCHDOG: dropped the connection"));
    assert_non_null(strstr(readme, cmd));
    assert_null(strstr(readme, "Not available"));
    assert_string_equal(copy, original);
    free(journal), free(events), free(replay), free(readme), free(copy), free(original);
    free(cmd);
    json_decref(rec);
    json_decref(doc);
}

static void missing_evidence_named(void **state) {
    (void)state;
    char tmp[] = "/tmp/bc-bundle-XXXXXX", err[512];
    assert_non_null(mkdtemp(tmp));
    json_t *rec = json_pack("{s:s,s:s,s:[]}", "id", "crash-mid-stream", "stderr", "boom\n",
                            "results");
    int rc = bc_bundle_write(tmp, rec, "/nonexistent.json", "boxconform run", err, sizeof err);
    char *readme = slurp(tmp, "README.md"), *stderr_copy = slurp(tmp, "adapter.stderr");
    nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(readme, "Not available for this run: scenario.json journal.jsonl "
                                   "events.jsonl."));
    assert_string_equal(stderr_copy, "boom\n");
    free(readme), free(stderr_copy);
    json_decref(rec);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundle), cmocka_unit_test(missing_evidence_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
