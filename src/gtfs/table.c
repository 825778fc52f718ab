/* Table reading helpers: open with column mapping, typed fields with
 * gtfs-validator notices. */
#include <math.h>
#include <string.h>

#include "table.h"

int table_open(table *t, gtfs_loader *ld, const char *file, const csv_column *cols, size_t ncols,
	       bool required, bool *present)
{
	memset(t, 0, sizeof(*t));
	t->ld = ld;
	t->file = file;
	t->cols = cols;
	t->ncols = ncols;
	*present = false;
	if (!gtfs_source_has(ld->src, file, NULL)) {
		if (!required)
			return 0;
		NOTICE_ERROR(ld, "missing_required_file", file, 0, NULL, "required file is missing");
		grens_error_at(ld->err, file, 0, 0, NULL);
		return grens_error_set(ld->err, GRENS_EFORMAT, "%s: required file is missing", file);
	}
	int rc = csv_open(&t->r, ld->src, file, ld->diag, ld->opts->max_field_bytes, ld->err);
	if (rc == GRENS_EFORMAT && !required) {
		grens_error_clear(ld->err);
		return 0; /* empty optional file: noticed as empty_file */
	}
	if (rc)
		return rc;
	t->open = true;
	rc = csv_map_columns(&t->r, cols, ncols, t->idx, ld->diag, ld->err);
	if (rc) {
		table_close(t);
		return rc;
	}
	*present = true;
	return 0;
}

void table_close(table *t)
{
	if (t->open)
		csv_close(&t->r);
	t->open = false;
}

int table_next(table *t)
{
	return csv_next(&t->r, &t->ld->feed->counts.rows_skipped, t->ld->err);
}

uint64_t table_size(const table *t)
{
	uint64_t size = 0;
	gtfs_source_has(t->ld->src, t->file, &size);
	return size;
}

void table_skip(table *t)
{
	t->ld->feed->counts.rows_skipped++;
}

static const char *col_name(const table *t, int c)
{
	return t->cols[c].name;
}

#define VAL(len) ((len) > 40 ? 40 : (int)(len))

int fld_int(table *t, int c, int64_t min, int64_t max, int64_t dflt, int64_t *out)
{
	uint32_t len;
	const char *s = fld(t, c, &len);
	if (len == 0) {
		*out = dflt;
		return 1;
	}
	int64_t v;
	int rc = grens_parse_i64(s, len, min, max, &v);
	if (rc == GRENS_EFORMAT) {
		NOTICE_ERROR(t->ld, "invalid_integer", t->file, t->r.line, col_name(t, c),
			     "\"%.*s\" is not an integer", VAL(len), s);
		return -1;
	}
	if (rc) {
		NOTICE_ERROR(t->ld, "number_out_of_range", t->file, t->r.line, col_name(t, c),
			     "%.*s is outside %lld..%lld", VAL(len), s, (long long)min,
			     (long long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int fld_double(table *t, int c, double min, double max, double *out)
{
	uint32_t len;
	const char *s = fld(t, c, &len);
	if (len == 0) {
		*out = NAN;
		return 1;
	}
	double v;
	if (grens_parse_double(s, len, &v)) {
		NOTICE_ERROR(t->ld, "invalid_float", t->file, t->r.line, col_name(t, c),
			     "\"%.*s\" is not a number", VAL(len), s);
		return -1;
	}
	if (v < min || v > max) {
		NOTICE_ERROR(t->ld, "number_out_of_range", t->file, t->r.line, col_name(t, c),
			     "%.*s is outside %g..%g", VAL(len), s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int fld_date(table *t, int c, grens_date *out)
{
	uint32_t len;
	const char *s = fld(t, c, &len);
	if (len == 0) {
		*out = GRENS_DATE_NONE;
		return 1;
	}
	if (grens_date_parse_gtfs(s, len, out)) {
		NOTICE_ERROR(t->ld, "invalid_date", t->file, t->r.line, col_name(t, c),
			     "\"%.*s\" is not a YYYYMMDD date", VAL(len), s);
		return -1;
	}
	return 0;
}

int fld_time(table *t, int c, int32_t *out)
{
	uint32_t len;
	const char *s = fld(t, c, &len);
	if (len == 0) {
		*out = GRENS_TIME_NONE;
		return 1;
	}
	if (grens_time_parse(s, len, 0, out)) {
		NOTICE_ERROR(t->ld, "invalid_time", t->file, t->r.line, col_name(t, c),
			     "\"%.*s\" is not a HH:MM:SS time", VAL(len), s);
		return -1;
	}
	return 0;
}

const char *fld_required(table *t, int c, uint32_t *len)
{
	const char *s = fld(t, c, len);
	if (*len == 0) {
		NOTICE_ERROR(t->ld, "missing_required_field", t->file, t->r.line, col_name(t, c),
			     "required value is empty");
		return NULL;
	}
	return s;
}

int notice_value_len(uint32_t len)
{
	return VAL(len);
}
