/* server.h - the fake server's lws context and its one protocol callback:
 * start, run until told to stop, stop.
 *
 * Connections reach lws only through the tap (tap.h). The callback hands
 * every HTTP event of a connection's session to rest.c and every WebSocket
 * event to attach.c; sessions are opened and released here. */
#ifndef FS_SERVER_H
#define FS_SERVER_H

#include <signal.h>

#include "scenario.h"

/* Listens on 127.0.0.1:port (0: any free port) for the main origin and on
 * a free port for the other one (fs_ports); 0, or -1 with errno. */
int fs_server_start(const bc_scenario *sc, double scale, int port, int *bound_port);
void fs_server_run(volatile sig_atomic_t *stop); /* services until *stop */
void fs_server_stop(void);                       /* closes everything */

#endif
