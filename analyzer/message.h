/*
 * message.h - billing files that arrive by e-mail: a raw message (.eml,
 * or a Maildir file) is parsed with GMime, and each attachment is saved
 * as a file of its own for the ordinary ingest, with where it came from.
 */
#ifndef PILVI_MESSAGE_H
#define PILVI_MESSAGE_H

#include <stddef.h>

#include "error.h"

struct message_attachment {
	/* as the sender named it, sanitised (no '/', no leading '.');
	 * "attachment-N" when unnamed */
	char *filename;
	char *path;		/* where it was saved (inside the caller's dir) */
	char *content_type;	/* "application/zip", "text/csv", ... */
};

struct message {
	char *from;		/* the From header, decoded (UTF-8); "" if absent */
	char *subject;		/* decoded; "" when absent */
	char *message_id;	/* without the angle brackets; "" if absent */
	/* the Date header as "YYYY-MM-DDTHH:MM:SSZ" (UTC), "" when absent
	 * or unreadable */
	char *date;
	struct message_attachment *attachments;
	size_t nattachments;
};

/*
 * Does the file at path look like an e-mail message (header lines such
 * as From:, Received:, Message-ID:, MIME-Version: or Subject: before the
 * first empty line, within the first 64 KiB)? Used to tell a message
 * from a billing file by content, not by name. Returns 1, 0, or -1 on
 * I/O error (err filled).
 */
int message_sniff(const char *path, struct pv_error *err);

/*
 * Parse the message at path and save every attachment (every leaf MIME
 * part with a filename, or a Content-Disposition: attachment, or a
 * non-text content type; not the text/plain or text/html body without a
 * filename) decoded into dir (which exists), under unique names inside
 * dir (dir/NN-filename, mode 0600). Nested multiparts and message/rfc822
 * parts (forwarded mails) are walked. A zipped attachment is saved as
 * the zip it is (the ingest opens zips itself).
 *
 * Returns 0 with *m filled (attachments may be 0), or -1 with err filled
 * (PV_ERR_INPUT, file = display, when the message cannot be read or
 * parsed or is beyond the limits; PV_ERR_FATAL when dir cannot be
 * written). On -1 *m is empty and every file this call created in dir
 * has been removed again. The caller frees *m with message_release.
 * Limits: at most 100 attachments and 4 GiB decoded in total.
 */
int message_extract(const char *path, const char *display, const char *dir,
    struct message *m, struct pv_error *err);

/* Free what *m holds (not the files) and empty it; NULL is fine. */
void message_release(struct message *m);

#endif
