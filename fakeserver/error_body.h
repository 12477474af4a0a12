/* error_body.h - the error bodies of a scripted "body_form", shaped as the
 * BoxLite servers that write them do (docs/fidelity.md):
 *   runner    {"error":"msg"}                          Go runner (gin)
 *   envelope  {"error":{"message","type","code"}}      boxlite serve; the
 *             type and snake_case code of the status, as BoxLite pairs them
 *   flat      {"message","error","statusCode"}         the hosted API (NestJS)
 *   empty     no body                                  proxies, load balancers */
#ifndef FS_ERROR_BODY_H
#define FS_ERROR_BODY_H

#include <jansson.h>

#include "scenario.h"

/* A new JSON body of that form for status (NULL for BC_FORM_EMPTY). */
json_t *fs_errbody_new(bc_body_form form, int status, const char *message);

#endif
