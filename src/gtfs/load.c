/* grens_gtfs_load and grens_gtfs_check: the feed as a whole and the small
 * tables (agency, stops, routes, calendar, calendar_dates, shapes, trips,
 * transfers, feed_info). stop_times and frequencies are in stop_times.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grens_mem.h"
#include "table.h"

#define ARR(x) (sizeof(x) / sizeof((x)[0]))
#define HUGE_ARRAY_BYTES (16u << 20)
#define VAL(len) notice_value_len(len)
#define TRIP_RESERVE_MAX (4u << 20)

int gtfs_reserve(void **arr, uint32_t *cap, size_t elem, uint64_t need)
{
	if (need <= *cap)
		return 0;
	if (need > GRENS_LIMIT_ROWS)
		return GRENS_ELIMIT;
	uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 64;
	if (ncap < need)
		ncap = need;
	if (ncap > GRENS_LIMIT_ROWS)
		ncap = GRENS_LIMIT_ROWS;
	size_t bytes;
	if (grens_size_mul((size_t)ncap, elem, &bytes))
		return GRENS_ENOMEM;
	void *p = realloc(*arr, bytes);
	if (!p)
		return GRENS_ENOMEM;
	if (bytes >= HUGE_ARRAY_BYTES)
		grens_mem_advise_huge(p, bytes); /* large row arrays */
	*arr = p;
	*cap = (uint32_t)ncap;
	return 0;
}

const char *loader_str(gtfs_loader *ld, const char *s, size_t len)
{
	if (len == 0)
		return "";
	return grens_arena_strndup(ld->arena, s, len);
}

const char *loader_intern(gtfs_loader *ld, const char *s, size_t len)
{
	if (len == 0)
		return "";
	uint32_t row = id_map_find(&ld->strings, s, len);
	if (row != GRENS_NONE)
		return ld->interned[row];
	const char *copy = grens_arena_strndup(ld->arena, s, len);
	if (!copy)
		return NULL;
	if (gtfs_reserve((void **)&ld->interned, &ld->interned_cap, sizeof(*ld->interned),
			 (uint64_t)ld->interned_count + 1))
		return NULL;
	if (id_map_add(&ld->strings, copy, len, ld->interned_count, NULL) < 0)
		return NULL;
	ld->interned[ld->interned_count++] = copy;
	return copy;
}

/* A column of the current row as an arena copy ("" when empty; NULL on OOM). */
static const char *col_str(gtfs_loader *ld, const table *t, int col)
{
	uint32_t len;
	const char *v = fld(t, col, &len);
	return loader_str(ld, v, len);
}

/* The same, interned: repeated values share one copy. */
static const char *col_intern(gtfs_loader *ld, const table *t, int col)
{
	uint32_t len;
	const char *v = fld(t, col, &len);
	return loader_intern(ld, v, len);
}

static int oom(gtfs_loader *ld)
{
	return grens_error_set(ld->err, GRENS_ENOMEM, "out of memory");
}

static int grow_error(gtfs_loader *ld, int rc, const char *file)
{
	if (rc == GRENS_ELIMIT) {
		grens_error_at(ld->err, file, 0, 0, NULL);
		return grens_error_set(ld->err, GRENS_ELIMIT, "%s: more than %u rows", file,
				       GRENS_LIMIT_ROWS);
	}
	return oom(ld);
}

/* Add an id to a map; a duplicate gives duplicate_key. Returns 0 when
 * added, 1 for a duplicate (row to skip), negative on OOM. */
static int add_id(table *t, id_map *m, const char *id, uint32_t len, uint32_t row, int col,
		  const char **copy)
{
	/* Look before copying: the arena cannot give a copy back, so a file of
	 * repeated ids would otherwise grow the feed by every rejected row. */
	if (id_map_find(m, id, len) != GRENS_NONE) {
		NOTICE_ERROR(t->ld, "duplicate_key", t->file, t->r.line, t->cols[col].name,
			     "\"%.*s\" already defined: row skipped", VAL(len), id);
		return 1;
	}
	const char *s = loader_str(t->ld, id, len);
	if (!s || id_map_add(m, s, len, row, NULL) < 0)
		return oom(t->ld);
	*copy = s;
	return 0;
}

/* ---- agency -------------------------------------------------------------- */

enum { A_ID, A_NAME, A_URL, A_TZ, A_LANG, A_PHONE, A_FARE_URL, A_EMAIL };
static const csv_column agency_cols[] = {
	[A_ID] = { "agency_id", false },	[A_NAME] = { "agency_name", true },
	[A_URL] = { "agency_url", true },	[A_TZ] = { "agency_timezone", true },
	[A_LANG] = { "agency_lang", false },	[A_PHONE] = { "agency_phone", false },
	[A_FARE_URL] = { "agency_fare_url", false }, [A_EMAIL] = { "agency_email", false },
};

static int load_agency(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	uint32_t cap = 0;
	int rc = table_open(&t, ld, "agency.txt", agency_cols, ARR(agency_cols), true, &present);
	if (rc)
		return rc;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len, nl, ul, tl, ll;
		const char *id = fld(&t, A_ID, &len);
		const char *name = fld_required(&t, A_NAME, &nl);
		const char *url = fld_required(&t, A_URL, &ul);
		const char *tz = fld_required(&t, A_TZ, &tl);
		const char *lang = fld(&t, A_LANG, &ll);
		if (!name || !tz) {
			table_skip(&t);
			continue;
		}
		const char *idc = "";
		int a = add_id(&t, &ld->index->agencies, id, len, f->agency_count, A_ID, &idc);
		if (a < 0) {
			rc = a;
			break;
		}
		if (a == 1) {
			table_skip(&t);
			continue;
		}
		if (len == 0 && f->agency_count > 0)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line, "agency_id",
				     "agency_id is required when the feed has several agencies");
		rc = gtfs_reserve((void **)&f->agencies, &cap, sizeof(*f->agencies),
				  (uint64_t)f->agency_count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		grens_gtfs_agency *ag = &f->agencies[f->agency_count];
		ag->id = idc;
		ag->name = loader_str(ld, name, nl);
		ag->url = url ? loader_str(ld, url, ul) : "";
		ag->timezone = loader_str(ld, tz, tl);
		ag->lang = loader_str(ld, lang, ll);
		if (!ag->name || !ag->url || !ag->timezone || !ag->lang) {
			rc = oom(ld);
			break;
		}
		f->agency_count++;
	}
	table_close(&t);
	if (rc < 0)
		return rc;
	f->counts.agency = f->agency_count;
	/* Several agencies must all have ids; two timezones are an error too. */
	if (f->agency_count > 1 && ld->index->agencies.count &&
	    id_map_find(&ld->index->agencies, "", 0) != GRENS_NONE)
		NOTICE_WARN(ld, "missing_required_field", "agency.txt", 0, "agency_id",
			    "an agency without agency_id among %u agencies", f->agency_count);
	for (uint32_t i = 1; i < f->agency_count; i++)
		if (strcmp(f->agencies[i].timezone, f->agencies[0].timezone) != 0) {
			NOTICE_ERROR(ld, "inconsistent_agency_timezone", "agency.txt", 0,
				     "agency_timezone", "agencies use %s and %s",
				     f->agencies[0].timezone, f->agencies[i].timezone);
			break;
		}
	return 0;
}

/* ---- stops ---------------------------------------------------------------- */

enum {
	S_ID, S_CODE, S_NAME, S_DESC, S_LAT, S_LON, S_ZONE, S_URL, S_TYPE, S_PARENT, S_TZ,
	S_WHEEL, S_LEVEL, S_PLATFORM, S_TTS,
};
static const csv_column stop_cols[] = {
	[S_ID] = { "stop_id", true },		 [S_CODE] = { "stop_code", false },
	[S_NAME] = { "stop_name", false },	 [S_DESC] = { "stop_desc", false },
	[S_LAT] = { "stop_lat", false },	 [S_LON] = { "stop_lon", false },
	[S_ZONE] = { "zone_id", false },	 [S_URL] = { "stop_url", false },
	[S_TYPE] = { "location_type", false },	 [S_PARENT] = { "parent_station", false },
	[S_TZ] = { "stop_timezone", false },	 [S_WHEEL] = { "wheelchair_boarding", false },
	[S_LEVEL] = { "level_id", false },	 [S_PLATFORM] = { "platform_code", false },
	[S_TTS] = { "tts_stop_name", false },
};

static int load_stops(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	uint32_t cap = 0, pcap = 0;
	const char **parent_ids = NULL;
	uint32_t *parent_lines = NULL;
	uint32_t lcap = 0;
	int rc = table_open(&t, ld, "stops.txt", stop_cols, ARR(stop_cols), true, &present);
	if (rc)
		return rc;
	rc = gtfs_reserve((void **)&f->stops, &cap, sizeof(*f->stops), table_size(&t) / 64 + 16);
	if (rc) {
		rc = grow_error(ld, rc, t.file);
		goto done;
	}
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len;
		const char *id = fld_required(&t, S_ID, &len);
		if (!id) {
			table_skip(&t);
			continue;
		}
		int64_t type = 0, wheel = 0;
		if (fld_int(&t, S_TYPE, 0, 4, 0, &type) < 0)
			type = 0;
		if (fld_int(&t, S_WHEEL, 0, 2, 0, &wheel) < 0)
			wheel = 0;
		double lat = NAN, lon = NAN;
		int rlat = fld_double(&t, S_LAT, -90, 90, &lat);
		int rlon = fld_double(&t, S_LON, -180, 180, &lon);
		if (rlat < 0 || rlon < 0)
			lat = lon = NAN;
		if (type <= 2 && (rlat == 1 || rlon == 1)) {
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     rlat == 1 ? "stop_lat" : "stop_lon",
				     "coordinates are required for location_type %d", (int)type);
			lat = lon = NAN;
		}
		uint32_t nl;
		fld(&t, S_NAME, &nl);
		if (type <= 2 && nl == 0)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line, "stop_name",
				     "stop_name is required for location_type %d", (int)type);
		const char *idc;
		int a = add_id(&t, &ld->index->stops, id, len, f->stop_count, S_ID, &idc);
		if (a < 0) {
			rc = a;
			break;
		}
		if (a == 1) {
			table_skip(&t);
			continue;
		}
		rc = gtfs_reserve((void **)&f->stops, &cap, sizeof(*f->stops),
				  (uint64_t)f->stop_count + 1);
		if (!rc)
			rc = gtfs_reserve((void **)&parent_ids, &pcap, sizeof(*parent_ids),
					  (uint64_t)f->stop_count + 1);
		if (!rc)
			rc = gtfs_reserve((void **)&parent_lines, &lcap, sizeof(*parent_lines),
					  (uint64_t)f->stop_count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		grens_gtfs_stop *s = &f->stops[f->stop_count];
		s->id = idc;
		s->code = col_str(ld, &t, S_CODE);
		s->name = col_str(ld, &t, S_NAME);
		s->desc = col_str(ld, &t, S_DESC);
		s->zone_id = col_intern(ld, &t, S_ZONE);
		s->platform_code = col_str(ld, &t, S_PLATFORM);
		s->timezone = col_intern(ld, &t, S_TZ);
		parent_ids[f->stop_count] = col_str(ld, &t, S_PARENT);
		parent_lines[f->stop_count] = t.r.line;
		if (!s->code || !s->name || !s->desc || !s->zone_id || !s->platform_code ||
		    !s->timezone || !parent_ids[f->stop_count]) {
			rc = oom(ld);
			break;
		}
		s->lat = lat;
		s->lon = lon;
		s->parent = GRENS_NONE;
		s->location_type = (uint8_t)type;
		s->wheelchair_boarding = (uint8_t)wheel;
		bool has_parent = parent_ids[f->stop_count][0] != '\0';
		if (type == 1 && has_parent)
			NOTICE_ERROR(ld, "station_with_parent_station", t.file, t.r.line,
				     "parent_station", "a station cannot have a parent station");
		if (type >= 2 && !has_parent)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     "parent_station",
				     "parent_station is required for location_type %d", (int)type);
		f->stop_count++;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	for (uint32_t i = 0; i < f->stop_count; i++) {
		const char *p = parent_ids[i];
		if (!p[0])
			continue;
		uint32_t ps = id_map_find(&ld->index->stops, p, strlen(p));
		if (ps == GRENS_NONE) {
			NOTICE_ERROR(ld, "foreign_key_violation", "stops.txt", parent_lines[i],
				     "parent_station", "unknown stop_id \"%.40s\"", p);
			continue;
		}
		/* Stops, entrances and nodes belong to a station; boarding areas to a
		 * platform. The link is kept either way. */
		uint8_t want = f->stops[i].location_type == 4 ? 0 : 1;
		if (f->stops[i].location_type != 1 && f->stops[ps].location_type != want)
			NOTICE_WARN(ld, "wrong_parent_location_type", "stops.txt", parent_lines[i],
				    "parent_station", "parent \"%.40s\" has location_type %u, expected %u",
				    p, f->stops[ps].location_type, want);
		if (ps == i) {
			NOTICE_ERROR(ld, "foreign_key_violation", "stops.txt", parent_lines[i],
				     "parent_station", "stop is its own parent");
			continue;
		}
		f->stops[i].parent = ps;
	}
	f->counts.stops = f->stop_count;
done:
	free(parent_ids);
	free(parent_lines);
	table_close(&t);
	return rc;
}

/* ---- routes --------------------------------------------------------------- */

enum {
	R_ID, R_AGENCY, R_SHORT, R_LONG, R_DESC, R_TYPE, R_URL, R_COLOR, R_TEXT_COLOR, R_SORT,
	R_CPICKUP, R_CDROP, R_NETWORK,
};
static const csv_column route_cols[] = {
	[R_ID] = { "route_id", true },
	[R_AGENCY] = { "agency_id", false },
	[R_SHORT] = { "route_short_name", false },
	[R_LONG] = { "route_long_name", false },
	[R_DESC] = { "route_desc", false },
	[R_TYPE] = { "route_type", true },
	[R_URL] = { "route_url", false },
	[R_COLOR] = { "route_color", false },
	[R_TEXT_COLOR] = { "route_text_color", false },
	[R_SORT] = { "route_sort_order", false },
	[R_CPICKUP] = { "continuous_pickup", false },
	[R_CDROP] = { "continuous_drop_off", false },
	[R_NETWORK] = { "network_id", false },
};

/* Basic types 0-7, 11, 12 and the extended (Google "Hierarchical Vehicle
 * Type") codes in 100..1799. */
static bool route_type_valid(int64_t v)
{
	return (v >= 0 && v <= 7) || v == 11 || v == 12 || (v >= 100 && v <= 1799);
}

static int load_routes(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	uint32_t cap = 0;
	int rc = table_open(&t, ld, "routes.txt", route_cols, ARR(route_cols), true, &present);
	if (rc)
		return rc;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len, al;
		const char *id = fld_required(&t, R_ID, &len);
		if (!id) {
			table_skip(&t);
			continue;
		}
		int64_t type;
		int tr = fld_int(&t, R_TYPE, 0, 1799, -1, &type);
		if (tr == 1) {
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line, "route_type",
				     "route_type is empty: row skipped");
			table_skip(&t);
			continue;
		}
		if (tr < 0) {
			table_skip(&t);
			continue;
		}
		if (!route_type_valid(type)) {
			NOTICE_ERROR(ld, "number_out_of_range", t.file, t.r.line, "route_type",
				     "route_type %lld is neither basic nor extended: row skipped",
				     (long long)type);
			table_skip(&t);
			continue;
		}
		const char *aid = fld(&t, R_AGENCY, &al);
		uint32_t agency = GRENS_NONE;
		if (al) {
			agency = id_map_find(&ld->index->agencies, aid, al);
			if (agency == GRENS_NONE && f->agency_count == 1) {
				/* Only one agency it can mean: keep the route. */
				NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line,
					     "agency_id",
					     "unknown agency_id \"%.*s\": the feed's only agency used",
					     VAL(al), aid);
				agency = 0;
			} else if (agency == GRENS_NONE) {
				NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line,
					     "agency_id", "unknown agency_id \"%.*s\": row skipped",
					     VAL(al), aid);
				table_skip(&t);
				continue;
			}
		} else if (f->agency_count == 1) {
			agency = 0;
		} else {
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line, "agency_id",
				     "agency_id is required when the feed has %u agencies: row "
				     "skipped",
				     f->agency_count);
			table_skip(&t);
			continue;
		}
		uint32_t sl, ll;
		fld(&t, R_SHORT, &sl);
		fld(&t, R_LONG, &ll);
		if (sl == 0 && ll == 0)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     "route_short_name",
				     "route_short_name and route_long_name are both empty");
		const char *idc;
		int a = add_id(&t, &ld->index->routes, id, len, f->route_count, R_ID, &idc);
		if (a < 0) {
			rc = a;
			break;
		}
		if (a == 1) {
			table_skip(&t);
			continue;
		}
		rc = gtfs_reserve((void **)&f->routes, &cap, sizeof(*f->routes),
				  (uint64_t)f->route_count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		grens_gtfs_route *r = &f->routes[f->route_count];
		r->id = idc;
		r->short_name = col_str(ld, &t, R_SHORT);
		r->long_name = col_str(ld, &t, R_LONG);
		r->desc = col_str(ld, &t, R_DESC);
		r->color = col_intern(ld, &t, R_COLOR);
		r->text_color = col_intern(ld, &t, R_TEXT_COLOR);
		if (!r->short_name || !r->long_name || !r->desc || !r->color || !r->text_color) {
			rc = oom(ld);
			break;
		}
		r->agency = agency;
		r->type = (int32_t)type;
		f->route_count++;
	}
	table_close(&t);
	if (rc < 0)
		return rc;
	f->counts.routes = f->route_count;
	return 0;
}

/* ---- calendar and calendar_dates ------------------------------------------ */

enum { C_ID, C_MON, C_TUE, C_WED, C_THU, C_FRI, C_SAT, C_SUN, C_START, C_END };
static const csv_column calendar_cols[] = {
	[C_ID] = { "service_id", true },     [C_MON] = { "monday", true },
	[C_TUE] = { "tuesday", true },	     [C_WED] = { "wednesday", true },
	[C_THU] = { "thursday", true },	     [C_FRI] = { "friday", true },
	[C_SAT] = { "saturday", true },	     [C_SUN] = { "sunday", true },
	[C_START] = { "start_date", true },  [C_END] = { "end_date", true },
};

static int new_service(gtfs_loader *ld, table *t, const char *id, uint32_t len, uint32_t *out,
		       bool *dup)
{
	grens_gtfs_feed *f = ld->feed;
	/* Copy only a new id (as add_id): most calendar_dates rows name a
	 * service already known. */
	uint32_t prev = id_map_find(&ld->index->services, id, len);
	if (prev != GRENS_NONE) {
		*out = prev;
		*dup = true;
		return 0;
	}
	const char *copy = loader_str(ld, id, len);
	if (!copy || id_map_add(&ld->index->services, copy, len, f->service_count, NULL) < 0)
		return oom(ld);
	*dup = false;
	int rc = gtfs_reserve((void **)&f->services, &ld->service_cap, sizeof(*f->services),
			  (uint64_t)f->service_count + 1);
	if (rc)
		return grow_error(ld, rc, t->file);
	grens_gtfs_service *s = &f->services[f->service_count];
	memset(s, 0, sizeof(*s));
	s->id = copy;
	s->start_date = s->end_date = GRENS_DATE_NONE;
	*out = f->service_count++;
	return 0;
}

static int load_calendar(gtfs_loader *ld, bool *present)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	int rc = table_open(&t, ld, "calendar.txt", calendar_cols, ARR(calendar_cols), false,
			    present);
	if (rc || !*present)
		return rc;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len;
		const char *id = fld_required(&t, C_ID, &len);
		if (!id) {
			table_skip(&t);
			continue;
		}
		uint8_t days = 0;
		bool bad = false;
		for (int d = 0; d < 7; d++) {
			int64_t v;
			int r = fld_int(&t, C_MON + d, 0, 1, 0, &v);
			if (r == 1)
				NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
					     calendar_cols[C_MON + d].name, "empty weekday flag");
			if (r != 0)
				bad = true;
			else if (v)
				days |= (uint8_t)(1u << d);
		}
		grens_date start, end;
		int rs = fld_date(&t, C_START, &start), re = fld_date(&t, C_END, &end);
		if (rs == 1 || re == 1)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     rs == 1 ? "start_date" : "end_date", "empty date");
		if (bad || rs != 0 || re != 0) {
			table_skip(&t);
			continue;
		}
		if (end < start) {
			NOTICE_ERROR(ld, "start_and_end_range_out_of_order", t.file, t.r.line,
				     "end_date", "end_date is before start_date: row skipped");
			table_skip(&t);
			continue;
		}
		if (end - start >= (int32_t)GRENS_LIMIT_SERVICE_DAYS) {
			NOTICE_WARN(ld, "number_out_of_range", t.file, t.r.line, "end_date",
				    "range of %d days cut to %u", (int)(end - start + 1),
				    GRENS_LIMIT_SERVICE_DAYS);
			if (end > f->declared_last_date)
				f->declared_last_date = end;
			end = start + (int32_t)GRENS_LIMIT_SERVICE_DAYS - 1;
		}
		uint32_t sv;
		bool dup;
		rc = new_service(ld, &t, id, len, &sv, &dup);
		if (rc)
			break;
		if (dup) {
			NOTICE_ERROR(ld, "duplicate_key", t.file, t.r.line, "service_id",
				     "\"%.*s\" already defined: row skipped", VAL(len), id);
			table_skip(&t);
			continue;
		}
		grens_gtfs_service *s = &f->services[sv];
		s->has_calendar = true;
		s->weekdays = days;
		s->start_date = start;
		s->end_date = end;
		f->counts.calendar++;
	}
	table_close(&t);
	return rc < 0 ? rc : 0;
}

enum { CD_ID, CD_DATE, CD_TYPE };
static const csv_column calendar_dates_cols[] = {
	[CD_ID] = { "service_id", true },
	[CD_DATE] = { "date", true },
	[CD_TYPE] = { "exception_type", true },
};

typedef struct pending_exception {
	uint32_t service;
	uint32_t line;
	grens_date date;
	uint8_t type;
} pending_exception;

static int cmp_exception(const void *a, const void *b)
{
	const pending_exception *x = a, *y = b;
	if (x->service != y->service)
		return x->service < y->service ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int load_calendar_dates(gtfs_loader *ld, bool *present)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	pending_exception *pend = NULL;
	uint32_t count = 0, cap = 0;
	int rc = table_open(&t, ld, "calendar_dates.txt", calendar_dates_cols,
			    ARR(calendar_dates_cols), false, present);
	if (rc || !*present)
		return rc;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len;
		const char *id = fld_required(&t, CD_ID, &len);
		grens_date date;
		int64_t type;
		int rd = fld_date(&t, CD_DATE, &date);
		int rt = fld_int(&t, CD_TYPE, 1, 2, 0, &type);
		if (rd == 1)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line, "date",
				     "empty date");
		if (rt == 1)
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     "exception_type", "empty exception_type");
		if (!id || rd != 0 || rt != 0) {
			table_skip(&t);
			continue;
		}
		uint32_t sv;
		bool dup;
		rc = new_service(ld, &t, id, len, &sv, &dup);
		if (rc)
			break;
		rc = gtfs_reserve((void **)&pend, &cap, sizeof(*pend), (uint64_t)count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		pend[count++] = (pending_exception){ sv, t.r.line, date, (uint8_t)type };
	}
	table_close(&t);
	if (rc < 0)
		goto done;
	rc = 0;
	if (count)
		qsort(pend, count, sizeof(*pend), cmp_exception);
	uint32_t ecap = 0;
	if (count) {
		rc = gtfs_reserve((void **)&f->exceptions, &ecap, sizeof(*f->exceptions), count);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			goto done;
		}
	}
	f->exception_count = 0;
	for (uint32_t i = 0; i < count; i++) {
		const pending_exception *p = &pend[i];
		if (i > 0 && p->service == pend[i - 1].service && p->date == pend[i - 1].date) {
			NOTICE_ERROR(ld, "duplicate_key", "calendar_dates.txt", p->line, "date",
				     "service \"%.40s\" already has an exception on this date: row "
				     "skipped",
				     f->services[p->service].id);
			table_skip(&t);
			continue;
		}
		grens_gtfs_service *s = &f->services[p->service];
		if (s->exception_count == 0)
			s->first_exception = f->exception_count;
		s->exception_count++;
		f->exceptions[f->exception_count++] =
			(grens_gtfs_service_exception){ p->date, p->type };
	}
	f->counts.calendar_dates = f->exception_count;
done:
	free(pend);
	return rc;
}

/* ---- shapes (ids only: points are not kept) -------------------------------- */

enum { SH_ID, SH_LAT, SH_LON, SH_SEQ, SH_DIST };
static const csv_column shape_cols[] = {
	[SH_ID] = { "shape_id", true },		 [SH_LAT] = { "shape_pt_lat", true },
	[SH_LON] = { "shape_pt_lon", true },	 [SH_SEQ] = { "shape_pt_sequence", true },
	[SH_DIST] = { "shape_dist_traveled", false },
};

static int load_shapes(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	int rc = table_open(&t, ld, "shapes.txt", shape_cols, ARR(shape_cols), false, &present);
	if (rc || !present) {
		if (rc == GRENS_EFORMAT) { /* a broken optional table does not fail the feed */
			grens_error_clear(ld->err);
			return 0;
		}
		return rc;
	}
	uint32_t shape_count = 0;
	char last[256] = "";
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len;
		const char *id = fld_required(&t, SH_ID, &len);
		if (!id) {
			table_skip(&t);
			continue;
		}
		f->counts.shapes++;
		if (len < sizeof(last) && memcmp(last, id, len + 1) == 0)
			continue; /* shapes.txt is usually grouped by shape */
		if (len < sizeof(last))
			memcpy(last, id, len + 1);
		if (id_map_find(&ld->index->shapes, id, len) != GRENS_NONE)
			continue;
		const char *copy = loader_str(ld, id, len);
		if (!copy || id_map_add(&ld->index->shapes, copy, len, shape_count++,
					NULL) < 0) {
			rc = oom(ld);
			break;
		}
	}
	table_close(&t);
	ld->have_shapes = rc >= 0;
	return rc < 0 ? rc : 0;
}

/* ---- trips ----------------------------------------------------------------- */

enum { T_ROUTE, T_SERVICE, T_ID, T_HEADSIGN, T_SHORT, T_DIR, T_BLOCK, T_SHAPE, T_WHEEL, T_BIKES };
static const csv_column trip_cols[] = {
	[T_ROUTE] = { "route_id", true },	 [T_SERVICE] = { "service_id", true },
	[T_ID] = { "trip_id", true },		 [T_HEADSIGN] = { "trip_headsign", false },
	[T_SHORT] = { "trip_short_name", false }, [T_DIR] = { "direction_id", false },
	[T_BLOCK] = { "block_id", false },	 [T_SHAPE] = { "shape_id", false },
	[T_WHEEL] = { "wheelchair_accessible", false },
	[T_BIKES] = { "bikes_allowed", false },
};

static int load_trips(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	int rc = table_open(&t, ld, "trips.txt", trip_cols, ARR(trip_cols), true, &present);
	if (rc)
		return rc;
	/* Rows of a short trips.txt take about 20 bytes: the array is sized so
	 * that it need not grow while read (its pages never written cost
	 * nothing; growing would move it and split its huge pages). The id
	 * table is written all over, so it is sized for longer rows and may
	 * grow. The size may come from a zip header that lies, hence the cap;
	 * both grow past it when they must. */
	uint64_t expect = table_size(&t) / 16 + 16;
	if (expect > TRIP_RESERVE_MAX)
		expect = TRIP_RESERVE_MAX;
	rc = gtfs_reserve((void **)&f->trips, &ld->trip_cap, sizeof(*f->trips), expect);
	if (!rc)
		rc = id_map_reserve(&ld->index->trips, expect / 2);
	if (rc) {
		rc = grow_error(ld, rc, t.file);
		goto done;
	}
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		uint32_t len, rl, sl;
		const char *id = fld_required(&t, T_ID, &len);
		const char *rid = fld_required(&t, T_ROUTE, &rl);
		const char *sid = fld_required(&t, T_SERVICE, &sl);
		if (!id || !rid || !sid) {
			table_skip(&t);
			continue;
		}
		/* The id is added below: its slot loads while the row is read. */
		id_map_prefetch(&ld->index->trips, id, len);
		uint32_t route = id_map_find(&ld->index->routes, rid, rl);
		if (route == GRENS_NONE) {
			NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line, "route_id",
				     "unknown route_id \"%.*s\": row skipped", VAL(rl), rid);
			table_skip(&t);
			continue;
		}
		uint32_t service = id_map_find(&ld->index->services, sid, sl);
		if (service == GRENS_NONE) {
			NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line, "service_id",
				     "unknown service_id \"%.*s\": row skipped", VAL(sl), sid);
			table_skip(&t);
			continue;
		}
		int64_t dir, wheel, bikes;
		if (fld_int(&t, T_DIR, 0, 1, -1, &dir) < 0)
			dir = -1;
		if (fld_int(&t, T_WHEEL, 0, 2, 0, &wheel) < 0)
			wheel = 0;
		if (fld_int(&t, T_BIKES, 0, 2, 0, &bikes) < 0)
			bikes = 0;
		uint32_t shl;
		const char *shape = fld(&t, T_SHAPE, &shl);
		if (shl && ld->have_shapes &&
		    id_map_find(&ld->index->shapes, shape, shl) == GRENS_NONE)
			NOTICE_ERROR(ld, "foreign_key_violation", t.file, t.r.line, "shape_id",
				     "unknown shape_id \"%.*s\"", VAL(shl), shape);
		const char *idc;
		int a = add_id(&t, &ld->index->trips, id, len, f->trip_count, T_ID, &idc);
		if (a < 0) {
			rc = a;
			break;
		}
		if (a == 1) {
			table_skip(&t);
			continue;
		}
		rc = gtfs_reserve((void **)&f->trips, &ld->trip_cap, sizeof(*f->trips),
				  (uint64_t)f->trip_count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		grens_gtfs_trip *tr = &f->trips[f->trip_count];
		memset(tr, 0, sizeof(*tr));
		tr->id = idc;
		tr->headsign = col_intern(ld, &t, T_HEADSIGN);
		tr->short_name = col_str(ld, &t, T_SHORT);
		tr->block_id = col_intern(ld, &t, T_BLOCK);
		tr->shape_id = loader_intern(ld, shape, shl);
		if (!tr->headsign || !tr->short_name || !tr->block_id || !tr->shape_id) {
			rc = oom(ld);
			break;
		}
		tr->route = route;
		tr->service = service;
		tr->first_stop_time = 0;
		tr->stop_time_count = 0;
		tr->direction_id = (int8_t)dir;
		tr->wheelchair_accessible = (uint8_t)wheel;
		tr->bikes_allowed = (uint8_t)bikes;
		tr->frequency = GRENS_NONE;
		tr->frequency_start = GRENS_TIME_NONE;
		tr->time_offset = 0;
		f->trip_count++;
	}
	if (rc < 0)
		goto done;
	rc = 0;
	f->counts.trips = f->trip_count;
done:
	table_close(&t);
	return rc;
}

/* ---- transfers -------------------------------------------------------------- */

enum { X_FROM_STOP, X_TO_STOP, X_FROM_ROUTE, X_TO_ROUTE, X_FROM_TRIP, X_TO_TRIP, X_TYPE, X_MIN };
static const csv_column transfer_cols[] = {
	[X_FROM_STOP] = { "from_stop_id", false }, [X_TO_STOP] = { "to_stop_id", false },
	[X_FROM_ROUTE] = { "from_route_id", false }, [X_TO_ROUTE] = { "to_route_id", false },
	[X_FROM_TRIP] = { "from_trip_id", false }, [X_TO_TRIP] = { "to_trip_id", false },
	[X_TYPE] = { "transfer_type", true },	 [X_MIN] = { "min_transfer_time", false },
};

/* Resolve an optional reference; false (row to skip) on a dangling id. */
static bool resolve_ref(table *t, const id_map *m, int col, uint32_t *out)
{
	uint32_t len;
	const char *id = fld(t, col, &len);
	*out = GRENS_NONE;
	if (!len)
		return true;
	*out = id_map_find(m, id, len);
	if (*out != GRENS_NONE)
		return true;
	NOTICE_ERROR(t->ld, "foreign_key_violation", t->file, t->r.line, t->cols[col].name,
		     "unknown id \"%.*s\": row skipped", VAL(len), id);
	return false;
}

static int load_transfers(gtfs_loader *ld)
{
	grens_gtfs_feed *f = ld->feed;
	table t;
	bool present;
	uint32_t cap = 0;
	int rc = table_open(&t, ld, "transfers.txt", transfer_cols, ARR(transfer_cols), false,
			    &present);
	if (rc || !present) {
		if (rc == GRENS_EFORMAT) {
			grens_error_clear(ld->err);
			return 0;
		}
		return rc;
	}
	const struct grens_gtfs_index *ix = ld->index;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		grens_gtfs_transfer x;
		int64_t type, min;
		if (fld_int(&t, X_TYPE, 0, 5, 0, &type) < 0 ||
		    fld_int(&t, X_MIN, 0, 86400, -1, &min) < 0) {
			table_skip(&t);
			continue;
		}
		if (!resolve_ref(&t, &ix->stops, X_FROM_STOP, &x.from_stop) ||
		    !resolve_ref(&t, &ix->stops, X_TO_STOP, &x.to_stop) ||
		    !resolve_ref(&t, &ix->routes, X_FROM_ROUTE, &x.from_route) ||
		    !resolve_ref(&t, &ix->routes, X_TO_ROUTE, &x.to_route) ||
		    !resolve_ref(&t, &ix->trips, X_FROM_TRIP, &x.from_trip) ||
		    !resolve_ref(&t, &ix->trips, X_TO_TRIP, &x.to_trip)) {
			table_skip(&t);
			continue;
		}
		if (type <= 3 && (x.from_stop == GRENS_NONE || x.to_stop == GRENS_NONE)) {
			NOTICE_ERROR(ld, "missing_required_field", t.file, t.r.line,
				     x.from_stop == GRENS_NONE ? "from_stop_id" : "to_stop_id",
				     "stop ids are required for transfer_type %d: row skipped",
				     (int)type);
			table_skip(&t);
			continue;
		}
		if (type == 2 && min < 0)
			NOTICE_WARN(ld, "missing_required_field", t.file, t.r.line,
				    "min_transfer_time", "transfer_type 2 without min_transfer_time");
		x.type = (uint8_t)type;
		x.min_transfer_time = (int32_t)min;
		rc = gtfs_reserve((void **)&f->transfers, &cap, sizeof(*f->transfers),
				  (uint64_t)f->transfer_count + 1);
		if (rc) {
			rc = grow_error(ld, rc, t.file);
			break;
		}
		f->transfers[f->transfer_count++] = x;
	}
	table_close(&t);
	if (rc < 0)
		return rc;
	f->counts.transfers = f->transfer_count;
	return 0;
}

/* ---- feed_info ---------------------------------------------------------------- */

enum { FI_NAME, FI_URL, FI_LANG, FI_DEFAULT_LANG, FI_START, FI_END, FI_VERSION, FI_EMAIL, FI_CURL };
static const csv_column feed_info_cols[] = {
	[FI_NAME] = { "feed_publisher_name", true },
	[FI_URL] = { "feed_publisher_url", true },
	[FI_LANG] = { "feed_lang", true },
	[FI_DEFAULT_LANG] = { "default_lang", false },
	[FI_START] = { "feed_start_date", false },
	[FI_END] = { "feed_end_date", false },
	[FI_VERSION] = { "feed_version", false },
	[FI_EMAIL] = { "feed_contact_email", false },
	[FI_CURL] = { "feed_contact_url", false },
};

static int load_feed_info(gtfs_loader *ld)
{
	grens_gtfs_feed_info *fi = &ld->feed->feed_info;
	table t;
	bool present;
	fi->publisher_name = fi->publisher_url = fi->lang = fi->version = "";
	fi->start_date = fi->end_date = GRENS_DATE_NONE;
	int rc = table_open(&t, ld, "feed_info.txt", feed_info_cols, ARR(feed_info_cols), false,
			    &present);
	if (rc || !present) {
		if (rc == GRENS_EFORMAT) {
			grens_error_clear(ld->err);
			return 0;
		}
		return rc;
	}
	uint32_t rows = 0;
	for (rc = table_next(&t); rc == 1; rc = table_next(&t)) {
		if (rows++ > 0) {
			NOTICE_ERROR(ld, "more_than_one_entity", t.file, t.r.line, NULL,
				     "feed_info.txt has more than one row: row ignored");
			table_skip(&t);
			continue;
		}
		uint32_t l;
		const char *v = fld_required(&t, FI_NAME, &l);
		fi->publisher_name = loader_str(ld, v, v ? l : 0);
		v = fld_required(&t, FI_URL, &l);
		fi->publisher_url = loader_str(ld, v, v ? l : 0);
		v = fld_required(&t, FI_LANG, &l);
		fi->lang = loader_str(ld, v, v ? l : 0);
		fi->version = col_str(ld, &t, FI_VERSION);
		if (!fi->publisher_name || !fi->publisher_url || !fi->lang || !fi->version) {
			rc = oom(ld);
			break;
		}
		if (fld_date(&t, FI_START, &fi->start_date) < 0)
			fi->start_date = GRENS_DATE_NONE;
		if (fld_date(&t, FI_END, &fi->end_date) < 0)
			fi->end_date = GRENS_DATE_NONE;
		if (fi->start_date != GRENS_DATE_NONE && fi->end_date != GRENS_DATE_NONE &&
		    fi->end_date < fi->start_date)
			NOTICE_ERROR(ld, "start_and_end_range_out_of_order", t.file, t.r.line,
				     "feed_end_date", "feed_end_date is before feed_start_date");
		fi->present = true;
	}
	table_close(&t);
	return rc < 0 ? rc : 0;
}

/* ---- the feed ------------------------------------------------------------------- */

/* A required table with a header but no usable row leaves nothing to route
 * on: the feed is as unusable as one without the file. */
static int require_rows(gtfs_loader *ld, const char *path, const char *file, const char *what,
			uint32_t count)
{
	if (count)
		return 0;
	grens_diag_add(ld->diag, "empty_file", GRENS_SEVERITY_ERROR, file, 0, NULL,
		       "no usable %s: the table is empty or every row was skipped", what);
	grens_error_at(ld->err, file, 0, 0, NULL);
	return grens_error_set(ld->err, GRENS_EFORMAT,
			       "%s: %s: no usable %s (the table is empty, or every row was skipped)",
			       path, file, what);
}

static const char *const known_files[] = {
	"agency.txt",	       "stops.txt",		 "routes.txt",
	"trips.txt",	       "stop_times.txt",	 "calendar.txt",
	"calendar_dates.txt",  "fare_attributes.txt",	 "fare_rules.txt",
	"timeframes.txt",      "rider_categories.txt",	 "fare_media.txt",
	"fare_products.txt",   "fare_leg_rules.txt",	 "fare_leg_join_rules.txt",
	"fare_transfer_rules.txt", "areas.txt",		 "stop_areas.txt",
	"networks.txt",	       "route_networks.txt",	 "shapes.txt",
	"frequencies.txt",     "transfers.txt",		 "pathways.txt",
	"levels.txt",	       "location_groups.txt",	 "location_group_stops.txt",
	"locations.geojson",   "booking_rules.txt",	 "translations.txt",
	"feed_info.txt",       "attributions.txt",
};

static void notice_unknown_files(gtfs_loader *ld)
{
	size_t n = gtfs_source_name_count(ld->src);
	for (size_t i = 0; i < n; i++) {
		const char *name = gtfs_source_name(ld->src, i);
		size_t k;
		for (k = 0; k < ARR(known_files); k++)
			if (strcmp(name, known_files[k]) == 0)
				break;
		if (k == ARR(known_files))
			NOTICE_INFO(ld, "unknown_file", name, 0, NULL, "file ignored");
	}
}

static const char *feed_name_from_path(const char *path, char *buf, size_t bufsz)
{
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	size_t start = len;
	while (start > 0 && path[start - 1] != '/')
		start--;
	size_t n = len - start;
	if (n > 4 && memcmp(path + start + n - 4, ".zip", 4) == 0)
		n -= 4;
	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, path + start, n);
	buf[n] = '\0';
	return buf;
}

static gtfs_source_limits source_limits(const grens_gtfs_options *o)
{
	gtfs_source_limits l = { o->max_member_bytes, o->max_total_bytes,
				 o->max_ratio ? o->max_ratio : GRENS_LIMIT_ZIP_RATIO };
	if (!l.max_member_bytes || l.max_member_bytes > GRENS_LIMIT_ZIP_MEMBER_BYTES)
		l.max_member_bytes = GRENS_LIMIT_ZIP_MEMBER_BYTES;
	if (!l.max_total_bytes || l.max_total_bytes > GRENS_LIMIT_ZIP_TOTAL_BYTES)
		l.max_total_bytes = GRENS_LIMIT_ZIP_TOTAL_BYTES;
	return l;
}

gtfs_source_limits gtfs_limits_from_options(const grens_gtfs_options *o)
{
	return source_limits(o);
}

int grens_gtfs_load(grens_gtfs_feed **out, const char *path, const grens_gtfs_options *opts,
		    grens_diag *diag, grens_error *err)
{
	if (opts && opts->version != GRENS_GTFS_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_gtfs_load: options version %u, not %u (GRENS_GTFS_OPTIONS_INIT)",
		    opts->version, GRENS_GTFS_OPTIONS_VERSION);
	grens_gtfs_options defaults = GRENS_GTFS_OPTIONS_INIT;
	if (!out || !path)
		return grens_error_set(err, GRENS_EARG, "no feed path");
	*out = NULL;
	if (!opts)
		opts = &defaults;
	gtfs_source_limits limits = source_limits(opts);
	gtfs_source *src = NULL;
	int rc = gtfs_source_open(&src, path, &limits, diag, err);
	if (rc)
		return rc;
	rc = gtfs_load_source(out, src, path, opts, diag, err);
	gtfs_source_close(src);
	return rc;
}

int gtfs_load_source(grens_gtfs_feed **out, gtfs_source *src, const char *path,
		     const grens_gtfs_options *opts, grens_diag *diag, grens_error *err)
{
	gtfs_loader ld;
	memset(&ld, 0, sizeof(ld));
	int rc;
	*out = NULL;
	grens_gtfs_feed *f = calloc(1, sizeof(*f));
	if (!f)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	f->arena = grens_arena_new(0);
	f->index = calloc(1, sizeof(*f->index));
	if (!f->arena || !f->index) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	f->first_service_date = f->last_service_date = f->declared_last_date = GRENS_DATE_NONE;
	ld.feed = f;
	ld.src = src;
	ld.opts = opts;
	ld.diag = diag;
	ld.err = err;
	ld.arena = f->arena;
	ld.index = f->index;
	char namebuf[128];
	f->path = grens_arena_strndup(f->arena, path, strlen(path));
	const char *name = opts->name ? opts->name : feed_name_from_path(path, namebuf,
								  sizeof(namebuf));
	f->name = grens_arena_strndup(f->arena, name, strlen(name));
	if (!f->path || !f->name) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	notice_unknown_files(&ld);
	if (!gtfs_source_has(ld.src, "calendar.txt", NULL) &&
	    !gtfs_source_has(ld.src, "calendar_dates.txt", NULL)) {
		grens_diag_add(diag, "missing_calendar_and_calendar_date_files",
			       GRENS_SEVERITY_ERROR, "calendar.txt", 0, NULL,
			       "neither calendar.txt nor calendar_dates.txt is present");
		grens_error_at(err, "calendar.txt", 0, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT,
				     "%s: neither calendar.txt nor calendar_dates.txt is present",
				     path);
		goto fail;
	}
	grens_progress_report(&opts->progress, "tables", 0, 11);
	bool have_cal = false, have_dates = false;
	rc = load_agency(&ld);
	if (!rc)
		rc = load_stops(&ld);
	if (!rc)
		rc = require_rows(&ld, path, "stops.txt", "stop", f->stop_count);
	if (!rc)
		rc = load_routes(&ld);
	if (!rc)
		rc = load_calendar(&ld, &have_cal);
	if (!rc)
		rc = load_calendar_dates(&ld, &have_dates);
	if (rc)
		goto fail;
	grens_progress_report(&opts->progress, "tables", 5, 11);
	if (!have_cal && !have_dates) {
		grens_diag_add(diag, "missing_calendar_and_calendar_date_files",
			       GRENS_SEVERITY_ERROR, "calendar.txt", 0, NULL,
			       "calendar.txt and calendar_dates.txt are both empty");
		grens_error_at(err, "calendar.txt", 0, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT,
				     "%s: calendar.txt and calendar_dates.txt are both empty", path);
		goto fail;
	}
	if (opts->read_shapes)
		rc = load_shapes(&ld);
	if (!rc)
		rc = load_trips(&ld);
	if (!rc)
		rc = require_rows(&ld, path, "trips.txt", "trip", f->trip_count);
	if (rc)
		goto fail;
	grens_progress_report(&opts->progress, "tables", 7, 11);
	rc = gtfs_load_stop_times(&ld);
	if (!rc)
		rc = require_rows(&ld, path, "stop_times.txt", "stop time", f->stop_time_count);
	if (rc)
		goto fail;
	grens_progress_report(&opts->progress, "tables", 8, 11);
	rc = gtfs_load_frequencies(&ld);
	if (!rc)
		rc = load_transfers(&ld);
	if (!rc)
		rc = load_feed_info(&ld);
	if (rc)
		goto fail;
	gtfs_service_dates(f);
	grens_progress_report(&opts->progress, "tables", 11, 11);
	id_map_clear(&ld.strings);
	free(ld.interned);
	*out = f;
	return 0;
fail:
	id_map_clear(&ld.strings);
	free(ld.interned);
	grens_gtfs_free(f);
	if (!rc)
		rc = GRENS_EFORMAT;
	return rc;
}

/* ---- check ------------------------------------------------------------------ */

static int check_header(gtfs_source *src, const char *file, const csv_column *cols, size_t ncols,
			grens_error *err)
{
	csv_reader r;
	int idx[TABLE_MAX_COLUMNS];
	int rc = csv_open(&r, src, file, NULL, 0, err);
	if (rc)
		return rc;
	rc = csv_map_columns(&r, cols, ncols, idx, NULL, err);
	csv_close(&r);
	return rc;
}

int grens_gtfs_check(const char *path, grens_error *err)
{
	static const char *const required[] = { "agency.txt", "stops.txt", "routes.txt",
						"trips.txt", "stop_times.txt" };
	grens_gtfs_options o = GRENS_GTFS_OPTIONS_INIT;
	gtfs_source_limits limits = source_limits(&o);
	gtfs_source *src = NULL;
	if (!path)
		return grens_error_set(err, GRENS_EARG, "no feed path");
	int rc = gtfs_source_open(&src, path, &limits, NULL, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < ARR(required); i++) {
		if (!gtfs_source_has(src, required[i], NULL)) {
			grens_error_at(err, required[i], 0, 0, NULL);
			rc = grens_error_set(err, GRENS_EFORMAT, "%s: required file %s is missing",
					     path, required[i]);
			goto done;
		}
	}
	bool cal = gtfs_source_has(src, "calendar.txt", NULL);
	bool dates = gtfs_source_has(src, "calendar_dates.txt", NULL);
	if (!cal && !dates) {
		grens_error_at(err, "calendar.txt", 0, 0, NULL);
		rc = grens_error_set(err, GRENS_EFORMAT,
				     "%s: neither calendar.txt nor calendar_dates.txt is present",
				     path);
		goto done;
	}
	static const struct {
		const char *file;
		const csv_column *cols;
		size_t ncols;
	} headers[] = {
		{ "agency.txt", agency_cols, ARR(agency_cols) },
		{ "stops.txt", stop_cols, ARR(stop_cols) },
		{ "routes.txt", route_cols, ARR(route_cols) },
		{ "trips.txt", trip_cols, ARR(trip_cols) },
		{ "stop_times.txt", gtfs_stop_times_cols, 0 },
		{ "calendar.txt", calendar_cols, ARR(calendar_cols) },
		{ "calendar_dates.txt", calendar_dates_cols, ARR(calendar_dates_cols) },
	};
	for (size_t i = 0; i < ARR(headers) && !rc; i++) {
		uint64_t size = 0;
		if (!gtfs_source_has(src, headers[i].file, &size))
			continue; /* optional here: the required ones were checked above */
		if (size == 0 && strncmp(headers[i].file, "calendar", 8) == 0 && cal && dates)
			continue; /* one empty calendar file is fine when the other exists */
		size_t ncols = headers[i].cols == gtfs_stop_times_cols ? gtfs_stop_times_ncols
									 : headers[i].ncols;
		rc = check_header(src, headers[i].file, headers[i].cols, ncols, err);
	}
done:
	gtfs_source_close(src);
	return rc;
}
