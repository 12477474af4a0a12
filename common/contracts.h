/* contracts.h - the contract IDs of docs/contract.md, their family and tier.
 *
 * Scenarios, checks and reports name contracts by ID; this table is the one
 * place that knows which IDs exist, and which verify parameters each check
 * takes beyond the common ones (exit_code, error, tol, attempt). */
#ifndef BC_CONTRACTS_H
#define BC_CONTRACTS_H

#include <stddef.h>

typedef enum bc_family {
    BC_FAMILY_WIRE,
    BC_FAMILY_TIMING,
    BC_FAMILY_RECOVERY,
    BC_FAMILY_ATTACH,
    BC_FAMILY_LIFECYCLE,
    BC_FAMILY_ERRORS,
    BC_FAMILY_FILES,
    BC_FAMILY_SNAPSHOTS,
    BC_FAMILY_SECURITY
} bc_family;

typedef enum bc_tier {
    BC_TIER_NORMAL,             /* failure is FAIL */
    BC_TIER_STRICT,             /* failure is NON-STRICT */
    BC_TIER_INFORMATIONAL       /* failure is INFORMATIONAL */
} bc_tier;

typedef struct bc_contract {
    const char *id;             /* "TIME-WATCHDOG" */
    bc_family family;
    bc_tier tier;
    const char *const *params;  /* check-specific verify keys, NULL-terminated */
} bc_contract;

/* The verify keys every check accepts. NULL-terminated. */
extern const char *const bc_contract_common_params[];

size_t bc_contract_count(void);
const bc_contract *bc_contract_at(size_t i);        /* table order, as in docs/contract.md */
const bc_contract *bc_contract_find(const char *id); /* NULL if unknown */
int bc_contract_takes(const bc_contract *c, const char *key); /* common or own */
const char *bc_family_name(bc_family f);             /* "wire", "timing", ... */
const char *bc_tier_name(bc_tier t);                 /* "normal", "strict", ... */

#endif
