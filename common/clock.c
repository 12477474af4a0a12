#include "clock.h"

#include <time.h>

int64_t bc_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

double bc_client_seconds(int64_t mono_ns, int64_t origin_ns, double scale) {
    return (double)(mono_ns - origin_ns) * scale / 1e9;
}

int64_t bc_real_ns_for(double client_seconds, double scale) {
    return (int64_t)(client_seconds * 1e9 / scale);
}
