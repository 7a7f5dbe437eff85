/*
 * error.h - the error report every core function fills instead of printing.
 *
 * The core never writes to stdout/stderr: a failing function returns -1
 * and leaves here where (file, line) and what went wrong; the CLI prints
 * "pilvi-analyzer: FILE:LINE: MESSAGE".
 */
#ifndef PILVI_ERROR_H
#define PILVI_ERROR_H

#include <stddef.h>

enum pv_errkind {
	PV_ERR_NONE = 0,
	PV_ERR_INPUT,	/* the input file is bad: reject it, go on with others */
	PV_ERR_FATAL	/* I/O, database or resource failure: stop the run */
};

struct pv_error {
	enum pv_errkind kind;
	char file[512];		/* display name of the input, "" when none */
	long line;		/* 1-based line where the record started; 0: none */
	char msg[1024];
};

void pv_error_clear(struct pv_error *e);

/* Fill e (when e is not NULL); always returns -1 so callers can
 * "return pv_error_set(...)". file may be NULL. */
int pv_error_set(struct pv_error *e, enum pv_errkind kind, const char *file,
    long line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Format e as "FILE:LINE: MESSAGE" (parts left out when absent) into buf. */
void pv_error_format(const struct pv_error *e, char *buf, size_t n);

/*
 * Input text is UTF-8 (csvread checks it), and so must be whatever
 * quotes or keeps part of it: a character cut in two made the JSON
 * report invalid. pv_utf8_prefix gives the length of the longest prefix
 * of s[0..len) of at most max bytes that ends on a whole character;
 * pv_utf8_trim ends a string that snprintf may have cut short on one.
 */
size_t pv_utf8_prefix(const char *s, size_t len, size_t max);
void pv_utf8_trim(char *s);

#endif
