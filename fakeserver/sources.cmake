# The fake server's sources but main.c and the frame observer (a library of
# its own): one list for the binary and for fuzz/'s in-process server, so a
# new file reaches both.
set(FS_SERVER_SOURCES server.c tap.c conntab.c rest.c http_head.c script.c flood.c pinger.c
    exec_state.c journal.c)
