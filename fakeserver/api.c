/* api.c - the routing table. */
#include "api.h"

#include "boxes.h"
#include "config.h"
#include "executions.h"
#include "loop.h"
#include "request.h"

#define EXECUTION "/boxes/{box}/executions/{exec}"

/* The scenario's per-call list of a row is server.<endpoint name>: box,
 * exec, probe, kill, signal, resize, config; attach attempts are
 * server.attach. Several rows may share an endpoint (and its counter). */
static const fs_route api_routes[] = {
    /* method, pattern, endpoint, flags, scripted_status, answer, on_scripted, upgrade */
    {"GET", "/config", BC_EP_CONFIG, FS_ROUTE_ROOT, 200, fs_config_get, NULL, NULL},
    {"GET", "/boxes/{box}", BC_EP_BOX, 0, 200, fs_boxes_get, NULL, NULL},
    {"HEAD", "/boxes/{box}", BC_EP_BOX, 0, 200, fs_boxes_get, NULL, NULL},
    {"POST", "/boxes/{box}/exec", BC_EP_EXEC, 0, 201, fs_executions_create, fs_executions_adopt, NULL},
    {"GET", EXECUTION, BC_EP_PROBE, FS_ROUTE_PER_EXEC, 200, fs_executions_probe, NULL, NULL},
    {"DELETE", EXECUTION, BC_EP_KILL, 0, 204, fs_executions_control, NULL, NULL},
    {"POST", EXECUTION "/signal", BC_EP_SIGNAL, 0, 204, fs_executions_control, NULL, NULL},
    {"POST", EXECUTION "/resize", BC_EP_RESIZE, 0, 204, fs_executions_control, NULL, NULL},
    {"GET", EXECUTION "/attach", BC_EP_ATTACH, FS_ROUTE_UPGRADE | FS_ROUTE_PER_EXEC, 409, NULL, NULL,
     fs_executions_attach},
};

void fs_api_route(fs_session *s) {
    fs_request *rq = &s->request;
    const char *prefix = fs_scenario->server.prefix ? fs_scenario->server.prefix : "";
    rq->route = fs_router_match(api_routes, sizeof api_routes / sizeof api_routes[0], prefix,
                                rq->method, fs_request_route_path(rq), &rq->params);
}
