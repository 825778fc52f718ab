/* Typed tables and their CSV, JSON and GeoJSON writers. Rows are kept as
 * JSON arrays so every writer prints the very same values. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

struct grens_report_table {
	uint32_t column_count;
	char *names[GRENS_REPORT_MAX_COLUMNS];
	grens_report_type types[GRENS_REPORT_MAX_COLUMNS];
	uint8_t decimals[GRENS_REPORT_MAX_COLUMNS];
	json_t *rows; /* array of arrays of column_count cells */
};

double report_round(double v, unsigned decimals)
{
	double scale = 1.0;
	for (unsigned i = 0; i < decimals; i++)
		scale *= 10.0;
	double r = round(v * scale) / scale;
	return r == 0.0 ? 0.0 : r; /* no "-0" */
}

json_t *report_real(double v, unsigned decimals)
{
	if (!isfinite(v))
		return json_null();
	return json_real(report_round(v, decimals));
}

const char *report_str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

json_t *report_seconds(int32_t v)
{
	return v == GRENS_ROUTE_UNREACHED ? json_null() : json_integer(v);
}

int report_dump(const json_t *v, FILE *f, const char *what, grens_error *err)
{
	if (json_dumpf(v, f, REPORT_JSON_FLAGS | JSON_INDENT(1)) != 0 || fputc('\n', f) == EOF)
		return grens_error_set(err, GRENS_EIO, "cannot write %s", what);
	return 0;
}

int report_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) == EOF ? -1 : 0;
	if (fputc('"', f) == EOF)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p == '"' && fputc('"', f) == EOF)
			return -1;
		if (fputc(*p, f) == EOF)
			return -1;
	}
	return fputc('"', f) == EOF ? -1 : 0;
}

int report_csv_value(FILE *f, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		return report_csv_field(f, json_string_value(v));
	case JSON_INTEGER:
		return fprintf(f, "%lld", (long long)json_integer_value(v)) < 0 ? -1 : 0;
	case JSON_REAL:
		return fprintf(f, "%.15g", json_real_value(v)) < 0 ? -1 : 0;
	case JSON_TRUE:
		return fputs("true", f) == EOF ? -1 : 0;
	case JSON_FALSE:
		return fputs("false", f) == EOF ? -1 : 0;
	default:
		return 0;
	}
}

void grens_report_table_free(grens_report_table *table)
{
	if (!table)
		return;
	for (uint32_t i = 0; i < table->column_count; i++)
		free(table->names[i]);
	json_decref(table->rows);
	free(table);
}

int grens_report_table_new(grens_report_table **out, const grens_report_column *columns,
			   uint32_t column_count, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_table_new: out is NULL");
	if (!columns && column_count)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_new: columns is NULL");
	*out = NULL;
	if (column_count > GRENS_REPORT_MAX_COLUMNS)
		return grens_error_set(err, GRENS_ELIMIT, "a table has at most %u columns, not %u",
				       GRENS_REPORT_MAX_COLUMNS, column_count);
	grens_report_table *t = calloc(1, sizeof(*t));
	int rc = GRENS_ENOMEM;
	if (!t || !(t->rows = json_array()))
		goto fail;
	for (uint32_t i = 0; i < column_count; i++) {
		const grens_report_column *c = &columns[i];
		if (!c->name || !c->name[0] || c->type > GRENS_REPORT_REAL || c->decimals > 9) {
			rc = grens_error_set(err, GRENS_EARG, "column %u: empty name, bad type or "
							      "more than 9 decimals", i);
			goto fail;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (strcmp(t->names[j], c->name) == 0) {
				rc = grens_error_set(err, GRENS_EARG, "column '%s' appears twice",
						     c->name);
				goto fail;
			}
		}
		if (!(t->names[i] = strdup(c->name)))
			goto fail;
		t->types[i] = c->type;
		t->decimals[i] = c->decimals;
		t->column_count = i + 1;
	}
	*out = t;
	return 0;
fail:
	if (rc == GRENS_ENOMEM)
		grens_error_set(err, rc, "out of memory");
	grens_report_table_free(t);
	return rc;
}

int grens_report_table_add_row(grens_report_table *table, grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_add_row: table is NULL");
	if (json_array_size(table->rows) >= GRENS_REPORT_MAX_ROWS)
		return grens_error_set(err, GRENS_ELIMIT, "a table has at most %u rows",
				       GRENS_REPORT_MAX_ROWS);
	json_t *row = json_array();
	for (uint32_t i = 0; row && i < table->column_count; i++) {
		if (json_array_append_new(row, json_null()) != 0) {
			json_decref(row);
			row = NULL;
		}
	}
	if (!row || json_array_append_new(table->rows, row) != 0)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	return 0;
}

static int set_cell(grens_report_table *table, uint32_t column, grens_report_type type, json_t *v,
		    grens_error *err)
{
	size_t n = json_array_size(table->rows);
	if (n == 0 || column >= table->column_count || table->types[column] != type) {
		json_decref(v);
		return grens_error_set(err, GRENS_EARG,
				       n == 0 ? "no row to set a cell of"
					      : "column %u does not exist or has another type",
				       column);
	}
	if (!v || json_array_set_new(json_array_get(table->rows, n - 1), column, v) != 0)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	return 0;
}

int grens_report_table_set_string(grens_report_table *table, uint32_t column, const char *s,
				  grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_set_string: table is NULL");
	if (!s || !grens_utf8_valid(s, strlen(s)))
		return grens_error_set(err, GRENS_EARG, "column %u: the text is not UTF-8", column);
	return set_cell(table, column, GRENS_REPORT_STRING, json_string(s), err);
}

int grens_report_table_set_int(grens_report_table *table, uint32_t column, int64_t v,
			       grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_set_int: table is NULL");
	return set_cell(table, column, GRENS_REPORT_INT, json_integer((json_int_t)v), err);
}

int grens_report_table_set_real(grens_report_table *table, uint32_t column, double v,
				grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_set_real: table is NULL");
	unsigned d = column < table->column_count ? table->decimals[column] : 0;
	return set_cell(table, column, GRENS_REPORT_REAL, report_real(v, d), err);
}

uint32_t grens_report_table_row_count(const grens_report_table *table)
{
	if (!table)
		return 0; /* NULL not allowed: docs/api.md */
	return (uint32_t)json_array_size(table->rows);
}

uint32_t grens_report_table_column(const grens_report_table *table, const char *name)
{
	if (!table || !name)
		return GRENS_NONE; /* NULL not allowed: docs/api.md */
	for (uint32_t i = 0; i < table->column_count; i++)
		if (strcmp(table->names[i], name) == 0)
			return i;
	return GRENS_NONE;
}

int grens_report_table_write_csv(const grens_report_table *table, FILE *f, grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_csv: table is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_csv: f is NULL");
	for (uint32_t i = 0; i < table->column_count; i++)
		if ((i && fputc(',', f) == EOF) || report_csv_field(f, table->names[i]))
			goto fail;
	if (fputc('\n', f) == EOF)
		goto fail;
	size_t r;
	json_t *row;
	json_array_foreach(table->rows, r, row)
	{
		for (uint32_t i = 0; i < table->column_count; i++)
			if ((i && fputc(',', f) == EOF) ||
			    report_csv_value(f, json_array_get(row, i)))
				goto fail;
		if (fputc('\n', f) == EOF)
			goto fail;
	}
	return 0;
fail:
	return grens_error_set(err, GRENS_EIO, "cannot write CSV");
}

/* The row as an object; columns in skip_a / skip_b are left out. */
static json_t *row_object(const grens_report_table *table, const json_t *row, uint32_t skip_a,
			  uint32_t skip_b)
{
	json_t *o = json_object();
	for (uint32_t i = 0; o && i < table->column_count; i++) {
		if (i == skip_a || i == skip_b)
			continue;
		if (json_object_set(o, table->names[i], json_array_get(row, i)) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

int grens_report_table_write_json(const grens_report_table *table, FILE *f, grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_json: table is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_json: f is NULL");
	json_t *all = json_array();
	size_t r;
	json_t *row;
	int rc = GRENS_ENOMEM;
	if (!all)
		goto fail;
	json_array_foreach(table->rows, r, row)
	{
		if (json_array_append_new(all, row_object(table, row, GRENS_NONE, GRENS_NONE)))
			goto fail;
	}
	rc = report_dump(all, f, "JSON", err);
	json_decref(all);
	return rc;
fail:
	json_decref(all);
	return grens_error_set(err, rc, "out of memory");
}

int grens_report_table_write_geojson(const grens_report_table *table, uint32_t lon_column,
				     uint32_t lat_column, FILE *f, grens_error *err)
{
	if (!table)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_geojson: table is NULL");
	if (!f)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_table_write_geojson: f is NULL");
	if (lon_column >= table->column_count || lat_column >= table->column_count ||
	    table->types[lon_column] != GRENS_REPORT_REAL ||
	    table->types[lat_column] != GRENS_REPORT_REAL || lon_column == lat_column)
		return grens_error_set(err, GRENS_EARG,
				       "GeoJSON needs two distinct REAL columns for lon and lat");
	json_t *features = json_array();
	json_t *fc = json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
	size_t r;
	json_t *row;
	if (!fc)
		goto oom;
	json_array_foreach(table->rows, r, row)
	{
		const json_t *lon = json_array_get(row, lon_column);
		const json_t *lat = json_array_get(row, lat_column);
		json_t *geometry = json_null();
		if (json_is_real(lon) && json_is_real(lat))
			geometry = json_pack("{s:s, s:[O, O]}", "type", "Point", "coordinates", lon,
					     lat);
		json_t *props = row_object(table, row, lon_column, lat_column);
		json_t *feature = json_pack("{s:s, s:o, s:o}", "type", "Feature", "geometry",
					    geometry, "properties", props);
		if (!geometry || !props || !feature || json_array_append_new(features, feature))
			goto oom;
	}
	int rc = report_dump(fc, f, "GeoJSON", err);
	json_decref(fc);
	return rc;
oom:
	json_decref(fc);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

void grens_report_text_cell(FILE *f, const char *s, size_t width, bool cut, bool align_right)
{
	if (!f || !s)
		return;
	size_t len = strlen(s), w = 0;
	size_t bytes = cut ? grens_text_fit(s, len, width, &w) : len;
	if (!cut)
		w = grens_text_width(s, len);
	for (size_t i = w; align_right && i < width; i++)
		fputc(' ', f);
	fwrite(s, 1, bytes, f);
	for (size_t i = w; !align_right && i < width; i++)
		fputc(' ', f);
}
