/* strf.h - printf into a fresh heap string. */
#ifndef RC_STRF_H
#define RC_STRF_H

/* The formatted string, malloc'd (the caller frees it); NULL when out of memory. */
char *rc_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
