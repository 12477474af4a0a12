/* pct.c - percent-decoding (see pct.h). */
#include "pct.h"

static int hex(int c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

size_t bc_pct_decode(const char *src, size_t n, int plus, char *dst) {
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        int hi = src[i] == '%' && i + 1 < n ? hex((unsigned char)src[i + 1]) : -1;
        int lo = hi >= 0 && i + 2 < n ? hex((unsigned char)src[i + 2]) : -1;
        if (lo >= 0) {
            dst[out++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            dst[out++] = plus && src[i] == '+' ? ' ' : src[i];
        }
    }
    dst[out] = '\0';
    return out;
}
