/* Places with opportunities: parsing the places CSV from memory. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "access_internal.h"

#define MAX_COLUMNS 32u

/* ---- a small CSV record reader (RFC 4180 quotes, CRLF, BOM) ------------------ */

typedef struct csv_field {
	const char *s; /* into text, or into the unquote buffer */
	size_t len;
} csv_field;

typedef struct csv_cursor {
	const char *text;
	size_t len, pos;
	uint32_t line; /* physical line of the next record */
	char *buf;     /* unquoted copies of quoted fields: len bytes, enough for any record */
} csv_cursor;

/* Read one record into f[0..*n). Returns 1, 0 at end, or a negative code
 * (GRENS_EFORMAT for an unterminated quote, GRENS_ELIMIT for too many
 * columns, GRENS_ENOMEM). *start_line is the record's first line. */
static int csv_next(csv_cursor *c, csv_field *f, uint32_t *n, uint32_t *start_line)
{
	*n = 0;
	if (c->pos >= c->len)
		return 0;
	*start_line = c->line;
	size_t used = 0;
	for (;;) {
		if (*n >= MAX_COLUMNS)
			return GRENS_ELIMIT;
		csv_field *cur = &f[(*n)++];
		if (c->pos < c->len && c->text[c->pos] == '"') {
			size_t begin = used;
			c->pos++;
			for (;;) {
				if (c->pos >= c->len)
					return GRENS_EFORMAT;
				char ch = c->text[c->pos++];
				if (ch == '"') {
					if (c->pos < c->len && c->text[c->pos] == '"') {
						c->buf[used++] = '"';
						c->pos++;
						continue;
					}
					break;
				}
				if (ch == '\n')
					c->line++;
				c->buf[used++] = ch;
			}
			cur->s = c->buf + begin;
			cur->len = used - begin;
			/* anything up to the delimiter after a closing quote is an error */
			if (c->pos < c->len && c->text[c->pos] != ',' && c->text[c->pos] != '\n' &&
			    c->text[c->pos] != '\r')
				return GRENS_EFORMAT;
		} else {
			size_t b = c->pos;
			while (c->pos < c->len && c->text[c->pos] != ',' &&
			       c->text[c->pos] != '\n' && c->text[c->pos] != '\r')
				c->pos++;
			cur->s = c->text + b;
			cur->len = c->pos - b;
		}
		if (c->pos >= c->len)
			return 1;
		char d = c->text[c->pos++];
		if (d == ',')
			continue;
		if (d == '\r' && c->pos < c->len && c->text[c->pos] == '\n')
			c->pos++;
		c->line++;
		return 1;
	}
}

static bool blank_record(const csv_field *f, uint32_t n)
{
	return n == 1 && f[0].len == 0;
}

/* ---- the table ------------------------------------------------------------------ */

int grens_access_places_new(grens_access_places **out, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_places_new: out is NULL");
	*out = NULL;
	grens_access_places *pl = calloc(1, sizeof(*pl));
	if (!pl)
		goto fail;
	pl->arena = grens_arena_new(0);
	if (!pl->arena)
		goto fail;
	*out = pl;
	return 0;
fail:
	grens_access_places_free(pl);
	return grens_error_set(err, GRENS_ENOMEM, "cannot allocate the places table");
}

void grens_access_places_free(grens_access_places *pl)
{
	if (!pl)
		return;
	free(pl->rows);
	free(pl->values);
	grens_arena_free(pl->arena);
	free(pl);
}

uint32_t grens_access_places_count(const grens_access_places *pl)
{
	if (!pl)
		return 0; /* NULL not allowed: docs/api.md */
	return pl->count;
}

const grens_access_place *grens_access_places_get(const grens_access_places *pl, uint32_t i)
{
	if (!pl)
		return NULL; /* NULL not allowed: docs/api.md */
	if (i >= pl->count)
		return NULL;
	return &pl->rows[i];
}

uint32_t grens_access_places_kind_count(const grens_access_places *pl)
{
	if (!pl)
		return 0; /* NULL not allowed: docs/api.md */
	return pl->kind_count;
}

const char *grens_access_places_kind(const grens_access_places *pl, uint32_t kind)
{
	if (!pl)
		return NULL; /* NULL not allowed: docs/api.md */
	return kind < pl->kind_count ? pl->kinds[kind] : NULL;
}

uint32_t grens_access_places_unplaced_count(const grens_access_places *pl)
{
	if (!pl)
		return 0; /* NULL not allowed: docs/api.md */
	return pl->unplaced_count;
}

double grens_access_places_unplaced(const grens_access_places *pl, uint32_t kind)
{
	if (!pl)
		return 0.0; /* NULL not allowed: docs/api.md */
	return kind < pl->kind_count ? pl->unplaced[kind] : 0.0;
}

uint32_t grens_access_places_find(const grens_access_places *pl, const char *query)
{
	if (!pl || !query)
		return GRENS_NONE; /* NULL not allowed: docs/api.md */
	char want[256], have[256];
	for (uint32_t i = 0; i < pl->count; i++)
		if (strcmp(pl->rows[i].municipality, query) == 0)
			return i;
	size_t n = grens_text_fold(query, strlen(query), want, sizeof(want));
	if (n == 0 || n >= sizeof(want))
		return GRENS_NONE;
	uint32_t found = GRENS_NONE;
	for (uint32_t i = 0; i < pl->count; i++) {
		const char *name = pl->rows[i].name;
		size_t m = grens_text_fold(name, strlen(name), have, sizeof(have));
		if (m >= sizeof(have) || strcmp(want, have) != 0)
			continue;
		if (found != GRENS_NONE)
			return GRENS_NONE; /* ambiguous */
		found = i;
	}
	return found;
}

/* ---- parsing ----------------------------------------------------------------------- */

enum {
	COL_NAME,
	COL_COUNTRY,
	COL_CODE,
	COL_LAT,
	COL_LON,
	COL_SOURCE,
	COL_DATE,
	COL_STATION,
	COL_WHY,
	COL_FIXED
};
static const char *const fixed_names[COL_FIXED] = {
    "name", "country", "municipality_code", "lat", "lon", "source", "reference_date", "station",
    "why",
};
static const bool fixed_required[COL_FIXED] = {true, true, true, true, true,
					       false, false, false, false};

static bool field_is(const csv_field *f, const char *s)
{
	return f->len == strlen(s) && memcmp(f->s, s, f->len) == 0;
}

static int grow(grens_access_places *pl, grens_error *err)
{
	if (pl->count < pl->cap)
		return 0;
	size_t cap = pl->cap ? (size_t)pl->cap * 2 : 64;
	if (cap > GRENS_ACCESS_MAX_PLACES)
		cap = GRENS_ACCESS_MAX_PLACES;
	size_t bytes, vbytes;
	if (grens_size_mul(cap, sizeof(*pl->rows), &bytes) ||
	    grens_size_mul(cap, (size_t)pl->kind_count * sizeof(double), &vbytes))
		return grens_error_set(err, GRENS_ELIMIT, "too many places");
	grens_access_place *rows = realloc(pl->rows, bytes);
	if (!rows)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for places");
	pl->rows = rows;
	double *values = realloc(pl->values, vbytes ? vbytes : sizeof(double));
	if (!values)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory for places");
	pl->values = values;
	pl->cap = (uint32_t)cap;
	return 0;
}

static const char *dup_field(grens_access_places *pl, const csv_field *f)
{
	return grens_arena_strndup(pl->arena, f->s, f->len);
}

/* Trim spaces around a field (hand-edited files often have them). */
static csv_field trimmed(csv_field f)
{
	while (f.len && (f.s[0] == ' ' || f.s[0] == '\t')) {
		f.s++;
		f.len--;
	}
	while (f.len && (f.s[f.len - 1] == ' ' || f.s[f.len - 1] == '\t'))
		f.len--;
	return f;
}

/* The first of f[0..n) holding a NUL byte, or n. */
static uint32_t nul_column(const csv_field *f, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (memchr(f[i].s, '\0', f[i].len))
			return i;
	return n;
}

/* The header name of column i, or NULL for a column nobody reads. */
static const char *column_name(uint32_t i, const int *fixed_idx, const int *kind_idx,
			       char (*kind_name)[64], uint32_t kinds)
{
	for (uint32_t k = 0; k < COL_FIXED; k++)
		if (fixed_idx[k] == (int)i)
			return fixed_names[k];
	for (uint32_t k = 0; k < kinds; k++)
		if (kind_idx[k] == (int)i)
			return kind_name[k];
	return NULL;
}

static bool duplicate(const grens_access_places *pl, const char *name, const char *country)
{
	for (uint32_t i = 0; i < pl->count; i++)
		if (strcmp(pl->rows[i].name, name) == 0 &&
		    strcmp(pl->rows[i].country, country) == 0)
			return true;
	return false;
}

int grens_access_places_parse(grens_access_places *pl, const char *file, const char *text,
			      size_t len, grens_diag *diag, uint32_t *skipped, grens_error *err)
{
	if (!pl)
		return grens_error_set(err, GRENS_EINVAL, "grens_access_places_parse: pl is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_access_places_parse: text is NULL");
	int rc = 0;
	csv_cursor c = {.text = text, .len = len, .line = 1};
	csv_field f[MAX_COLUMNS];
	uint32_t n = 0, line = 0;
	int fixed_idx[COL_FIXED];
	int kind_idx[GRENS_ACCESS_MAX_KINDS];
	char kind_name[GRENS_ACCESS_MAX_KINDS][64];
	uint32_t kinds = 0;
	if (skipped)
		*skipped = 0;
	if (len > GRENS_ACCESS_MAX_PLACES_BYTES) {
		rc = grens_error_set(err, GRENS_ELIMIT, "places file larger than %u bytes",
				     GRENS_ACCESS_MAX_PLACES_BYTES);
		grens_error_at(err, file, 0, 0, NULL);
		goto fail;
	}
	c.buf = malloc(len ? len : 1);
	if (!c.buf) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		c.pos = 3;
	if (!grens_utf8_valid(text, len)) {
		rc = grens_error_set(err, GRENS_EFORMAT, "not valid UTF-8");
		grens_error_at(err, file, 0, 0, NULL);
		goto fail;
	}

	/* header */
	rc = csv_next(&c, f, &n, &line);
	if (rc <= 0) {
		rc = grens_error_set(err, GRENS_EFORMAT,
				     rc == 0 ? "empty file, no header" : "unreadable header");
		grens_error_at(err, file, 1, 0, NULL);
		goto fail;
	}
	for (uint32_t k = 0; k < COL_FIXED; k++)
		fixed_idx[k] = -1;
	for (uint32_t i = 0; i < n; i++) {
		csv_field h = trimmed(f[i]);
		bool known = false;
		if (memchr(f[i].s, '\0', f[i].len)) {
			rc = grens_error_set(err, GRENS_EFORMAT, "NUL byte in column %u of the header",
					     i + 1);
			grens_error_at(err, file, line, i + 1, NULL);
			goto fail;
		}
		for (uint32_t k = 0; k < COL_FIXED; k++) {
			if (field_is(&h, fixed_names[k])) {
				if (fixed_idx[k] >= 0) {
					rc = grens_error_set(err, GRENS_EFORMAT, "column repeated");
					grens_error_at(err, file, line, i + 1, fixed_names[k]);
					goto fail;
				}
				fixed_idx[k] = (int)i;
				known = true;
			}
		}
		if (known)
			continue;
		if (h.len == 0 || h.len >= sizeof(kind_name[0])) {
			rc = grens_error_set(err, GRENS_EFORMAT, "column %u has no usable name",
					     i + 1);
			grens_error_at(err, file, line, i + 1, NULL);
			goto fail;
		}
		if (kinds >= GRENS_ACCESS_MAX_KINDS) {
			rc = grens_error_set(err, GRENS_ELIMIT, "more than %u opportunity columns",
					     GRENS_ACCESS_MAX_KINDS);
			grens_error_at(err, file, line, i + 1, NULL);
			goto fail;
		}
		memcpy(kind_name[kinds], h.s, h.len);
		kind_name[kinds][h.len] = '\0';
		for (uint32_t k = 0; k < kinds; k++) {
			if (strcmp(kind_name[k], kind_name[kinds]) == 0) {
				rc = grens_error_set(err, GRENS_EFORMAT, "column repeated");
				grens_error_at(err, file, line, i + 1, kind_name[k]);
				goto fail;
			}
		}
		kind_idx[kinds++] = (int)i;
	}
	/* A table without coordinates lists population that cannot be placed. */
	bool unplaced = fixed_idx[COL_LAT] < 0 && fixed_idx[COL_LON] < 0;
	for (uint32_t k = 0; k < COL_FIXED; k++) {
		if (unplaced && (k == COL_LAT || k == COL_LON))
			continue;
		if (fixed_required[k] && fixed_idx[k] < 0) {
			rc = grens_error_set(err, GRENS_EFORMAT, "missing required column");
			grens_error_at(err, file, 1, 0, fixed_names[k]);
			goto fail;
		}
	}
	/* population first, then the other kinds in column order */
	int pop = -1;
	for (uint32_t k = 0; k < kinds; k++)
		if (strcmp(kind_name[k], "population") == 0)
			pop = (int)k;
	if (pop < 0) {
		rc = grens_error_set(err, GRENS_EFORMAT, "missing required column");
		grens_error_at(err, file, 1, 0, "population");
		goto fail;
	}
	if (pop > 0) {
		char nm[64];
		memcpy(nm, kind_name[pop], sizeof(nm));
		int idx = kind_idx[pop];
		memmove(kind_name[1], kind_name[0], (size_t)pop * sizeof(kind_name[0]));
		memmove(&kind_idx[1], &kind_idx[0], (size_t)pop * sizeof(kind_idx[0]));
		memcpy(kind_name[0], nm, sizeof(nm));
		kind_idx[0] = idx;
	}
	if (pl->kind_count == 0 && pl->count == 0) {
		for (uint32_t k = 0; k < kinds; k++) {
			pl->kinds[k] =
			    grens_arena_strndup(pl->arena, kind_name[k], strlen(kind_name[k]));
			if (!pl->kinds[k]) {
				rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
				goto fail;
			}
		}
		pl->kind_count = kinds;
	} else {
		bool same = kinds == pl->kind_count;
		for (uint32_t k = 0; same && k < kinds; k++)
			same = strncmp(pl->kinds[k], kind_name[k], sizeof(kind_name[k])) == 0;
		if (!same) {
			rc = grens_error_set(
			    err, GRENS_EFORMAT,
			    "opportunity columns differ from the first places file");
			grens_error_at(err, file, 1, 0, NULL);
			goto fail;
		}
	}

	/* rows */
	for (;;) {
		rc = csv_next(&c, f, &n, &line);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (rc == GRENS_ENOMEM) {
				grens_error_set(err, rc, "out of memory");
				goto fail;
			}
			rc = grens_error_set(err, GRENS_EFORMAT,
					     rc == GRENS_ELIMIT ? "more than %u fields"
								: "unterminated or stray quote",
					     MAX_COLUMNS);
			grens_error_at(err, file, line, 0, NULL);
			goto fail;
		}
		if (blank_record(f, n))
			continue;
		/* A NUL would cut a name or code short when it is copied: skip the row. */
		uint32_t nul = nul_column(f, n);
		if (nul < n) {
			grens_diag_add(diag, "invalid_character", GRENS_SEVERITY_ERROR, file, line,
				       column_name(nul, fixed_idx, kind_idx, kind_name, kinds),
				       "NUL byte in field %u; row skipped", nul + 1);
			if (skipped)
				(*skipped)++;
			continue;
		}
		const char *bad_field = NULL;
		const char *code = "invalid_row";
		char why[160] = "";
		csv_field v[COL_FIXED];
		for (uint32_t k = 0; k < COL_FIXED; k++) {
			v[k].s = "";
			v[k].len = 0;
			if (fixed_idx[k] >= 0 && (uint32_t)fixed_idx[k] < n)
				v[k] = trimmed(f[fixed_idx[k]]);
		}
		double lat = NAN, lon = NAN, values[GRENS_ACCESS_MAX_KINDS] = {0};
		for (uint32_t k = 0; k < COL_FIXED && !bad_field; k++) {
			if (unplaced && (k == COL_LAT || k == COL_LON))
				continue;
			if (fixed_required[k] && v[k].len == 0) {
				bad_field = fixed_names[k];
				code = "missing_required_field";
				snprintf(why, sizeof(why), "empty");
			}
		}
		if (!bad_field && !unplaced && (grens_parse_double(v[COL_LAT].s, v[COL_LAT].len, &lat) ||
				   !(lat >= -90.0 && lat <= 90.0))) {
			bad_field = "lat";
			code = "number_out_of_range";
			snprintf(why, sizeof(why), "'%.*s' is not a latitude", (int)v[COL_LAT].len,
				 v[COL_LAT].s);
		}
		if (!bad_field && !unplaced && (grens_parse_double(v[COL_LON].s, v[COL_LON].len, &lon) ||
				   !(lon >= -180.0 && lon <= 180.0))) {
			bad_field = "lon";
			code = "number_out_of_range";
			snprintf(why, sizeof(why), "'%.*s' is not a longitude", (int)v[COL_LON].len,
				 v[COL_LON].s);
		}
		if (!bad_field && v[COL_COUNTRY].len != 2) {
			bad_field = "country";
			code = "invalid_country";
			snprintf(why, sizeof(why), "'%.*s' is not a two-letter country code",
				 (int)v[COL_COUNTRY].len, v[COL_COUNTRY].s);
		}
		for (uint32_t k = 0; k < kinds && !bad_field; k++) {
			csv_field x = {"", 0};
			if ((uint32_t)kind_idx[k] < n)
				x = trimmed(f[kind_idx[k]]);
			if (k == 0 && x.len == 0) {
				bad_field = kind_name[k];
				code = "missing_required_field";
				snprintf(why, sizeof(why), "empty");
			} else if (x.len && (grens_parse_double(x.s, x.len, &values[k]) ||
					     !(values[k] >= 0.0 && values[k] < 1e12))) {
				bad_field = kind_name[k];
				code = "number_out_of_range";
				snprintf(why, sizeof(why), "'%.*s' is not a count >= 0", (int)x.len,
					 x.s);
			}
		}
		if (bad_field) {
			grens_diag_add(diag, code, GRENS_SEVERITY_ERROR, file, line, bad_field,
				       "%s; row skipped", why);
			if (skipped)
				(*skipped)++;
			continue;
		}
		if (unplaced) {
			pl->unplaced_count++;
			for (uint32_t k = 0; k < kinds; k++)
				pl->unplaced[k] += values[k];
			continue;
		}
		if (pl->count >= GRENS_ACCESS_MAX_PLACES) {
			rc = grens_error_set(err, GRENS_ELIMIT, "more than %u places",
					     GRENS_ACCESS_MAX_PLACES);
			grens_error_at(err, file, line, 0, NULL);
			goto fail;
		}
		if ((rc = grow(pl, err)))
			goto fail;
		grens_access_place *p = &pl->rows[pl->count];
		memset(p, 0, sizeof(*p));
		p->name = dup_field(pl, &v[COL_NAME]);
		p->country = dup_field(pl, &v[COL_COUNTRY]);
		p->municipality = dup_field(pl, &v[COL_CODE]);
		p->source = dup_field(pl, &v[COL_SOURCE]);
		p->reference_date = dup_field(pl, &v[COL_DATE]);
		p->station = dup_field(pl, &v[COL_STATION]);
		p->file = grens_arena_strndup(pl->arena, file, strlen(file));
		if (!p->name || !p->country || !p->municipality || !p->source ||
		    !p->reference_date || !p->station || !p->file) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto fail;
		}
		if (duplicate(pl, p->name, p->country)) {
			grens_diag_add(diag, "duplicate_key", GRENS_SEVERITY_ERROR, file, line,
				       "name", "'%s' (%s) appears twice; row skipped", p->name,
				       p->country);
			if (skipped)
				(*skipped)++;
			continue;
		}
		p->lat = lat;
		p->lon = lon;
		p->line = line;
		memcpy(pl->values + (size_t)pl->count * pl->kind_count, values,
		       (size_t)pl->kind_count * sizeof(double));
		pl->count++;
	}
	rc = 0;
fail:
	/* values may have moved while rows were added */
	for (uint32_t i = 0; i < pl->count; i++)
		pl->rows[i].opportunities = pl->values + (size_t)i * pl->kind_count;
	free(c.buf);
	return rc;
}
