/*
 * xalloc.h - checked allocation. Running out of memory is the one
 * condition the core does not report through struct pv_error: these
 * print one line and abort, so no caller has to test for NULL.
 */
#ifndef PILVI_XALLOC_H
#define PILVI_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array: returns p resized to hold at least need elements of
 * size bytes, updating *cap (doubling). */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
