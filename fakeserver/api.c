/* api.c - the routing table. */
#include "api.h"

#include "boxes.h"
#include "config.h"
#include "executions.h"
#include "files.h"
#include "loop.h"
#include "request.h"
#include "snapshots.h"

#define EXECUTION "/boxes/{box}/executions/{exec}"
#define SNAPSHOT "/boxes/{box}/snapshots/{name}"

/* The scenario's per-call list of a row is server.<endpoint name> (box,
 * start, files_put, ...: bc_endpoint_name); attach attempts are
 * server.attach. Several rows may share an endpoint (and its counter). */
static const fs_route api_routes[] = {
    /* method, pattern, endpoint, flags, scripted_status, answer, on_scripted, upgrade */
    {"GET", "/config", BC_EP_CONFIG, FS_ROUTE_ROOT, 200, fs_config_get, NULL, NULL},
    {"GET", "/boxes/{box}", BC_EP_BOX, 0, 200, fs_boxes_get, NULL, NULL},
    {"HEAD", "/boxes/{box}", BC_EP_BOX, 0, 200, fs_boxes_get, NULL, NULL},
    {"POST", "/boxes/{box}/start", BC_EP_START, 0, 200, fs_boxes_start, NULL, NULL},
    {"POST", "/boxes/{box}/stop", BC_EP_STOP, 0, 200, fs_boxes_stop, NULL, NULL},
    {"GET", "/boxes/{box}/metrics", BC_EP_METRICS, 0, 200, fs_boxes_metrics, NULL, NULL},
    {"POST", "/boxes/{box}/clone", BC_EP_CLONE, 0, 201, fs_boxes_clone, fs_boxes_adopt, NULL},
    {"POST", "/boxes/{box}/export", BC_EP_EXPORT, 0, 200, fs_boxes_export, NULL, NULL},
    {"PUT", "/boxes/{box}/files", BC_EP_FILES_PUT, FS_ROUTE_UPLOAD, 204, fs_files_put, NULL, NULL},
    {"GET", "/boxes/{box}/files", BC_EP_FILES_GET, 0, 200, fs_files_get, NULL, NULL},
    {"POST", "/boxes/{box}/snapshots", BC_EP_SNAPSHOT_CREATE, 0, 201, fs_snapshots_create, NULL, NULL},
    {"GET", "/boxes/{box}/snapshots", BC_EP_SNAPSHOT_LIST, 0, 200, fs_snapshots_list, NULL, NULL},
    {"GET", SNAPSHOT, BC_EP_SNAPSHOT_GET, 0, 200, fs_snapshots_get, NULL, NULL},
    {"DELETE", SNAPSHOT, BC_EP_SNAPSHOT_REMOVE, 0, 204, fs_snapshots_remove, NULL, NULL},
    {"POST", SNAPSHOT "/restore", BC_EP_SNAPSHOT_RESTORE, 0, 204, fs_snapshots_restore, NULL, NULL},
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
