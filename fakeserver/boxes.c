/* boxes.c - GET / HEAD /boxes/{box}, start, stop, metrics, clone, export. */
#include "boxes.h"

#include <string.h>

#include "box_state.h"
#include "loop.h"
#include "reply.h"
#include "request.h"

#define EXPORT_BYTES 4096       /* the default archive: patterned bytes */

int fs_boxes_exists(const char *id) { return fs_box_find(id) != NULL; }

fs_box *fs_boxes_of_request(const fs_session *s) { return fs_box_find(fs_request_param(s, "box")); }

void fs_boxes_get(fs_session *s) {
    fs_reply_json(s, 200, json_deep_copy(fs_boxes_of_request(s)->info));
}

/* boxlite serve answers start and stop with the box's info afterwards. */
static void change_state(fs_session *s, const char *status, const char *cause) {
    fs_box *b = fs_boxes_of_request(s);
    fs_box_change(b, status, cause);
    fs_reply_json(s, 200, json_deep_copy(b->info));
}

void fs_boxes_start(fs_session *s) { change_state(s, "running", "start"); }

void fs_boxes_stop(fs_session *s) { change_state(s, "stopped", "stop"); }

/* Every field of BoxLite's BoxMetricsResponse, each a different value so a
 * client that mixes two up is seen; server.metrics_info replaces it all. */
static json_t *default_metrics(void) {
    return json_pack("{s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:I,s:{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}}",
                     "commands_executed_total", (json_int_t)3, "exec_errors_total", (json_int_t)1,
                     "bytes_sent_total", (json_int_t)2048, "bytes_received_total", (json_int_t)512,
                     "cpu_percent", 12.5, "memory_bytes", (json_int_t)134217728,
                     "network_bytes_sent", (json_int_t)4096, "network_bytes_received",
                     (json_int_t)8192, "network_tcp_connections", (json_int_t)2,
                     "network_tcp_errors", (json_int_t)5, "boot_timing", "total_create_ms",
                     (json_int_t)1500, "guest_boot_ms", (json_int_t)900, "filesystem_setup_ms",
                     (json_int_t)120, "image_prepare_ms", (json_int_t)300, "guest_rootfs_ms",
                     (json_int_t)80, "box_config_ms", (json_int_t)40, "box_spawn_ms",
                     (json_int_t)30, "container_init_ms", (json_int_t)31);
}

void fs_boxes_metrics(fs_session *s) {
    const json_t *given = fs_scenario->server.metrics_info;
    fs_reply_json(s, 200, given ? json_deep_copy(given) : default_metrics());
}

/* The body is optional ({"name"} or nothing), as the runner takes it. */
void fs_boxes_clone(fs_session *s) {
    const fs_request *rq = &s->request;
    json_t *body = rq->body ? json_loadb(rq->body, rq->body_len, 0, NULL) : NULL;
    const char *name = json_string_value(json_object_get(body, "name"));
    fs_box *b = fs_box_clone(fs_boxes_of_request(s), name);
    json_decref(body);
    fs_reply_json(s, 201, json_deep_copy(b->info));
}

void fs_boxes_adopt(fs_session *s) {
    const fs_reply *rp = &s->reply;
    if (rp->status < 200 || rp->status >= 300 || !rp->body) return;
    json_t *b = json_loadb(rp->body, rp->len, 0, NULL);
    const char *id = json_string_value(json_object_get(b, "box_id"));
    if (id && *id && strlen(id) < FS_PARAM_MAX) fs_box_adopt(id, b);
    json_decref(b);
}

void fs_boxes_export(fs_session *s) {
    fs_reply_pattern(s, 200, "application/octet-stream", EXPORT_BYTES);
}
