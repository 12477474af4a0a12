/* strf.c - printf into a fresh heap string (strf.h). */
#include "strf.h"

#include <stdarg.h>
#include <stdio.h>

char *rc_strf(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}
