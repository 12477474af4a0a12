/* launch.h - whether a command can start, and if not why, in words that
 * name the command.
 *
 * execve(2) answers ENOENT both for a program that does not exist and for
 * one whose #! line names an interpreter that does not, and /usr/bin/env
 * (the usual #! of a script) starts fine, then exits 127 when the program
 * it is asked to run is not in PATH. So the harness walks the chain the way
 * the kernel and env would: the program as execvp(3) finds it, each #!
 * interpreter (Linux follows up to 4), the program env runs. boxconform
 * does this before a run (one clear error instead of a suite of failures)
 * and again to explain an exec failure or an adapter that exits 126/127
 * having printed nothing. */
#ifndef BC_LAUNCH_H
#define BC_LAUNCH_H

#include <stddef.h>

/* 0 when argv (execvp-style, argv[0] looked up in PATH) looks startable;
 * -1 with why "NAME: ..." otherwise. */
int bc_launch_check(char *const argv[], char *why, size_t whylen);
/* Why argv did not start, execve having failed with err: bc_launch_check's
 * account when it finds one, else "ARGV0: strerror(err)". */
void bc_launch_explain(char *const argv[], int err, char *why, size_t whylen);

#endif
