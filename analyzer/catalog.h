/*
 * catalog.h - the reference data behind the inventory: which spellings
 * name which AWS service, which usage-type prefix names which region,
 * and which services Pilvi manages. The data lives in schema/ (CSV files),
 * is compiled into the binary and copied into the database's tables
 * (service_catalog, service_alias, region_prefix, pilvi_catalog)
 * whenever it changes.
 */
#ifndef PILVI_CATALOG_H
#define PILVI_CATALOG_H

#include <sqlite3.h>

#include "error.h"

/* Bring the tables up to date with the compiled-in data. Cheap when
 * nothing changed (one query). Returns 0 or -1 (PV_ERR_FATAL). */
int catalog_sync(sqlite3 *db, struct pv_error *err);

/*
 * Use the Pilvi catalog in path (CSV: service_code,status[,note]; status
 * supported or unsupported; service_code may be any spelling the service
 * aliases know) instead of the built-in one, for this connection only
 * (a TEMP table shadows pilvi_catalog). Errors name the file and line.
 */
int catalog_load_pilvi(sqlite3 *db, const char *path, struct pv_error *err);

#endif
