#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jbig.h"
#include "report.h"
#include "results.h"

/* Append rec (tagged with client) to list, replacing the entry with the
 * same key; index maps keys to positions in list. */
static void put(json_t *list, json_t *index, const char *key, const json_t *rec,
                const char *client) {
    json_t *copy = json_deep_copy(rec);
    json_object_set_new(copy, "client", json_string(client));
    json_t *at = json_object_get(index, key);
    if (at) {
        json_array_set_new(list, (size_t)json_integer_value(at), copy);
        return;
    }
    json_object_set_new(index, key, json_integer((json_int_t)json_array_size(list)));
    json_array_append_new(list, copy);
}

static char *key_of(const char *client, const char *a, const char *b) {
    char *key = NULL;
    if (asprintf(&key, "%s\x1f%s\x1f%s", client, a, b) < 0) return NULL;
    return key;
}

static void merge_one(json_t *out, json_t *index, const json_t *doc) {
    json_t *results = json_object_get(out, "results"), *scenarios = json_object_get(out, "scenarios");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(doc, "results"), i, r) {
        const char *client = bc_report_client(doc, r);
        char *key = key_of(client, bc_report_str(r, "scenario", ""), bc_report_str(r, "contract", ""));
        if (key) put(results, json_object_get(index, "r"), key, r, client);
        free(key);
    }
    json_array_foreach(json_object_get(doc, "scenarios"), i, r) {
        const char *client = bc_report_client(doc, r);
        char *key = key_of(client, bc_report_str(r, "id", ""), "");
        if (key) put(scenarios, json_object_get(index, "s"), key, r, client);
        free(key);
    }
}

/* The document's clients: its "clients" if merged before, else its client. */
static void add_clients(json_t *clients, json_t *seen, const json_t *doc) {
    json_t *own = json_object_get(doc, "clients");
    size_t i;
    json_t *c;
    if (!json_is_array(own) || !json_array_size(own)) {
        json_t *one = json_deep_copy(json_object_get(doc, "client"));
        if (!json_is_object(one)) one = json_object();
        json_object_set_new(one, "name", json_string(bc_report_client(doc, doc)));
        own = json_pack("[o]", one);
    } else {
        json_incref(own);
    }
    json_array_foreach(own, i, c) {
        const char *name = bc_report_str(c, "name", "client");
        if (json_object_get(seen, name)) continue;
        json_object_set_new(seen, name, json_true());
        json_array_append(clients, c);
    }
    json_decref(own);
}

json_t *bc_merge(json_t *const docs[], size_t n) {
    json_t *clients = json_array(), *seen = json_object();
    json_t *index = json_pack("{s:o,s:o}", "r", json_object(), "s", json_object());
    json_t *out = json_pack("{s:s,s:f,s:n,s:o,s:o,s:o}", "schema", BC_RESULTS_SCHEMA,
                            "time_scale", n ? json_number_value(json_object_get(docs[0], "time_scale")) : 0.0,
                            "client", "clients", clients, "results", json_array(),
                            "scenarios", json_array());
    for (size_t i = 0; i < n; i++) {
        add_clients(clients, seen, docs[i]);
        merge_one(out, index, docs[i]);
    }
    /* one client (shards): its own object, so single-client reports read as before */
    json_object_set_new(out, "client", json_array_size(clients) == 1
                                           ? json_deep_copy(json_array_get(clients, 0))
                                           : json_pack("{s:s}", "name", "merged"));
    json_decref(seen);
    json_decref(index);
    return out;
}

int bc_merge_files(const char *const paths[], size_t n, const char *out, char *err,
                   size_t errlen) {
    json_t **docs = calloc(n ? n : 1, sizeof *docs);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = bc_results_load(paths[i], &docs[i], err, errlen);
    if (rc == 0) {
        json_t *merged = bc_merge(docs, n);
        if (!out || !strcmp(out, "-")) {
            rc = bc_jbig_dumpf(merged, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII) ? -1 : 0;
            fputc('\n', stdout);
        } else {
            rc = bc_results_write(out, merged, err, errlen);
        }
        json_decref(merged);
    }
    for (size_t i = 0; i < n; i++) json_decref(docs[i]);
    free(docs);
    return rc;
}
