/* Private to src/gtfs: reading one table with typed, validated fields. */
#ifndef GRENS_GTFS_TABLE_H
#define GRENS_GTFS_TABLE_H

#include "internal.h"

#define TABLE_MAX_COLUMNS 24

typedef struct table {
	gtfs_loader *ld;
	csv_reader r;
	const char *file;
	const csv_column *cols;
	size_t ncols;
	int idx[TABLE_MAX_COLUMNS];
	bool open;
} table;

/* Open file and map its columns. *present is false (and 0 returned) when an
 * optional file is absent or empty. A missing required file or column fails
 * with GRENS_EFORMAT. */
int table_open(table *t, gtfs_loader *ld, const char *file, const csv_column *cols, size_t ncols,
	       bool required, bool *present);
void table_close(table *t);
/* Next row: 1, 0 at end, negative error. Skipped rows are counted. */
int table_next(table *t);
/* Size of the member in bytes (0 if unknown), for reserving arrays. */
uint64_t table_size(const table *t);

static inline const char *fld(const table *t, int c, uint32_t *len)
{
	return csv_get(&t->r, t->idx[c], len);
}
static inline bool fld_has_column(const table *t, int c)
{
	return t->idx[c] >= 0;
}

/* Typed fields. Each returns 0 on success, 1 when the field is empty (the
 * default is stored), -1 after giving a notice for a bad value. */
int fld_int(table *t, int c, int64_t min, int64_t max, int64_t dflt, int64_t *out);
int fld_double(table *t, int c, double min, double max, double *out);
int fld_date(table *t, int c, grens_date *out);
int fld_time(table *t, int c, int32_t *out);
/* A required field: a notice (missing_required_field) when empty; returns
 * its text, or NULL when empty. */
const char *fld_required(table *t, int c, uint32_t *len);
/* Count a skipped row. */
void table_skip(table *t);

#endif
