/* main.c - fakeserver command line (work in progress). */
#include <stdio.h>

int main(void) {
    fprintf(stderr, "fakeserver: not built yet\n");
    return 1;
}
