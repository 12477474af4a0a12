/* boxes.h - the /boxes/{box} resource: which boxes exist (box_state.h), the
 * BoxResponse they answer with, their lifecycle (start, stop), metrics,
 * clone and export. */
#ifndef FS_BOXES_H
#define FS_BOXES_H

#include "box_state.h"
#include "session.h"

int fs_boxes_exists(const char *id);    /* a box of this id exists */
/* The {box} of the request's path (the router answered 404 for an unknown one). */
fs_box *fs_boxes_of_request(const fs_session *s);
void fs_boxes_get(fs_session *s);       /* GET / HEAD /boxes/{box} */
void fs_boxes_start(fs_session *s);     /* POST .../start: running, 200 BoxResponse */
void fs_boxes_stop(fs_session *s);      /* POST .../stop: stopped, 200 BoxResponse */
void fs_boxes_metrics(fs_session *s);   /* GET .../metrics: 200 BoxMetricsResponse */
void fs_boxes_clone(fs_session *s);     /* POST .../clone: 201 BoxResponse of a new box */
void fs_boxes_adopt(fs_session *s);     /* a scripted clone success names a box: it exists */
void fs_boxes_export(fs_session *s);    /* POST .../export: 200 archive bytes */

#endif
