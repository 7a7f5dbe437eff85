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
	if (snprintf(e->file, sizeof(e->file), "%s", file != NULL ? file :
	    "") >= (int)sizeof(e->file))
		pv_utf8_trim(e->file);
	e->line = line;
	va_start(ap, fmt);
	if (vsnprintf(e->msg, sizeof(e->msg), fmt, ap) >= (int)sizeof(e->msg))
		pv_utf8_trim(e->msg);
	va_end(ap);
	return -1;
}

size_t
pv_utf8_prefix(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	/* s[max] is the first byte left out: not a continuation byte */
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

void
pv_utf8_trim(char *s)
{
	size_t n = strlen(s), lead = n, need;
	unsigned char c;

	/* s[lead - 1]: the last byte that starts a character */
	while (lead > 0 && n - lead < 4 &&
	    ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	c = (unsigned char)s[lead - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n - (lead - 1) < need)
		s[lead - 1] = '\0';
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
