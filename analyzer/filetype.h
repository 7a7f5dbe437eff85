/*
 * filetype.h - what a file that is not billing data is, so the error
 * can say so and say what to send instead: customers send invoices as
 * PDF, spreadsheets saved from Excel, screenshots, manifests, web pages.
 */
#ifndef PILVI_FILETYPE_H
#define PILVI_FILETYPE_H

#include <stddef.h>

/* The first bytes of a member (head, n of them): NULL when they may be
 * billing data (CSV or Parquet), else what the file is and what to
 * send, as a phrase for an error ("a PDF document (...)"). */
const char *filetype_of_head(const void *head, size_t n);

/* An archive member's name that shows what the archive is: an Excel
 * workbook (xl/...) or an OpenDocument spreadsheet (content.xml);
 * NULL otherwise. */
const char *filetype_of_member(const char *name);

#endif
