/*
 * filetype.c - naming what is not billing data (see filetype.h).
 */
#include "filetype.h"

#include <string.h>
#include <strings.h>

#define SEND_INSTEAD "send the CSV or Parquet files AWS delivers (a Cost " \
	"and Usage Report, a Data Export, a Detailed Billing Report or the " \
	"monthly billing CSV)"

static const struct magic {
	const char *bytes;
	size_t n;
	const char *what;
} magics[] = {
	{ "%PDF-", 5, "a PDF document (an invoice?), not billing data: "
	    SEND_INSTEAD },
	{ "\x89PNG", 4, "a PNG image (a screenshot?), not billing data: "
	    SEND_INSTEAD },
	{ "\xff\xd8\xff", 3, "a JPEG image, not billing data: " SEND_INSTEAD },
	{ "GIF8", 4, "a GIF image, not billing data: " SEND_INSTEAD },
	{ "\xd0\xcf\x11\xe0", 4, "an old Excel or Office document (.xls): "
	    "save it as CSV, or " SEND_INSTEAD },
};

const char *
filetype_of_head(const void *head, size_t n)
{
	const unsigned char *b = head;
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (n >= magics[i].n && memcmp(b, magics[i].bytes,
		    magics[i].n) == 0)
			return magics[i].what;
	/* text: past a BOM and blanks */
	i = n >= 3 && memcmp(b, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' ||
	    b[i] == '\n'))
		i++;
	if (i < n && (b[i] == '{' || b[i] == '['))
		return "a JSON file (a report's manifest?), not billing data: "
		    "send the data files it lists, or the whole delivery "
		    "folder";
	if (i < n && b[i] == '<' && ((n - i >= 9 &&
	    strncasecmp((const char *)b + i, "<!doctype", 9) == 0) ||
	    (n - i >= 5 && strncasecmp((const char *)b + i, "<html", 5) == 0)))
		return "an HTML page (a web page saved instead of the file?), "
		    "not billing data: " SEND_INSTEAD;
	return NULL;
}

const char *
filetype_of_member(const char *name)
{
	if (strncmp(name, "xl/", 3) == 0)
		return "an Excel workbook (XLSX), not CSV: save its sheet as "
		    "CSV, or " SEND_INSTEAD;
	if (strcmp(name, "content.xml") == 0)
		return "an OpenDocument spreadsheet (ODS), not CSV: save its "
		    "sheet as CSV, or " SEND_INSTEAD;
	return NULL;
}
