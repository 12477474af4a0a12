/* tree.h - a directory tree as evidence: every entry hashed, and what
 * changed between two looks (the sandbox before and after the adapter).
 *
 * A listing is a JSON object, path (relative to the tree's root, "." for
 * the root itself; a byte of a name that is not UTF-8 as \xNN) -> entry,
 * in path order:
 *
 *   {"type": "file"|"dir"|"symlink"|"fifo"|"chardev"|"blockdev"|"socket",
 *    "mode": permission bits with set-id and sticky bits (0755 is 493),
 *    "size", "uid", "gid", "nlink", "ino",
 *    "sha256": lowercase hex of a regular file's bytes (null when it could not
 *              be read, or is over BC_TREE_HASH_MAX bytes),
 *    "target": a symlink's target, "rdev": [major, minor] of a device}
 *
 * The keys match the journal's tar entries (docs/journal.md), so a check
 * compares what a client extracted with what the server sent key by key.
 * Symlinks are never followed and fifos never opened. */
#ifndef BC_TREE_H
#define BC_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define BC_TREE_MAX_ENTRIES 20000          /* a listing stops there (a hostile client) */
#define BC_TREE_HASH_MAX (256LL << 20)      /* larger files are listed, not hashed */

/* The listing of root (new object). A tree that could not be walked whole
 * (unreadable directory, too many entries) still gives what was seen, with
 * why in *why (static text, NULL when whole). */
json_t *bc_tree_scan(const char *root, const char **why);
/* Hashes nothing, once: OpenSSL loads its configuration and providers on
 * first use (3 ms). Called before workers fork, they inherit them loaded. */
void bc_tree_warm(void);

/* What changed from before to after, each change in the area of the
 * sandbox it happened in (dest: a path of the listings, NULL when the
 * action writes nothing on the host):
 *   {"dest": dest|null,
 *    "changes": {"dest":    {"created": [CHANGE...], "changed": [...], "removed": [...]},
 *                "host":    {...}   elsewhere under host/ (host itself included),
 *                "outside": {...}}} outside/ and anything else beside host/
 * CHANGE = {"path", "before"?, "after"?, "fields"?: the keys that differ}.
 * A directory's size and link count are not compared (they follow from
 * what was made inside it, which is listed itself); times never are (a
 * read sets atime, a temp file beside the destination moves mtime). */
json_t *bc_tree_diff(const json_t *before, const json_t *after, const char *dest);
/* "dest", "host" or "outside": the area path (of a sandbox listing) is in. */
const char *bc_tree_area(const char *path, const char *dest);
/* Whether path is dest or below it. */
bool bc_tree_within(const char *path, const char *dest);

#endif
