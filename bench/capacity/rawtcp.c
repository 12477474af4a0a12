/* rawtcp.c - the kernel's own limits on this machine, for the capacity table:
 * plain TCP over 127.0.0.1, no HTTP, no WebSocket, no event loop.
 *
 *   rawtcp stream BYTES WRITE        one connection; BYTES in WRITE-byte writes
 *   rawtcp connects SECONDS CONC     connect + accept + close cycles, CONC at once
 *
 * One key=value line on stdout, like loadgen. Threads: the receiving (or
 * accepting) side runs beside the sending (or connecting) ones. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define READ_BUF (256 * 1024)

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A listening socket on 127.0.0.1, any port; its address in *a. */
static int listen_any(struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    socklen_t len = sizeof *a;
    memset(a, 0, sizeof *a);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof *a) || listen(fd, 4096) ||
        getsockname(fd, (struct sockaddr *)a, &len)) {
        perror("rawtcp: listen");
        exit(1);
    }
    return fd;
}

static int connect_to(const struct sockaddr_in *a) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *)a, sizeof *a)) {
        if (fd >= 0) close(fd);
        return -1;
    }
    return fd;
}

/* ---- stream: bytes per second ---------------------------------------------- */

typedef struct stream_job {
    int fd;
    unsigned long long bytes;
    size_t write_size;
} stream_job;

static void *stream_send(void *arg) {
    stream_job *j = arg;
    char *buf = calloc(1, j->write_size);
    /* Small writes leave at once, as a WebSocket server's frames would. */
    int one = 1;
    setsockopt(j->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (unsigned long long left = j->bytes; left > 0;) {
        size_t n = left < j->write_size ? (size_t)left : j->write_size;
        ssize_t w = write(j->fd, buf, n);
        if (w < 0 && errno != EINTR) break;
        if (w > 0) left -= (unsigned long long)w;
    }
    shutdown(j->fd, SHUT_WR);
    free(buf);
    return NULL;
}

static int run_stream(unsigned long long bytes, size_t write_size) {
    struct sockaddr_in a;
    int lfd = listen_any(&a);
    stream_job j = {connect_to(&a), bytes, write_size};
    int rfd = accept(lfd, NULL, NULL);
    if (j.fd < 0 || rfd < 0) return 1;
    char *buf = malloc(READ_BUF);
    pthread_t th;
    double t0 = now();
    pthread_create(&th, NULL, stream_send, &j);
    unsigned long long got = 0;
    for (ssize_t r; (r = read(rfd, buf, READ_BUF)) != 0;)
        if (r > 0) got += (unsigned long long)r;
        else if (errno != EINTR) break;
    double secs = now() - t0;
    pthread_join(th, NULL);
    printf("mode=stream bytes=%llu write=%zu seconds=%.4f mbps=%.1f writes_per_s=%.0f errors=%d\n",
           got, write_size, secs, (double)got / secs / 1e6,
           (double)got / (double)write_size / secs, got != bytes);
    free(buf);
    close(rfd);
    close(j.fd);
    close(lfd);
    return got == bytes ? 0 : 1;
}

/* ---- connects: cycles per second --------------------------------------------- */

static struct sockaddr_in conn_addr;
static double conn_deadline;
static atomic_ullong conn_cycles, conn_errors;
static atomic_int conn_stop;

/* Accepts and closes at once: the server ends first, as a WebSocket server
 * does after its close frame, so TIME_WAIT stays on the server's side. */
static void *acceptor(void *arg) {
    int lfd = *(int *)arg;
    while (!atomic_load(&conn_stop)) {
        int fd = accept(lfd, NULL, NULL);
        if (fd >= 0) close(fd);
    }
    return NULL;
}

static void *connector(void *arg) {
    (void)arg;
    char b;
    while (now() < conn_deadline) {
        int fd = connect_to(&conn_addr);
        if (fd < 0) {
            atomic_fetch_add(&conn_errors, 1);
            continue;
        }
        ssize_t r = read(fd, &b, 1); /* 0: the server's FIN */
        close(fd);
        if (r == 0 && now() <= conn_deadline) atomic_fetch_add(&conn_cycles, 1);
    }
    return NULL;
}

static int run_connects(double seconds, int conc) {
    int lfd = listen_any(&conn_addr);
    pthread_t acc, *th = calloc((size_t)conc, sizeof *th);
    conn_deadline = now() + seconds;
    pthread_create(&acc, NULL, acceptor, &lfd);
    for (int i = 0; i < conc; i++) pthread_create(&th[i], NULL, connector, NULL);
    for (int i = 0; i < conc; i++) pthread_join(th[i], NULL);
    atomic_store(&conn_stop, 1);
    int wake = connect_to(&conn_addr); /* unblocks accept() */
    pthread_join(acc, NULL);
    if (wake >= 0) close(wake);
    unsigned long long cycles = atomic_load(&conn_cycles), errors = atomic_load(&conn_errors);
    printf("mode=connects seconds=%.1f concurrency=%d cycles=%llu per_s=%.0f errors=%llu\n", seconds,
           conc, cycles, (double)cycles / seconds, errors);
    free(th);
    close(lfd);
    return errors ? 1 : 0;
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "stream"))
        return run_stream(strtoull(argv[2], NULL, 10), (size_t)strtoull(argv[3], NULL, 10));
    if (argc == 4 && !strcmp(argv[1], "connects"))
        return run_connects(atof(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: rawtcp stream BYTES WRITE | rawtcp connects SECONDS CONCURRENCY\n");
    return 2;
}
