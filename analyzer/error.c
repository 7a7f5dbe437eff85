#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
pv_error_clear(struct pv_error *e)
{
	if (e == NULL)
		return;
	e->kind = PV_ERR_NONE;
	e->file[0] = '\0';
	e->line = 0;
	e->msg[0] = '\0';
}

int
pv_error_set(struct pv_error *e, enum pv_errkind kind, const char *file,
    long line, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->kind = kind;
	snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file : "");
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
pv_error_format(const struct pv_error *e, char *buf, size_t n)
{
	if (e->file[0] != '\0' && e->line > 0)
		snprintf(buf, n, "%s:%ld: %s", e->file, e->line, e->msg);
	else if (e->file[0] != '\0')
		snprintf(buf, n, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, n, "%s", e->msg);
}
