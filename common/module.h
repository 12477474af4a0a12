/* module.h - a part of a program kept in a module beside its executable,
 * loaded the first time it is needed.
 *
 * Why: libarchive and what it loads (libxml2, ICU, libstdc++) cost the
 * dynamic loader ~6 ms of CPU at every start of the fake server and of
 * refclient, two starts per scenario, while most scenarios copy no tar at
 * all (BENCHMARKS.md 7b). The tar code therefore lives in a module
 * (fakeserver-tar.so, refclient-tar.so) that the executable opens at its
 * first tar. A program that links the tar code in (unit tests, fuzz
 * targets) hands it over instead, and nothing is loaded. */
#ifndef BC_MODULE_H
#define BC_MODULE_H

/* The symbol of the module file (a name, no '/') in the directory of the
 * running executable (/proc/self/exe); callers keep what it returns. A missing module or
 * symbol is a broken build or installation: the message names the file and
 * dlopen's reason on stderr, and the process exits 70 (EX_SOFTWARE). */
const void *bc_module_symbol(const char *file, const char *symbol);

#endif
