# The fake server's sources but main.c and the frame observer (a library of
# its own): one list for the binary and for fuzz/'s in-process server, so a
# new file reaches both. README.md's table says what each file holds.
# tarball.c is not among them: it is the module fakeserver-tar.so (tarball.h).
set(FS_SERVER_SOURCES
    server.c rest.c api.c boxes.c executions.c files.c snapshots.c config.c attach.c frames.c
    request.c reply.c reply_send.c router.c session.c loop.c rawhead.c tar_load.c
    tap.c tap_fault.c tap_observe.c tap_clock.c bytequeue.c
    conntab.c http_head.c error_body.c flood.c pinger.c box_state.c exec_state.c journal.c)
