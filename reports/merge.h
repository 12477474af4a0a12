/* merge.h - several results documents as one.
 *
 * For interop tables (one run per client) and for sharded runs of one
 * client. The merged document is still boxconform-results/1: every result
 * and scenario record is tagged with its client's name ("client"), and
 * "clients" lists each client once (the first document's object for a
 * name). A later document's (client, scenario, contract) replaces an
 * earlier one's, so a re-run shard overrides the shard it repeats. */
#ifndef BC_MERGE_H
#define BC_MERGE_H

#include <stddef.h>

#include <jansson.h>

/* A new document; docs are not modified. */
json_t *bc_merge(json_t *const docs[], size_t n);
/* boxconform merge A.json B.json ... [--out FILE]: load, merge, write to
 * out ("-" or NULL: stdout). -1 with err naming the file at fault. */
int bc_merge_files(const char *const paths[], size_t n, const char *out, char *err,
                   size_t errlen);

#endif
