/* loadgen.c - drives any server speaking BoxLite's exec-attach protocol.
 *
 *   loadgen URL sessions N [HOLD_S [RAMP [SERVER_PID]]]
 *   loadgen URL throughput BYTES FRAME [CONNS]
 *   loadgen URL setups SECONDS CONCURRENCY
 *
 * URL is the server's base (http://127.0.0.1:PORT); every request carries
 * "Authorization: Bearer boxconform-key". The server's script decides what
 * an attach gets: held idle (sessions), a flood of BYTES in FRAME-byte frames
 * then exit 0 (throughput), exit 0 at once (setups). One key=value line of
 * results goes to stdout; exit 0 when every session behaved, 1 if not, 2 on
 * a usage error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_modes.h"

static void usage(void) {
    fprintf(stderr, "usage: loadgen URL sessions N [HOLD_S [RAMP [SERVER_PID]]]\n"
                    "       loadgen URL throughput BYTES FRAME [CONNS]\n"
                    "       loadgen URL setups SECONDS CONCURRENCY\n");
}

/* A number that fills its argument and lies in [min, max]; -1 if not. */
static int number(const char *arg, double min, double max, double *out) {
    char *end;
    errno = 0;
    *out = strtod(arg, &end);
    if (errno || end == arg || *end || *out < min || *out > max) {
        fprintf(stderr, "loadgen: expected a number from %g to %g, got \"%s\"\n", min, max, arg);
        return -1;
    }
    return 0;
}

/* argv[i] if present, else def; -1 on a bad number. */
static int opt_number(int argc, char **argv, int i, double def, double min, double max,
                      double *out) {
    *out = def;
    return i < argc ? number(argv[i], min, max, out) : 0;
}

static int run_mode(int argc, char **argv) {
    const char *mode = argv[2];
    double a, b, c, d;
    if (!strcmp(mode, "sessions") && argc >= 4 && argc <= 7) {
        if (number(argv[3], 1, 1e6, &a) || opt_number(argc, argv, 4, 2, 0, 3600, &b) ||
            opt_number(argc, argv, 5, 64, 1, 1e6, &c) || opt_number(argc, argv, 6, 0, 0, 4e9, &d))
            return 2;
        return lg_mode_sessions((int)a, (int)c, b, (pid_t)d);
    }
    if (!strcmp(mode, "throughput") && argc >= 5 && argc <= 6) {
        if (number(argv[3], 0, 1e15, &a) || number(argv[4], 1, 1 << 24, &b) ||
            opt_number(argc, argv, 5, 1, 1, 10000, &c))
            return 2;
        return lg_mode_throughput((uint64_t)a, (uint64_t)b, (int)c);
    }
    if (!strcmp(mode, "setups") && argc == 5) {
        if (number(argv[3], 0.1, 3600, &a) || number(argv[4], 1, 10000, &b)) return 2;
        return lg_mode_setups(a, (int)b);
    }
    usage();
    return 2;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        usage();
        return 2;
    }
    if (lg_client_init(argv[1]) < 0) return 2;
    int rc = run_mode(argc, argv);
    lg_client_free();
    return rc;
}
