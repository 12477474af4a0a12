/* boxes.h - the /boxes/{box} resource: which boxes exist and what a box
 * looks like (BoxLite's BoxResponse). Today one box, server.box_id. */
#ifndef FS_BOXES_H
#define FS_BOXES_H

#include "session.h"

int fs_boxes_exists(const char *id);    /* a box of this id exists */
void fs_boxes_get(fs_session *s);       /* GET / HEAD /boxes/{box} */

#endif
