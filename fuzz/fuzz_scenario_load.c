/* fuzz_scenario_load.c - bc_scenario_load_text on arbitrary bytes.
 *
 * The loader checks info.id against the file name, so the name is taken
 * from the input's own info.id when it has a plain one: valid scenarios get
 * past that check and the fuzzer reaches the server, client and verify
 * parts. A loaded scenario is then asked everything the fake server and
 * the harness ask it. A refusal must always come with a message. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

static void name_from_id(const uint8_t *data, size_t size, char *path, size_t cap) {
    snprintf(path, cap, "fuzz.json");
    json_t *root = json_loadb((const char *)data, size, 0, NULL);
    const char *id = json_string_value(json_object_get(json_object_get(root, "info"), "id"));
    if (id && *id && !strchr(id, '/') && strlen(id) < cap - 16)
        snprintf(path, cap, "corpus/%s.json", id);
    json_decref(root);
}

static void ask_everything(const bc_scenario *s) {
    for (int k = 1; k <= 6; k++) {
        const bc_attempt *a = bc_scenario_attempt(s, k);
        const bc_script *sc = bc_scenario_script(s, a);
        if (!sc) abort();
        for (size_t i = 0; i < sc->count; i++)
            if (!bc_step_action_name(sc->steps[i].action)) abort();
        (void)bc_scenario_replays(s, a);
        for (int ep = 0; ep < BC_EP_COUNT; ep++) {
            if (!bc_endpoint_name((bc_endpoint)ep)) abort();
            (void)bc_scenario_reply(s, (bc_endpoint)ep, k);
        }
    }
    for (size_t i = 0; i < s->info.contract_count; i++)
        (void)bc_scenario_verify(s, s->info.contracts[i]->id);
    for (size_t i = 1; i < s->client.stdin_count; i++)
        if (s->client.stdin_plan[i].at < s->client.stdin_plan[i - 1].at) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[512], err[1024];
    bc_scenario *s = NULL;
    name_from_id(data, size, path, sizeof path);
    err[0] = 0;
    int rc = bc_scenario_load_text(path, (const char *)data, size, &s, err, sizeof err);
    if (rc < 0) {
        if (s || !err[0]) abort();      /* a refusal says why and returns nothing */
        return 0;
    }
    if (!s) abort();
    ask_everything(s);
    bc_scenario_free(s);
    return 0;
}
