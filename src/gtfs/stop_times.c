/* stop_times.txt (the large table) and frequencies.txt.
 *
 * Rows are parsed straight into one growing array with a parallel trip
 * index; times and numbers are parsed without copies. Afterwards rows are
 * grouped by trip and sorted by stop_sequence (only when the file is not
 * already in that order), then each trip is checked and its empty times are
 * interpolated. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define VAL(len) notice_value_len(len)

enum {
	ST_TRIP, ST_ARR, ST_DEP, ST_STOP, ST_SEQ, ST_HEADSIGN, ST_PICKUP, ST_DROP, ST_CPICKUP,
	ST_CDROP, ST_DIST, ST_TIMEPOINT, ST_LOC_GROUP, ST_LOC, ST_WIN_START, ST_WIN_END,
	ST_PICKUP_RULE, ST_DROP_RULE, ST_NCOLS
};
const csv_column gtfs_stop_times_cols[] = {
	[ST_TRIP] = { "trip_id", true },
	[ST_ARR] = { "arrival_time", false },
	[ST_DEP] = { "departure_time", false },
	[ST_STOP] = { "stop_id", true },
	[ST_SEQ] = { "stop_sequence", true },
	[ST_HEADSIGN] = { "stop_headsign", false },
	[ST_PICKUP] = { "pickup_type", false },
	[ST_DROP] = { "drop_off_type", false },
	[ST_CPICKUP] = { "continuous_pickup", false },
	[ST_CDROP] = { "continuous_drop_off", false },
	[ST_DIST] = { "shape_dist_traveled", false },
	[ST_TIMEPOINT] = { "timepoint", false },
	[ST_LOC_GROUP] = { "location_group_id", false },
	[ST_LOC] = { "location_id", false },
	[ST_WIN_START] = { "start_pickup_drop_off_window", false },
	[ST_WIN_END] = { "end_pickup_drop_off_window", false },
	[ST_PICKUP_RULE] = { "pickup_booking_rule_id", false },
	[ST_DROP_RULE] = { "drop_off_booking_rule_id", false },
};
const size_t gtfs_stop_times_ncols = ST_NCOLS;

_Static_assert(sizeof(grens_gtfs_stop_time) == 24, "a stop_times row takes 24 bytes");

/* Runs all frequencies.txt rows together may add (72 MB of trips): each
 * row is capped by limits.h, and many rows must not multiply that cap. */
#define FREQUENCY_TOTAL_RUNS (100u * GRENS_LIMIT_FREQUENCY_TRIPS)

/* Stops remembered per position within a trip for the lookup predictor. */
#define PREDICT_SLOTS 256

/* Bytes of the shortest usual stop_times.txt row ("t1,08:00:00,08:00:00,s1,1"
 * and its newline are 26), and the reservation when one by the file size
 * fails. */
#define STOP_TIME_MIN_ROW_BYTES 24u
#define STOP_TIME_FALLBACK_ROWS (8u << 20)

/* A removed row: its stop is set to this marker until compaction. */
#define REMOVED GRENS_NONE

/* ---- fast field parsers (fall back to the checked ones on anything odd) ---- */

static inline bool fast_time(const char *s, uint32_t len, int32_t *out)
{
	if (len < 7 || len > 9)
		return false;
	uint32_t hl = len - 6;
	const unsigned char *r = (const unsigned char *)s + hl;
	if (r[0] != ':' || r[3] != ':')
		return false;
	unsigned h = 0;
	for (uint32_t i = 0; i < hl; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return false;
		h = h * 10 + d;
	}
	unsigned m1 = r[1] - '0', m2 = r[2] - '0', s1 = r[4] - '0', s2 = r[5] - '0';
	if (m1 > 5 || m2 > 9 || s1 > 5 || s2 > 9 || h > GRENS_LIMIT_MAX_HOURS)
		return false;
	*out = (int32_t)(h * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2);
	return true;
}

static inline bool fast_u32(const char *s, uint32_t len, uint32_t *out)
{
	if (len == 0 || len > 9)
		return false;
	uint32_t v = 0;
	for (uint32_t i = 0; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Plain decimals like "12.345"; anything else goes to strtod. */
static inline bool fast_float(const char *s, uint32_t len, double *out)
{
	static const double scale[] = { 1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9 };
	if (len == 0 || len > 18)
		return false;
	uint64_t v = 0;
	uint32_t i = 0, frac = 0;
	bool dot = false;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d <= 9) {
			v = v * 10 + d;
			if (dot)
				frac++;
		} else if (s[i] == '.' && !dot) {
			dot = true;
		} else {
			return false;
		}
	}
	if (frac > 9 || (dot && len == 1))
		return false;
	*out = (double)v * scale[frac];
	return true;
}

/* A small enum field: "" -> dflt, "0".."max" fast, else the checked parser. */
static inline int small_enum(table *t, int col, int64_t max, int64_t dflt, uint8_t *out)
{
	uint32_t len;
	const char *s = fld(t, col, &len);
	if (len == 0) {
		*out = (uint8_t)dflt;
		return 0;
	}
	if (len == 1 && s[0] >= '0' && s[0] <= '0' + max) {
		*out = (uint8_t)(s[0] - '0');
		return 0;
	}
	int64_t v;
	if (fld_int(t, col, 0, max, dflt, &v) < 0) {
		*out = (uint8_t)dflt;
		return -1;
	}
	*out = (uint8_t)v;
	return 0;
}

/* Consecutive rows of one trip, as read. A clean run is one that
 * check_trip would leave as it is: every row has times, and stop_sequence,
 * the times and the given distances all increase (checked row by row as
 * the rows are read, while they are still in cache). */
typedef struct st_run {
	uint32_t trip, start;
	bool clean;
} st_run;

typedef struct st_work {
	/* Trip of each row. While the file keeps each trip's rows together this
	 * stays NULL and runs describe the rows instead. */
	uint32_t *trip;
	st_run *runs;
	uint32_t run_count, run_cap;
	bool runs_sorted; /* stop_sequence increases within every run */
	/* Physical line per row, for notices. While rows sit on consecutive
	 * lines (no blank lines, quoted newlines or skipped rows) the line is
	 * first_line + row and this stays NULL. */
	uint32_t *line;
	uint32_t first_line;
	uint32_t tcap, lcap;
	uint32_t *scratch; /* one trip's lines in check_trip */
	uint32_t scratch_cap;
	id_map headsigns; /* stop_headsign text -> index in feed->stop_headsigns */
	uint32_t headsign_cap;
	uint32_t last_headsign; /* index of the previous row's, to skip the lookup */
} st_work;

/* Index of a stop_headsign in the feed's table, added when new; 0 for "".
 * Returns 0 or GRENS_ENOMEM. */
static int headsign_index(gtfs_loader *ld, st_work *w, const table *t, const char *s,
			  uint32_t len, uint32_t *out)
{
	grens_gtfs_feed *f = ld->feed;
	*out = 0;
	if (!len)
		return 0;
	const char *last = f->stop_headsigns[w->last_headsign];
	if (id_equal(last, s, len)) {
		*out = w->last_headsign;
		return 0;
	}
	uint32_t i = id_map_find(&w->headsigns, s, len);
	if (i == GRENS_NONE) {
		if (f->stop_headsign_count > GRENS_GTFS_STOP_HEADSIGNS_MAX) {
			NOTICE_WARN(ld, "too_many_distinct_values", t->file, t->r.line,
				    "stop_headsign",
				    "more than %u distinct stop_headsign values: \"%.*s\" dropped",
				    GRENS_GTFS_STOP_HEADSIGNS_MAX, VAL(len), s);
			return 0;
		}
		const char *copy = loader_str(ld, s, len);
		if (!copy ||
		    gtfs_reserve((void **)&f->stop_headsigns, &w->headsign_cap,
				 sizeof(*f->stop_headsigns), (uint64_t)f->stop_headsign_count + 1) ||
		    id_map_add(&w->headsigns, copy, len, f->stop_headsign_count, NULL) < 0)
			return GRENS_ENOMEM;
		i = f->stop_headsign_count;
		f->stop_headsigns[f->stop_headsign_count++] = copy;
	}
	w->last_headsign = i;
	*out = i;
	return 0;
}

/* Give every row so far its trip from the runs: needed once a trip's rows
 * turn out not to be together. */
static int materialize_trips(st_work *w, uint32_t rows, uint32_t cap)
{
	if (w->trip)
		return 0;
	int rc = gtfs_reserve((void **)&w->trip, &w->tcap, sizeof(*w->trip), cap ? cap : 1);
	if (rc)
		return rc;
	for (uint32_t r = 0; r < w->run_count; r++) {
		uint32_t end = r + 1 < w->run_count ? w->runs[r + 1].start : rows;
		for (uint32_t i = w->runs[r].start; i < end; i++)
			w->trip[i] = w->runs[r].trip;
	}
	return 0;
}

/* Give every row so far its line: needed once rows stop being on
 * consecutive lines, or before rows are reordered. */
static int materialize_lines(st_work *w, uint32_t rows, uint32_t cap)
{
	if (w->line)
		return 0;
	int rc = gtfs_reserve((void **)&w->line, &w->lcap, sizeof(*w->line), cap ? cap : 1);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < rows; i++)
		w->line[i] = w->first_line + i;
	return 0;
}

static int read_rows(gtfs_loader *ld, table *t, st_work *w)
{
	grens_gtfs_feed *f = ld->feed;
	uint32_t cap = 0;
	int rc;
	/* Reserve for rows of at least STOP_TIME_MIN_ROW_BYTES: pages never
	 * written cost nothing, and an array that need not grow keeps its huge
	 * pages (moving it with mremap splits them, and later random reads of
	 * the rows miss the TLB). The size may come from a zip header that
	 * lies: when the reservation fails, a capped one is tried, which grows
	 * from the bytes actually read. */
	uint64_t size = table_size(t);
	uint64_t est = size / STOP_TIME_MIN_ROW_BYTES + 1024;
	rc = gtfs_reserve((void **)&f->stop_times, &cap, sizeof(*f->stop_times), est);
	if (rc && est > STOP_TIME_FALLBACK_ROWS)
		rc = gtfs_reserve((void **)&f->stop_times, &cap, sizeof(*f->stop_times),
				  STOP_TIME_FALLBACK_ROWS);
	if (rc)
		return grens_error_set(ld->err, rc, "out of memory reserving stop_times");
	bool has_dist = fld_has_column(t, ST_DIST);
	const id_map *stops_map = &ld->index->stops, *trips_map = &ld->index->trips;
	const char *last_trip = NULL;
	uint32_t last_trip_len = 0, last_trip_row = GRENS_NONE;
	uint32_t predicted[PREDICT_SLOTS];
	uint32_t prev_row_trip = GRENS_NONE, row_in_trip = 0;
	memset(predicted, 0xff, sizeof(predicted));
	uint32_t n = 0;
	float run_dist = NAN; /* the current run's last given distance */
	w->runs_sorted = true;
	for (rc = table_next(t); rc == 1; rc = table_next(t)) {
		uint32_t tl, sl, ql;
		const char *tid = fld(t, ST_TRIP, &tl);
		const char *sid = fld(t, ST_STOP, &sl);
		const char *seq = fld(t, ST_SEQ, &ql);
		if (!tl || !sl || !ql) {
			NOTICE_ERROR(ld, "missing_required_field", t->file, t->r.line,
				     !tl ? "trip_id" : !sl ? "stop_id" : "stop_sequence",
				     "required value is empty: row skipped");
			table_skip(t);
			continue;
		}
		uint32_t trip;
		if (last_trip && tl == last_trip_len && id_equal(last_trip, tid, tl)) {
			trip = last_trip_row;
		} else {
			/* stop_times.txt usually follows the order of trips.txt. */
			uint32_t next = last_trip_row + 1;
			const char *cand = next < f->trip_count ? f->trips[next].id : NULL;
			if (cand && id_equal(cand, tid, tl))
				trip = next;
			else
				trip = id_map_find(trips_map, tid, tl);
			if (trip == GRENS_NONE) {
				NOTICE_ERROR(ld, "foreign_key_violation", t->file, t->r.line,
					     "trip_id", "unknown trip_id \"%.*s\": row skipped",
					     VAL(tl), tid);
				table_skip(t);
				continue;
			}
			last_trip = f->trips[trip].id;
			last_trip_len = tl;
			last_trip_row = trip;
		}
		/* Consecutive trips of a route usually visit the same stops in the
		 * same order: try the stop seen at this position of the previous
		 * trip before hashing. */
		uint32_t pos = trip == prev_row_trip ? row_in_trip + 1 : 0;
		prev_row_trip = trip;
		row_in_trip = pos;
		uint32_t stop = GRENS_NONE;
		if (pos < PREDICT_SLOTS && predicted[pos] < f->stop_count) {
			const char *cand = f->stops[predicted[pos]].id;
			if (id_equal(cand, sid, sl))
				stop = predicted[pos];
		}
		if (stop == GRENS_NONE) {
			stop = id_map_find(stops_map, sid, sl);
			if (pos < PREDICT_SLOTS)
				predicted[pos] = stop;
		}
		if (stop == GRENS_NONE) {
			NOTICE_ERROR(ld, "foreign_key_violation", t->file, t->r.line, "stop_id",
				     "unknown stop_id \"%.*s\": row skipped", VAL(sl), sid);
			table_skip(t);
			continue;
		}
		if (f->stops[stop].location_type != 0)
			NOTICE_ERROR(ld, "location_with_unexpected_stop_time", t->file, t->r.line,
				     "stop_id", "\"%.*s\" has location_type %u, not a stop or platform",
				     VAL(sl), sid, f->stops[stop].location_type);
		uint32_t sequence;
		if (!fast_u32(seq, ql, &sequence)) {
			int64_t v;
			if (fld_int(t, ST_SEQ, 0, UINT32_MAX - 1, 0, &v) < 0) {
				table_skip(t);
				continue;
			}
			sequence = (uint32_t)v;
		}
		int32_t arr = GRENS_TIME_NONE, dep = GRENS_TIME_NONE;
		uint32_t al, dl;
		const char *as = fld(t, ST_ARR, &al);
		const char *ds = fld(t, ST_DEP, &dl);
		if ((al && !fast_time(as, al, &arr) && fld_time(t, ST_ARR, &arr) < 0) ||
		    (dl && !fast_time(ds, dl, &dep) && fld_time(t, ST_DEP, &dep) < 0)) {
			table_skip(t);
			continue;
		}
		if (arr == GRENS_TIME_NONE && dep != GRENS_TIME_NONE)
			arr = dep;
		else if (dep == GRENS_TIME_NONE && arr != GRENS_TIME_NONE)
			dep = arr;
		if (dep < arr) {
			NOTICE_ERROR(ld, "stop_time_with_departure_before_arrival_time", t->file,
				     t->r.line, "departure_time",
				     "departure is before arrival: row skipped");
			table_skip(t);
			continue;
		}
		uint8_t pickup, drop, timepoint;
		small_enum(t, ST_PICKUP, 3, 0, &pickup);
		small_enum(t, ST_DROP, 3, 0, &drop);
		small_enum(t, ST_TIMEPOINT, 1, arr != GRENS_TIME_NONE, &timepoint);
		if (timepoint == 1 && arr == GRENS_TIME_NONE) {
			NOTICE_WARN(ld, "stop_time_timepoint_without_times", t->file, t->r.line,
				    "timepoint", "timepoint 1 without times: interpolated");
			timepoint = 0;
		}
		double dist = NAN;
		if (has_dist) {
			uint32_t xl;
			const char *xs = fld(t, ST_DIST, &xl);
			if (xl && !fast_float(xs, xl, &dist) &&
			    fld_double(t, ST_DIST, 0, 1e12, &dist) < 0)
				dist = NAN;
		}
		uint32_t hl;
		const char *hs = fld(t, ST_HEADSIGN, &hl);
		uint32_t headsign;
		if (headsign_index(ld, w, t, hs, hl, &headsign)) {
			rc = grens_error_set(ld->err, GRENS_ENOMEM, "out of memory");
			break;
		}
		if (n == cap) {
			/* Re-estimate from the bytes consumed so far. */
			uint64_t want = (uint64_t)n + 1;
			if (n > 1000 && t->r.bytes_read && size > t->r.bytes_read)
				want = (uint64_t)((double)n * ((double)size / (double)t->r.bytes_read) *
						  1.02) + 1024;
			rc = gtfs_reserve((void **)&f->stop_times, &cap, sizeof(*f->stop_times),
					  want);
			if (!rc && w->trip)
				rc = gtfs_reserve((void **)&w->trip, &w->tcap, sizeof(*w->trip), want);
			if (!rc && w->line)
				rc = gtfs_reserve((void **)&w->line, &w->lcap, sizeof(*w->line), want);
			if (rc) {
				grens_error_at(ld->err, t->file, t->r.line, 0, NULL);
				rc = grens_error_set(ld->err, rc, "stop_times.txt: cannot hold %u rows",
						     n + 1);
				break;
			}
		}
		/* One store of the whole row (not a read-modify-write per bit-field). */
		grens_gtfs_stop_time *st = &f->stop_times[n];
		*st = (grens_gtfs_stop_time){
			.arrival = arr,
			.departure = dep,
			.stop = stop,
			.sequence = sequence,
			.shape_dist_traveled = (float)dist,
			.pickup_type = pickup & 3u,
			.drop_off_type = drop & 3u,
			.timepoint = timepoint & 1u,
			.interpolated = 0,
			.headsign = headsign & GRENS_GTFS_STOP_HEADSIGNS_MAX,
		};
		if (!w->trip && (n == 0 || trip != w->runs[w->run_count - 1].trip)) {
			if (f->trips[trip].stop_time_count > 0) {
				/* This trip's rows came earlier, apart from these. */
				rc = materialize_trips(w, n, cap);
			} else {
				rc = gtfs_reserve((void **)&w->runs, &w->run_cap, sizeof(*w->runs),
						  (uint64_t)w->run_count + 1);
				if (!rc)
					w->runs[w->run_count++] =
						(st_run){ trip, n, arr != GRENS_TIME_NONE };
			}
			if (rc) {
				rc = grens_error_set(ld->err, rc, "out of memory");
				break;
			}
		} else if (!w->trip) {
			/* The run goes on: compare with its previous row (see st_run). */
			const grens_gtfs_stop_time *prev = st - 1;
			st_run *run = &w->runs[w->run_count - 1];
			if (sequence <= prev->sequence) {
				w->runs_sorted = false;
				run->clean = false;
			}
			if (arr == GRENS_TIME_NONE || arr < prev->departure)
				run->clean = false;
			if (!isnan(st->shape_dist_traveled)) {
				if (!isnan(run_dist) && !(st->shape_dist_traveled > run_dist))
					run->clean = false;
				run_dist = st->shape_dist_traveled;
			}
		}
		if (!w->trip && w->runs[w->run_count - 1].start == n)
			run_dist = st->shape_dist_traveled;
		if (w->trip)
			w->trip[n] = trip;
		f->trips[trip].stop_time_count++; /* marks the trip as seen */
		if (n == 0)
			w->first_line = t->r.line;
		if (!w->line && t->r.line != w->first_line + n) {
			rc = materialize_lines(w, n, cap);
			if (rc) {
				rc = grens_error_set(ld->err, rc, "out of memory");
				break;
			}
		}
		if (w->line)
			w->line[n] = t->r.line;
		n++;
		if ((n & 0xFFFFF) == 0)
			grens_progress_report(&ld->opts->progress, "stop_times", n, 0);
	}
	if (rc < 0)
		return rc;
	f->stop_time_count = n;
	return 0;
}

static int cmp_by_trip_seq(const void *a, const void *b, void *ctx)
{
	const grens_gtfs_stop_time *st = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	if (st[x].sequence != st[y].sequence)
		return st[x].sequence < st[y].sequence ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Group rows by trip (stable counting sort) and sort each trip by
 * stop_sequence, unless the file is already in that order. Sets each trip's
 * first_stop_time and stop_time_count. */
static int group_rows(gtfs_loader *ld, st_work *w)
{
	grens_gtfs_feed *f = ld->feed;
	uint32_t n = f->stop_time_count;
	bool grouped = true, sorted = true;
	for (uint32_t t = 0; t < f->trip_count; t++)
		f->trips[t].stop_time_count = 0;
	if (!w->trip) {
		/* Each trip's rows are together, and their order was checked as
		 * they were read. */
		for (uint32_t r = 0; r < w->run_count; r++) {
			uint32_t start = w->runs[r].start;
			uint32_t end = r + 1 < w->run_count ? w->runs[r + 1].start : n;
			grens_gtfs_trip *tr = &f->trips[w->runs[r].trip];
			tr->first_stop_time = start;
			tr->stop_time_count = end - start;
		}
		if (w->runs_sorted)
			return 0;
		if (materialize_trips(w, n, n))
			return grens_error_set(ld->err, GRENS_ENOMEM,
					       "out of memory sorting stop_times");
		for (uint32_t t = 0; t < f->trip_count; t++)
			f->trips[t].stop_time_count = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		grens_gtfs_trip *tr = &f->trips[w->trip[i]];
		if (tr->stop_time_count == 0) {
			tr->first_stop_time = i;
		} else if (i == 0 || w->trip[i - 1] != w->trip[i]) {
			grouped = false;
		} else if (f->stop_times[i - 1].sequence >= f->stop_times[i].sequence) {
			sorted = false;
		}
		tr->stop_time_count++;
	}
	if (grouped && sorted)
		return 0;
	if (materialize_lines(w, n, n))
		return grens_error_set(ld->err, GRENS_ENOMEM, "out of memory sorting stop_times");
	uint32_t *order = malloc((size_t)(n ? n : 1) * sizeof(*order));
	grens_gtfs_stop_time *dst = malloc((size_t)(n ? n : 1) * sizeof(*dst));
	uint32_t *tdst = malloc((size_t)(n ? n : 1) * sizeof(*tdst));
	uint32_t *ldst = malloc((size_t)(n ? n : 1) * sizeof(*ldst));
	if (!order || !dst || !tdst || !ldst) {
		free(order);
		free(dst);
		free(tdst);
		free(ldst);
		return grens_error_set(ld->err, GRENS_ENOMEM, "out of memory sorting stop_times");
	}
	/* Counting sort: first_stop_time becomes the start offset of each trip. */
	uint32_t off = 0;
	for (uint32_t t = 0; t < f->trip_count; t++) {
		f->trips[t].first_stop_time = off;
		off += f->trips[t].stop_time_count;
		f->trips[t].stop_time_count = 0;
	}
	for (uint32_t i = 0; i < n; i++) {
		grens_gtfs_trip *tr = &f->trips[w->trip[i]];
		order[tr->first_stop_time + tr->stop_time_count++] = i;
	}
	for (uint32_t t = 0; t < f->trip_count; t++) {
		grens_gtfs_trip *tr = &f->trips[t];
		uint32_t *o = order + tr->first_stop_time;
		bool in_order = true;
		for (uint32_t k = 1; k < tr->stop_time_count && in_order; k++)
			in_order = f->stop_times[o[k - 1]].sequence < f->stop_times[o[k]].sequence;
		if (!in_order)
			qsort_r(o, tr->stop_time_count, sizeof(*o), cmp_by_trip_seq, f->stop_times);
	}
	for (uint32_t i = 0; i < n; i++) {
		dst[i] = f->stop_times[order[i]];
		tdst[i] = w->trip[order[i]];
		ldst[i] = w->line[order[i]];
	}
	free(order);
	free(f->stop_times);
	free(w->trip);
	free(w->line);
	f->stop_times = dst;
	w->trip = tdst;
	w->line = ldst;
	return 0;
}

/* Fill empty times between timepoints a and b (rows of one trip) in
 * proportion to distance: shape_dist_traveled when every row in between has
 * it, else straight-line distance between consecutive stops, else evenly. */
static void interpolate_gap(grens_gtfs_feed *f, grens_gtfs_stop_time *st, uint32_t a, uint32_t b)
{
	double t0 = st[a].departure, t1 = st[b].arrival;
	bool by_shape = true, by_geo = true;
	for (uint32_t k = a; k <= b; k++) {
		if (isnan(st[k].shape_dist_traveled) ||
		    (k > a && !(st[k].shape_dist_traveled > st[k - 1].shape_dist_traveled)))
			by_shape = false;
		const grens_gtfs_stop *s = &f->stops[st[k].stop];
		if (isnan(s->lat) || isnan(s->lon))
			by_geo = false;
	}
	double total = 0;
	if (by_shape) {
		total = (double)st[b].shape_dist_traveled - (double)st[a].shape_dist_traveled;
	} else if (by_geo) {
		for (uint32_t k = a + 1; k <= b; k++) {
			const grens_gtfs_stop *p = &f->stops[st[k - 1].stop], *q = &f->stops[st[k].stop];
			total += grens_geo_distance_m(p->lat, p->lon, q->lat, q->lon);
		}
	}
	if (!(total > 0)) {
		by_shape = by_geo = false;
		total = (double)(b - a);
	}
	double run = 0;
	for (uint32_t k = a + 1; k < b; k++) {
		if (by_shape) {
			run = (double)st[k].shape_dist_traveled - (double)st[a].shape_dist_traveled;
		} else if (by_geo) {
			const grens_gtfs_stop *p = &f->stops[st[k - 1].stop], *q = &f->stops[st[k].stop];
			run += grens_geo_distance_m(p->lat, p->lon, q->lat, q->lon);
		} else {
			run = (double)(k - a);
		}
		int32_t v = (int32_t)lround(t0 + (t1 - t0) * (run / total));
		st[k].arrival = st[k].departure = v;
		st[k].interpolated = 1;
		st[k].timepoint = 0;
	}
}

/* Move the kept rows of a block to its front; returns how many remain. */
static uint32_t compact_block(grens_gtfs_stop_time *st, uint32_t *line, uint32_t count)
{
	uint32_t wpos = 0;
	for (uint32_t k = 0; k < count; k++) {
		if (st[k].stop == REMOVED)
			continue;
		if (wpos != k) {
			st[wpos] = st[k];
			line[wpos] = line[k];
		}
		wpos++;
	}
	return wpos;
}

/* Check and repair one trip's rows [first, first+count): duplicate
 * sequences, missing edge times, distances not increasing, times going
 * backwards; then interpolate empty times. Kept rows end up at the front of
 * the block; returns their number. */
static uint32_t check_trip(gtfs_loader *ld, st_work *w, uint32_t trip, uint32_t first,
			   uint32_t count)
{
	grens_gtfs_feed *f = ld->feed;
	grens_gtfs_stop_time *st = f->stop_times + first;
	uint32_t *line = w->scratch; /* sized by finish_trips */
	for (uint32_t k = 0; k < count; k++)
		line[k] = w->line ? w->line[first + k] : w->first_line + first + k;
	const char *file = "stop_times.txt";
	const char *trip_id = f->trips[trip].id;
	uint32_t n = count;
	for (uint32_t k = 1, prev = 0; k < n; k++) {
		if (st[k].sequence == st[prev].sequence) {
			NOTICE_ERROR(ld, "duplicate_key", file, line[k], "stop_sequence",
				     "trip \"%.40s\" already has stop_sequence %u: row skipped",
				     trip_id, st[k].sequence);
			st[k].stop = REMOVED;
			continue;
		}
		prev = k;
	}
	n = compact_block(st, line, n);
	if (n == 0)
		goto out;
	if (st[0].arrival == GRENS_TIME_NONE || st[n - 1].arrival == GRENS_TIME_NONE) {
		uint32_t k = st[0].arrival == GRENS_TIME_NONE ? 0 : n - 1;
		NOTICE_ERROR(ld, "missing_trip_edge", file, line[k], "arrival_time",
			     "trip \"%.40s\" has no time at its %s stop: trip dropped", trip_id,
			     k == 0 ? "first" : "last");
		n = 0;
		goto out;
	}
	float prev_dist = NAN;
	for (uint32_t k = 0; k < n; k++) {
		if (isnan(st[k].shape_dist_traveled))
			continue;
		if (!isnan(prev_dist) && !(st[k].shape_dist_traveled > prev_dist)) {
			NOTICE_ERROR(ld, "decreasing_or_equal_stop_time_distance", file, line[k],
				     "shape_dist_traveled",
				     "%g after %g in trip \"%.40s\": distance ignored",
				     (double)st[k].shape_dist_traveled, (double)prev_dist, trip_id);
			st[k].shape_dist_traveled = NAN;
			continue;
		}
		prev_dist = st[k].shape_dist_traveled;
	}
	int32_t prev_dep = GRENS_TIME_NONE;
	for (uint32_t k = 0; k < n; k++) {
		if (st[k].arrival == GRENS_TIME_NONE)
			continue;
		if (prev_dep != GRENS_TIME_NONE && st[k].arrival < prev_dep) {
			bool last = k == n - 1;
			NOTICE_ERROR(ld, "stop_time_with_arrival_before_previous_departure_time", file,
				     line[k], "arrival_time",
				     "arrival is before the previous departure in trip \"%.40s\": %s",
				     trip_id, last ? "trip dropped" : "row skipped");
			if (last) {
				n = 0;
				goto out;
			}
			st[k].stop = REMOVED;
			continue;
		}
		prev_dep = st[k].departure;
	}
	n = compact_block(st, line, n);
	if (ld->opts->interpolate) {
		uint32_t a = 0;
		for (uint32_t k = 1; k < n; k++) {
			if (st[k].arrival == GRENS_TIME_NONE)
				continue;
			if (k > a + 1)
				interpolate_gap(f, st, a, k);
			a = k;
		}
	}
out:
	f->counts.rows_skipped += count - n;
	return n;
}

/* Check every trip and squeeze removed rows out; trips' blocks move. */
static int finish_trips(gtfs_loader *ld, st_work *w)
{
	grens_gtfs_feed *f = ld->feed;
	uint32_t wpos = 0;
	/* Blocks in array order, so compaction never overwrites unread rows:
	 * the runs when rows were read grouped, else row by row. */
	uint32_t i = 0, r = 0;
	while (i < f->stop_time_count) {
		bool clean = !w->trip && w->runs[r].clean;
		uint32_t t = w->trip ? w->trip[i] : w->runs[r++].trip;
		uint32_t count = f->trips[t].stop_time_count;
		if (gtfs_reserve((void **)&w->scratch, &w->scratch_cap, sizeof(*w->scratch), count))
			return grens_error_set(ld->err, GRENS_ENOMEM, "out of memory");
		/* A clean run needs no check and no interpolation: its rows are
		 * not read again. */
		uint32_t kept = clean ? count : check_trip(ld, w, t, i, count);
		if (wpos != i && kept)
			memmove(f->stop_times + wpos, f->stop_times + i,
				(size_t)kept * sizeof(*f->stop_times));
		f->trips[t].first_stop_time = kept ? wpos : 0;
		f->trips[t].stop_time_count = kept;
		wpos += kept;
		i += count;
	}
	f->stop_time_count = wpos;
	f->counts.stop_times = wpos;
	for (uint32_t t = 0; t < f->trip_count; t++) {
		grens_gtfs_trip *tr = &f->trips[t];
		if (tr->stop_time_count == 0)
			tr->first_stop_time = 0; /* a trip without rows keeps no stale offset */
		if (tr->stop_time_count < 2)
			NOTICE_WARN(ld, "unusable_trip", "trips.txt", 0, "trip_id",
				    "trip \"%.40s\" has %u stop times", tr->id, tr->stop_time_count);
	}
	return 0;
}

int gtfs_load_stop_times(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	st_work w;
	memset(&w, 0, sizeof(w));
	/* The table of stop_headsign texts starts with "" (index 0). */
	int rc = gtfs_reserve((void **)&f->stop_headsigns, &w.headsign_cap,
			      sizeof(*f->stop_headsigns), 1);
	if (rc)
		return grens_error_set(ld->err, rc, "out of memory");
	f->stop_headsigns[0] = "";
	f->stop_headsign_count = 1;
	rc = table_open(&t, ld, "stop_times.txt", gtfs_stop_times_cols, ST_NCOLS, true, &present);
	if (rc)
		goto done;
	rc = read_rows(ld, &t, &w);
	table_close(&t);
	if (rc)
		goto done;
	rc = group_rows(ld, &w);
	if (rc)
		goto done;
	rc = finish_trips(ld, &w);
	/* Give back the over-reservation. */
	if (!rc && f->stop_time_count) {
		grens_gtfs_stop_time *shrunk =
			realloc(f->stop_times, (size_t)f->stop_time_count * sizeof(*shrunk));
		if (shrunk)
			f->stop_times = shrunk;
	}
done:
	free(w.trip);
	free(w.line);
	free(w.scratch);
	free(w.runs);
	id_map_clear(&w.headsigns);
	return rc;
}

/* ---- frequencies --------------------------------------------------------- */

enum { FQ_TRIP, FQ_START, FQ_END, FQ_HEADWAY, FQ_EXACT };
static const csv_column frequency_cols[] = {
	[FQ_TRIP] = { "trip_id", true },
	[FQ_START] = { "start_time", true },
	[FQ_END] = { "end_time", true },
	[FQ_HEADWAY] = { "headway_secs", true },
	[FQ_EXACT] = { "exact_times", false },
};

typedef struct pending_frequency {
	grens_gtfs_frequency fq;
	uint32_t line;
} pending_frequency;

static int cmp_frequency(const void *a, const void *b)
{
	const pending_frequency *x = a, *y = b;
	if (x->fq.trip != y->fq.trip)
		return x->fq.trip < y->fq.trip ? -1 : 1;
	if (x->fq.start_time != y->fq.start_time)
		return x->fq.start_time < y->fq.start_time ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

/* Each frequencies row becomes runs every headway_secs from start_time
 * while before end_time. A trip's own row is its first run; further runs are
 * appended after the trips of trips.txt and share the template's
 * stop_times, shifted by time_offset. */
static int expand_frequencies(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	uint32_t i = 0;
	while (i < f->frequency_count) {
		uint32_t t = f->frequencies[i].trip;
		uint32_t j = i;
		while (j < f->frequency_count && f->frequencies[j].trip == t)
			j++;
		if (f->trips[t].stop_time_count < 2) {
			i = j;
			continue;
		}
		grens_gtfs_trip template = f->trips[t];
		int32_t base = f->stop_times[template.first_stop_time].departure;
		bool first_run = true;
		for (uint32_t k = i; k < j; k++) {
			const grens_gtfs_frequency *fq = &f->frequencies[k];
			uint32_t runs = 0;
			for (int64_t s = fq->start_time; s < fq->end_time; s += fq->headway_secs) {
				if (runs++ >= GRENS_LIMIT_FREQUENCY_TRIPS) {
					NOTICE_WARN(ld, "number_out_of_range", "frequencies.txt", 0,
						    "headway_secs",
						    "trip \"%.40s\": more than %u runs, the rest dropped",
						    template.id, GRENS_LIMIT_FREQUENCY_TRIPS);
					break;
				}
				if (f->trip_count - f->counts.trips >= FREQUENCY_TOTAL_RUNS) {
					NOTICE_WARN(ld, "number_out_of_range", "frequencies.txt", 0,
						    "headway_secs",
						    "more than %u runs in all: expansion stopped",
						    FREQUENCY_TOTAL_RUNS);
					return 0;
				}
				grens_gtfs_trip run = template;
				run.frequency = k;
				run.frequency_start = (int32_t)s;
				run.time_offset = (int32_t)(s - base);
				if (first_run) {
					f->trips[t] = run;
					first_run = false;
					continue;
				}
				int rc = gtfs_reserve((void **)&f->trips, &ld->trip_cap,
						      sizeof(*f->trips), (uint64_t)f->trip_count + 1);
				if (rc) {
					grens_error_at(ld->err, "frequencies.txt", 0, 0, NULL);
					return grens_error_set(ld->err, rc,
							       "cannot hold %u expanded trips",
							       f->trip_count + 1);
				}
				f->trips[f->trip_count++] = run;
			}
		}
		i = j;
	}
	return 0;
}

int gtfs_load_frequencies(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	pending_frequency *pend = NULL;
	uint32_t n = 0, cap = 0, fcap = 0;
	int rc = table_open(&t, ld, "frequencies.txt", frequency_cols, 5, false, &present);
	if (rc || !present) {
		if (rc == GRENS_EFORMAT) {
			grens_error_clear(ld->err);
			return 0;
		}
		return rc;
	}
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t tl;
		const char *tid = fld_required(&t, FQ_TRIP, &tl);
		if (!tid) {
			table_skip(&t);
			continue;
		}
		uint32_t trip = id_map_find(&ld->index->trips, tid, tl);
		if (trip == GRENS_NONE) {
			NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line, "trip_id",
				     "unknown trip_id \"%.*s\": row skipped", VAL(tl), tid);
			table_skip(&t);
			continue;
		}
		int32_t start, end;
		int64_t headway, exact;
		int rs = fld_time(&t, FQ_START, &start), re = fld_time(&t, FQ_END, &end);
		int rh = fld_int(&t, FQ_HEADWAY, 1, 86400, 0, &headway);
		int rx = fld_int(&t, FQ_EXACT, 0, 1, 0, &exact);
		if (rs == 1 || re == 1 || rh == 1)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     rs == 1 ? "start_time" : re == 1 ? "end_time" : "headway_secs",
				     "required value is empty: row skipped");
		if (rs || re || rh || rx < 0) {
			table_skip(&t);
			continue;
		}
		if (end <= start) {
			NOTICE_ERROR(ld, "start_and_end_range_out_of_order", t.file, t.r.line,
				     "end_time", "end_time is not after start_time: row skipped");
			table_skip(&t);
			continue;
		}
		rc = gtfs_reserve((void **)&pend, &cap, sizeof(*pend), (uint64_t)n + 1);
		if (rc) {
			rc = grens_error_set(ld->err, rc, "out of memory");
			break;
		}
		pend[n].fq = (grens_gtfs_frequency){ trip, start, end, (int32_t)headway,
						     (uint8_t)exact };
		pend[n].line = t.r.line;
		n++;
	}
	table_close(&t);
	if (rc < 0)
		goto done;
	rc = 0;
	if (n == 0)
		goto done;
	qsort(pend, n, sizeof(*pend), cmp_frequency);
	rc = gtfs_reserve((void **)&f->frequencies, &fcap, sizeof(*f->frequencies), n);
	if (rc) {
		rc = grens_error_set(ld->err, rc, "out of memory");
		goto done;
	}
	for (uint32_t i = 0; i < n; i++) {
		const grens_gtfs_frequency *prev =
			f->frequency_count ? &f->frequencies[f->frequency_count - 1] : NULL;
		if (prev && prev->trip == pend[i].fq.trip &&
		    pend[i].fq.start_time < prev->end_time) {
			NOTICE_ERROR(ld, "overlapping_frequency", "frequencies.txt", pend[i].line,
				     "start_time", "trip \"%.40s\": period overlaps another: skipped",
				     f->trips[pend[i].fq.trip].id);
			f->counts.rows_skipped++;
			continue;
		}
		f->frequencies[f->frequency_count++] = pend[i].fq;
	}
	f->counts.frequencies = f->frequency_count;
	if (ld->opts->expand_frequencies)
		rc = expand_frequencies(ld);
done:
	free(pend);
	return rc;
}
