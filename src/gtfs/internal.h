/* Private to src/gtfs: the feed source (zip or directory), the streaming
 * CSV reader, the id index and the table loaders. */
#ifndef GRENS_GTFS_INTERNAL_H
#define GRENS_GTFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grens/core.h"
#include "grens/gtfs.h"

/* ---- source: a zip archive or a directory ------------------------------- */

typedef struct gtfs_source gtfs_source;
typedef struct gtfs_member gtfs_member;

typedef struct gtfs_source_limits {
	uint64_t max_member_bytes;
	uint64_t max_total_bytes;
	uint32_t max_ratio; /* uncompressed / compressed */
} gtfs_source_limits;

/* Open path as a zip or a directory. Entry names that could escape a
 * directory (absolute, "..", backslashes) are ignored with a notice; we never
 * extract anything. Errors: EFORMAT (not a zip, not a directory, empty file),
 * EIO, ENOMEM, ELIMIT (too many entries). */
int gtfs_source_open(gtfs_source **out, const char *path, const gtfs_source_limits *limits,
		     grens_diag *diag, grens_error *err);
void gtfs_source_close(gtfs_source *src);

/* In-memory sources (tests and fuzzing). The bytes are not copied and must
 * outlive the source. */
typedef struct gtfs_memory_file {
	const char *name;
	const char *bytes;
	size_t size;
} gtfs_memory_file;
int gtfs_source_open_files(gtfs_source **out, const gtfs_memory_file *files, size_t count,
			   const gtfs_source_limits *limits, grens_error *err);
/* A zip archive held in memory. */
int gtfs_source_open_zip_buffer(gtfs_source **out, const void *bytes, size_t size,
				const gtfs_source_limits *limits, grens_diag *diag,
				grens_error *err);
/* Does the source hold a top-level file of this name? Its uncompressed
 * size (0 when unknown) goes to *size. */
bool gtfs_source_has(const gtfs_source *src, const char *name, uint64_t *size);
/* Number of top-level file names and the i-th (for unknown_file notices). */
size_t gtfs_source_name_count(const gtfs_source *src);
const char *gtfs_source_name(const gtfs_source *src, size_t i);

/* Stream one member. Reads are capped by the limits (member size, total
 * size, compression ratio) while inflating: GRENS_ELIMIT when exceeded. */
int gtfs_member_open(gtfs_member **out, gtfs_source *src, const char *name, grens_error *err);
/* Read up to n bytes; returns bytes read (0 at the end) or a negative code. */
int64_t gtfs_member_read(gtfs_member *m, char *buf, size_t n, grens_error *err);
void gtfs_member_close(gtfs_member *m);

/* ---- CSV ------------------------------------------------------------------ */

typedef struct csv_column {
	const char *name;
	bool required;
} csv_column;

typedef struct scan_state scan_state;

typedef struct csv_reader {
	gtfs_member *member;
	scan_state *scan;
	const char *file; /* "stops.txt" */
	grens_diag *diag;
	uint32_t max_field;
	char *buf;
	size_t cap, len, pos;
	bool eof;
	bool at_start;       /* BOM not yet checked */
	uint32_t next_line;  /* physical line where the next record starts */
	/* Current record: fields point into buf and are NUL-terminated. */
	uint32_t line;
	uint32_t nf;
	uint32_t header_nf;
	const char *field[GRENS_LIMIT_COLUMNS];
	uint32_t flen[GRENS_LIMIT_COLUMNS];
	const char *header[GRENS_LIMIT_COLUMNS];
	uint64_t bytes_read;
	uint64_t rows;
} csv_reader;

/* Open a member and read its header. Returns 0, or GRENS_EFORMAT when the
 * file is empty (notice empty_file), or an I/O or limit error. */
int csv_open(csv_reader *r, gtfs_source *src, const char *file, grens_diag *diag,
	     uint32_t max_field, grens_error *err);
void csv_close(csv_reader *r);
/* Next data record: 1, 0 at the end, or a negative code. Rows whose field
 * count differs from the header's are reported (invalid_row_length) and
 * skipped; *skipped counts them. */
int csv_next(csv_reader *r, uint64_t *skipped, grens_error *err);
/* Map the header to cols: idx[i] is the field index of cols[i] or -1.
 * Unknown columns give unknown_column; a missing required column gives
 * missing_required_column and GRENS_EFORMAT (with err's location). */
int csv_map_columns(csv_reader *r, const csv_column *cols, size_t ncols, int *idx,
		    grens_diag *diag, grens_error *err);

static inline const char *csv_get(const csv_reader *r, int col, uint32_t *len)
{
	if (col < 0 || (uint32_t)col >= r->nf) {
		*len = 0;
		return "";
	}
	*len = r->flen[col];
	return r->field[col];
}

/* ---- index ---------------------------------------------------------------- */

/* Is the NUL-terminated key equal to s[0..len)? s holds no NUL (the CSV
 * reader skips rows with one), so the loop stops at the key's end
 * at the latest. Ids are short: a plain loop beats a call to memcmp. */
static inline bool id_equal(const char *key, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && key[i] == s[i])
		i++;
	return i == len && key[len] == '\0';
}

/* An id -> row table: open addressing with linear probing. Keys are not
 * copied: each id must outlive the map (arena strings) and hold no NUL. */
struct id_entry {
	const char *id; /* NULL: empty slot */
	uint32_t hash;
	uint32_t row;
};

typedef struct id_map {
	struct id_entry *slots;
	uint64_t mask; /* slot count - 1; 0 before the first add */
	uint64_t count;
} id_map;

/* Add id -> row; returns 0, 1 when id is already present (*existing gets
 * the existing row) or GRENS_ENOMEM. */
int id_map_add(id_map *m, const char *id, size_t len, uint32_t row, uint32_t *existing);
uint32_t id_map_find(const id_map *m, const char *id, size_t len);
/* Start loading the slot where id would be, for an add or find soon after
 * (the table is too large for the cache). Only a hint. */
void id_map_prefetch(const id_map *m, const char *id, size_t len);
/* Make room for count ids without rehashing (an estimate; more still fit).
 * Returns 0 or GRENS_ENOMEM. */
int id_map_reserve(id_map *m, uint64_t count);
/* Free the table; the map is empty and usable again. */
void id_map_clear(id_map *m);

struct grens_gtfs_index {
	id_map agencies, stops, routes, trips, services, shapes;
};

/* ---- loading ------------------------------------------------------------- */

typedef struct gtfs_loader {
	grens_gtfs_feed *feed;
	gtfs_source *src;
	const grens_gtfs_options *opts;
	grens_diag *diag;
	grens_error *err;
	grens_arena *arena;
	struct grens_gtfs_index *index;
	/* interned strings ("" shared): map string -> index in interned */
	id_map strings;
	const char **interned;
	uint32_t interned_count, interned_cap;
	uint32_t service_cap, trip_cap;
	bool have_shapes;
} gtfs_loader;

/* stop_times.txt columns, shared with grens_gtfs_check. */
extern const csv_column gtfs_stop_times_cols[];
extern const size_t gtfs_stop_times_ncols;

/* Arena copy of s[0..len) ("" for empty); NULL on OOM. */
const char *loader_str(gtfs_loader *ld, const char *s, size_t len);
/* Interned copy: equal strings share one copy. */
const char *loader_intern(gtfs_loader *ld, const char *s, size_t len);

/* Grow a malloc'd array to hold at least need elements (doubling).
 * Returns 0 or GRENS_ENOMEM / GRENS_ELIMIT (more than GRENS_LIMIT_ROWS). */
int gtfs_reserve(void **arr, uint32_t *cap, size_t elem, uint64_t need);

/* Load a feed from an open source (which stays the caller's). */
int gtfs_load_source(grens_gtfs_feed **out, gtfs_source *src, const char *path,
		     const grens_gtfs_options *opts, grens_diag *diag, grens_error *err);
/* Limits from options (0 fields take the defaults of limits.h). */
gtfs_source_limits gtfs_limits_from_options(const grens_gtfs_options *opts);

int gtfs_load_stop_times(gtfs_loader *ld);
int gtfs_load_frequencies(gtfs_loader *ld);
void gtfs_service_dates(grens_gtfs_feed *feed);

/* Notice helpers. */
#define NOTICE_ERROR(ld, code, file, line, field, ...)                                            \
	grens_diag_add((ld)->diag, code, GRENS_SEVERITY_ERROR, file, line, field, __VA_ARGS__)
#define NOTICE_WARN(ld, code, file, line, field, ...)                                             \
	grens_diag_add((ld)->diag, code, GRENS_SEVERITY_WARNING, file, line, field, __VA_ARGS__)
#define NOTICE_INFO(ld, code, file, line, field, ...)                                             \
	grens_diag_add((ld)->diag, code, GRENS_SEVERITY_INFO, file, line, field, __VA_ARGS__)

/* Quote a field for a notice message: at most 40 bytes. */
int notice_value_len(uint32_t len);

#endif
