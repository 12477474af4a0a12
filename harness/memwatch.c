#include "memwatch.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000LL

long long bc_mem_process(pid_t pid, pid_t *pgrp) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    /* "pid (comm) state ppid pgrp ... rss" : rss is field 24, pgrp field 5,
     * counted after the comm, which may hold spaces and parentheses */
    char *p = strrchr(buf, ')');
    long long field[24] = { 0 };
    for (int i = 3; p && i <= 24; i++) {
        p = strchr(p + 1, ' ');
        if (p) field[i - 1] = strtoll(p + 1, NULL, 10);
    }
    if (!p) return -1;
    *pgrp = (pid_t)field[4];
    return field[23] * sysconf(_SC_PAGESIZE);
}

void bc_mem_init(bc_memwatch *m, pid_t pgid, long long limit) {
    memset(m, 0, sizeof *m);
    m->pgid = pgid;
    m->limit = limit;
}

static void add_member(bc_memwatch *m, pid_t pid) {
    if (m->count == m->cap) m->members = realloc(m->members, (m->cap = 2 * m->cap + 8) * sizeof *m->members);
    m->members[m->count++] = pid;
}

/* pid as a member when it is in the group: its RSS; -1 when it is not. */
static long long take_if_member(bc_memwatch *m, pid_t pid) {
    pid_t pgrp = 0;
    long long rss = bc_mem_process(pid, &pgrp);
    if (rss < 0 || pgrp != m->pgid) return -1;
    add_member(m, pid);
    return rss;
}

static long long add_rss(long long sum, long long rss) { return rss > 0 ? sum + rss : sum; }

/* Every process of the group, from the whole of /proc; their sum. */
static long long scan(bc_memwatch *m) {
    DIR *d = opendir("/proc");
    struct dirent *de;
    long long sum = 0;
    m->count = 0;
    while (d && (de = readdir(d)))
        if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
            sum = add_rss(sum, take_if_member(m, (pid_t)atoi(de->d_name)));
    if (d) closedir(d);
    return sum;
}

/* pid's children, every thread's (the kernel lists a child under the
 * thread that forked it), as members; their subtrees in turn. */
static long long tree_rss(bc_memwatch *m, pid_t pid, int depth) {
    char path[320];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = depth < 64 ? opendir(path) : NULL;
    struct dirent *de;
    long long sum = 0;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] < '1' || de->d_name[0] > '9') continue;
        snprintf(path, sizeof path, "/proc/%d/task/%s/children", (int)pid, de->d_name);
        FILE *f = fopen(path, "r");
        int child;
        while (f && fscanf(f, "%d", &child) == 1) {
            long long rss = take_if_member(m, (pid_t)child);
            if (rss >= 0) sum = add_rss(sum, rss) + tree_rss(m, (pid_t)child, depth + 1);
        }
        if (f) fclose(f);
    }
    if (d) closedir(d);
    return sum;
}

/* The group as its leader's descendants (the adapter leads its group: its
 * pid is the group's id); the whole of /proc once the leader is gone. */
static long long discover(bc_memwatch *m) {
    m->count = 0;
    long long rss = take_if_member(m, m->pgid);
    return rss >= 0 ? add_rss(0, rss) + tree_rss(m, m->pgid, 0) : scan(m);
}

/* The known members, those gone or moved out of the group forgotten (kept
 * in place: the list only shrinks). */
static long long reread(bc_memwatch *m) {
    size_t known = m->count;
    long long sum = 0;
    m->count = 0;
    for (size_t i = 0; i < known; i++) sum = add_rss(sum, take_if_member(m, m->members[i]));
    return sum;
}

bool bc_mem_sample(bc_memwatch *m, int64_t now) {
    if (now >= m->next_sample) {
        if (!m->next_scan) m->next_scan = now + BC_MEM_SCAN_MS * MS; /* the adapter alone so far */
        bool scanning = now >= m->next_scan, discovering = now >= m->next_discover;
        m->last = scanning ? scan(m) : discovering ? discover(m) : reread(m);
        if (scanning) m->next_scan = now + BC_MEM_SCAN_MS * MS;
        if (scanning || discovering) m->next_discover = now + BC_MEM_DISCOVER_MS * MS;
        m->next_sample = now + BC_MEM_SAMPLE_MS * MS;
        m->samples++;
        if (m->last > m->peak) m->peak = m->last;
    }
    return m->limit > 0 && m->last > m->limit;
}

int64_t bc_mem_next(const bc_memwatch *m) {
    return m->next_sample;
}

void bc_mem_free(bc_memwatch *m) {
    free(m->members);
    memset(m, 0, sizeof *m);
}
