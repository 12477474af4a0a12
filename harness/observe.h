/* observe.h - what the harness itself sees around an adapter, as evidence
 * beside the journal and the events (docs/results.md "evidence"):
 *
 *   sandbox      the host sandbox before the adapter started, and what
 *                changed by the time it ended: in its destination, elsewhere
 *                in host/, or outside/ (tree.h)
 *   memory       the adapter group's memory: the most it held, and when it
 *                passed the limit and was killed
 *   confinement  whether it ran in the root's private mount namespace
 *
 * The runner writes them to the run's observed.json; the checks read it
 * (suites/evidence.h), the record carries it (record.h). */
#ifndef BC_OBSERVE_H
#define BC_OBSERVE_H

#include <stdbool.h>

#include <jansson.h>

#include "child.h"
#include "memwatch.h"
#include "sandbox.h"

/* {"root","dest","before","scan_error"?,"changes"} (tree.h): before (a
 * listing, stolen) against the tree as it is now. */
json_t *bc_observe_sandbox(const bc_sandbox *sb, json_t *before, const char *before_why);
/* {"limit","peak","samples","exceeded","t","rss"}: t and rss the client time
 * and the bytes held when it was killed over the limit (killed_at NAN: never). */
json_t *bc_observe_memory(const bc_memwatch *m, double killed_at, long long at_kill);
/* {"confined", "why"}: asked is whether the run wanted it (root). */
json_t *bc_observe_confinement(bool asked, const bc_child *adapter);

#endif
