/* Applying a parsed scenario to a built timetable (a snapshot, or the base
 * built from feeds) without rebuilding it: grens_scenario_derive.
 *
 * The edits run in file order on a working set: the base's trips, each
 * either kept or dropped, and the trips the edits added or changed (a
 * changed base trip is dropped and comes back as a new trip with the same
 * ids). Every edit reads and selects as grens_scenario_apply does on the
 * feeds (apply.c); what differs is written in grens-scenario(5), "Applied
 * to a built timetable". At the end net_derive lays the result out. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../net/net_derive.h"
#include "grens/net.h"
#include "scenario_internal.h"

#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}
#define VEC_GROW(vec, k)                                                                           \
	grens_array_reserve((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), (vec).n + (k))

/* A row of a working trip (query time base of its service day). */
struct drow {
	uint32_t stop;
	grens_net_stop_time time;
	uint8_t flags;
};

/* A trip the edits added or changed. */
struct dtrip {
	uint32_t base; /* the base trip it replaces, GRENS_NONE for a new one */
	uint32_t feed, route, service;
	uint32_t id, short_name, headsign; /* string offsets (base's or appended) */
	uint32_t alt_feed, alt_id;
	int32_t frequency_start;
	size_t first; /* into rows */
	uint32_t n;
	bool removed;
};

/* A stop a scenario called at in another feed than the edit's: the feeds
 * path copies it into the edit's feed, where later edits find it. */
struct dcopy {
	uint32_t feed, stop;
};

struct dctx {
	const grens_scenario *sc;
	const grens_timetable *tt;
	grens_diag *diag;
	grens_error *err;
	grens_scenario_stats stats;
	uint8_t *drop; /* [base trip] */
	VEC(struct dtrip) trips;
	VEC(struct drow) rows;
	VEC(struct drow) scratch;
	VEC(char) strings; /* appended after tt->strings */
	VEC(net_add_route) routes;
	VEC(uint64_t) services;
	VEC(struct dcopy) copies;
	int8_t *zone; /* [feed] 0 unknown, 1 times as the feed's, -1 shifted */
};

static int oom(struct dctx *c)
{
	return grens_error_set(c->err, GRENS_ENOMEM, "out of memory");
}

static const char *str(const struct dctx *c, uint32_t off)
{
	if (off < c->tt->strings_size)
		return c->tt->strings + off;
	return c->strings.v + (off - c->tt->strings_size);
}

static int add_str(struct dctx *c, const char *s, uint32_t *out)
{
	size_t n = strlen(s) + 1;
	if ((uint64_t)c->tt->strings_size + c->strings.n + n >= UINT32_MAX)
		return grens_error_set(c->err, GRENS_ELIMIT, "too many strings");
	if (VEC_GROW(c->strings, n))
		return oom(c);
	*out = (uint32_t)(c->tt->strings_size + c->strings.n);
	memcpy(c->strings.v + c->strings.n, s, n);
	c->strings.n += n;
	return 0;
}

static uint32_t station_of(const grens_timetable *tt, uint32_t s)
{
	return tt->stop_parent[s] == GRENS_NONE ? s : tt->stop_parent[s];
}

/* ---- trips of the working set ------------------------------------------------ */

/* Working trip w: base trips are 0..trip_count-1, then the added ones. */
static uint32_t work_count(const struct dctx *c)
{
	return c->tt->trip_count + (uint32_t)c->trips.n;
}

static bool work_live(const struct dctx *c, uint32_t w)
{
	if (w < c->tt->trip_count)
		return !c->drop[w];
	return !c->trips.v[w - c->tt->trip_count].removed;
}

static uint32_t work_feed(const struct dctx *c, uint32_t w)
{
	return w < c->tt->trip_count ? c->tt->trip_feed[w] : c->trips.v[w - c->tt->trip_count].feed;
}

static uint32_t work_route(const struct dctx *c, uint32_t w)
{
	const grens_timetable *tt = c->tt;
	return w < tt->trip_count ? tt->pattern_route[tt->trip_pattern[w]]
				  : c->trips.v[w - tt->trip_count].route;
}

static uint32_t work_len(const struct dctx *c, uint32_t w)
{
	const grens_timetable *tt = c->tt;
	if (w >= tt->trip_count)
		return c->trips.v[w - tt->trip_count].n;
	uint32_t p = tt->trip_pattern[w];
	return tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
}

static struct drow work_row(const struct dctx *c, uint32_t w, uint32_t k)
{
	const grens_timetable *tt = c->tt;
	if (w >= tt->trip_count) {
		const struct dtrip *d = &c->trips.v[w - tt->trip_count];
		return c->rows.v[d->first + k];
	}
	uint32_t p = tt->trip_pattern[w];
	uint32_t width = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	uint64_t at = (uint64_t)(w - tt->pattern_trip_offset[p]) * width + k;
	struct drow r = {tt->pattern_stops[tt->pattern_stop_offset[p] + k],
			 grens_net_pattern_times(tt, p)[at],
			 tt->pattern_stop_flags[tt->pattern_stop_offset[p] + k]};
	return r;
}

static uint32_t work_id(const struct dctx *c, uint32_t w)
{
	return w < c->tt->trip_count ? c->tt->trip_id[w] : c->trips.v[w - c->tt->trip_count].id;
}

/* The working trip w with its ids, names, service and merge partner (rows
 * are a new trip's only). */
static struct dtrip trip_of(const struct dctx *c, uint32_t w)
{
	const grens_timetable *tt = c->tt;
	if (w >= tt->trip_count)
		return c->trips.v[w - tt->trip_count];
	struct dtrip d = {
	    .base = w,
	    .feed = tt->trip_feed[w],
	    .route = tt->pattern_route[tt->trip_pattern[w]],
	    .service = tt->trip_service[w],
	    .id = tt->trip_id[w],
	    .short_name = tt->trip_short_name[w],
	    .headsign = tt->trip_headsign[w],
	    .alt_feed = tt->trip_alt_feed ? tt->trip_alt_feed[w] : GRENS_NONE,
	    .alt_id = tt->trip_alt_id ? tt->trip_alt_id[w] : 0,
	    .frequency_start =
		tt->trip_frequency_start ? tt->trip_frequency_start[w] : GRENS_TIME_NONE,
	};
	return d;
}

/* The working trip w replaced by rows scratch[0..n): a base trip is dropped
 * and returns as a new trip with its ids, a new one takes the rows. */
static int work_replace(struct dctx *c, uint32_t w, uint32_t headsign, bool headsign_set)
{
	const grens_timetable *tt = c->tt;
	size_t n = c->scratch.n;
	if (VEC_GROW(c->rows, n))
		return oom(c);
	size_t first = c->rows.n;
	memcpy(c->rows.v + first, c->scratch.v, n * sizeof(struct drow));
	c->rows.n += n;
	if (w >= tt->trip_count) {
		struct dtrip *d = &c->trips.v[w - tt->trip_count];
		d->first = first;
		d->n = (uint32_t)n;
		if (headsign_set)
			d->headsign = headsign;
		return 0;
	}
	if (VEC_GROW(c->trips, 1))
		return oom(c);
	struct dtrip d = trip_of(c, w);
	if (headsign_set)
		d.headsign = headsign;
	d.first = first;
	d.n = (uint32_t)n;
	c->drop[w] = 1;
	c->trips.v[c->trips.n++] = d;
	return 0;
}

static void work_remove(struct dctx *c, uint32_t w)
{
	if (w < c->tt->trip_count)
		c->drop[w] = 1;
	else
		c->trips.v[w - c->tt->trip_count].removed = true;
}

static int scratch_push(struct dctx *c, struct drow r)
{
	if (VEC_GROW(c->scratch, 1))
		return oom(c);
	c->scratch.v[c->scratch.n++] = r;
	return 0;
}

/* ---- time zones -------------------------------------------------------------- */

/* The edits' times are the feed's GTFS times; the timetable holds them as
 * they are when the feed's time zone keeps the offset of the query's on
 * every service day. Otherwise they were shifted, and the edit needs the
 * feeds. */
static int feed_times_ok(struct dctx *c, uint32_t f, sc_loc at)
{
	const grens_timetable *tt = c->tt;
	if (c->zone[f] == 0) {
		const char *fz = grens_net_str(tt, tt->feed_timezone[f]);
		const char *qz = grens_net_str(tt, tt->timezone);
		c->zone[f] = 1;
		if (strcmp(fz, qz) != 0 && fz[0] && qz[0]) {
			grens_tz *a = NULL, *b = NULL;
			grens_error e;
			grens_error_clear(&e);
			if (grens_tz_load(&a, NULL, fz, &e) || grens_tz_load(&b, NULL, qz, &e)) {
				c->zone[f] = -1;
			} else {
				for (uint32_t d = 0; d < tt->day_count && c->zone[f] == 1; d++) {
					grens_date day = tt->first_date + (grens_date)d;
					if (grens_tz_noon_offset(a, day) != grens_tz_noon_offset(b, day))
						c->zone[f] = -1;
				}
			}
			grens_tz_free(a);
			grens_tz_free(b);
		}
	}
	if (c->zone[f] == 1)
		return 0;
	return sc_fail(c->sc, c->err, GRENS_EARG, at, "feed",
		       "feed %s runs in time zone %s, whose times the timetable shifts into %s: "
		       "apply this scenario to the feeds (--feed), not to a built timetable",
		       grens_net_str(tt, tt->feed_name[f]),
		       grens_net_str(tt, tt->feed_timezone[f]), grens_net_str(tt, tt->timezone));
}

/* ---- lookups --------------------------------------------------------------------- */

static int find_feed(struct dctx *c, const sc_str *name, uint32_t *out)
{
	*out = 0;
	if (!name->s)
		return 0;
	for (uint32_t i = 0; i < c->tt->feed_count; i++) {
		if (strcmp(grens_net_str(c->tt, c->tt->feed_name[i]), name->s) == 0) {
			*out = i;
			return 0;
		}
	}
	return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, name->at, "feed",
		       "unknown feed '%s' (the loaded feeds are named by --feed NAME=PATH or their "
		       "directory)",
		       name->s);
}

/* Stop s (station st) matches a name looked up in feed f: the first match
 * is kept, one at another station makes the name ambiguous (GRENS_EARG). */
static int name_match(struct dctx *c, uint32_t f, const sc_str *q, uint32_t s, uint32_t st,
		      uint32_t *found, uint32_t *found_stop)
{
	const grens_timetable *tt = c->tt;
	if (*found != GRENS_NONE && st != *found)
		return sc_fail(c->sc, c->err, GRENS_EARG, q->at, "stop",
			       "stop '%s' is ambiguous in feed %s: '%s' and '%s'; give the stop_id",
			       q->s, grens_net_str(tt, tt->feed_name[f]),
			       grens_net_str(tt, tt->stop_id[*found_stop]),
			       grens_net_str(tt, tt->stop_id[s]));
	if (*found == GRENS_NONE) {
		*found = st;
		*found_stop = s;
	}
	return 0;
}

/* A stop of feed f by id or name key (as stop_in_draft): the stop, or
 * GRENS_NONE; GRENS_EARG when a name means several stations. The stops the
 * scenario copied into f count as f's (by "feed:stop_id" and name). */
static int stop_in_feed(struct dctx *c, uint32_t f, const sc_str *q, uint32_t *out)
{
	const grens_timetable *tt = c->tt;
	*out = grens_net_stop_by_id(tt, grens_net_str(tt, tt->feed_name[f]), q->s);
	if (*out != GRENS_NONE)
		return 0;
	const char *colon = strchr(q->s, ':');
	for (size_t i = 0; colon && i < c->copies.n; i++) {
		uint32_t s = c->copies.v[i].stop;
		const char *fname = grens_net_str(tt, tt->feed_name[tt->stop_feed[s]]);
		if (c->copies.v[i].feed == f && strlen(fname) == (size_t)(colon - q->s) &&
		    memcmp(fname, q->s, (size_t)(colon - q->s)) == 0 &&
		    strcmp(grens_net_str(tt, tt->stop_id[s]), colon + 1) == 0) {
			*out = s;
			return 0;
		}
	}
	size_t kn = grens_net_name_key(q->s, NULL, 0) + 1;
	char *key = malloc(kn);
	if (!key)
		return oom(c);
	grens_net_name_key(q->s, key, kn);
	/* the feed's stops of that name (the index's list, ascending), then the
	 * copies; a copy is a station of its own in the feeds' path */
	uint32_t found = GRENS_NONE, found_stop = GRENS_NONE;
	int rc = 0;
	for (uint32_t s = net_name_first(tt, key); s != GRENS_NONE && !rc; s = net_name_next(tt, s))
		if (tt->stop_feed[s] == f)
			rc = name_match(c, f, q, s, station_of(tt, s), &found, &found_stop);
	for (size_t i = 0; i < c->copies.n && found == GRENS_NONE && !rc; i++) {
		uint32_t s = c->copies.v[i].stop;
		if (c->copies.v[i].feed == f && strcmp(net_name_key_of(tt, s), key) == 0)
			rc = name_match(c, f, q, s, s, &found, &found_stop);
	}
	free(key);
	if (rc)
		return rc;
	*out = found_stop;
	return 0;
}

/* As resolve in apply.c: "feed:id", an id or a name in feed target, else in
 * another feed (*from says which). */
static int resolve(struct dctx *c, uint32_t target, const sc_str *q, uint32_t *from, uint32_t *out)
{
	const grens_timetable *tt = c->tt;
	const char *colon = strchr(q->s, ':');
	*from = target;
	*out = GRENS_NONE;
	if (colon) {
		for (uint32_t f = 0; f < tt->feed_count; f++) {
			const char *fname = grens_net_str(tt, tt->feed_name[f]);
			if (strlen(fname) == (size_t)(colon - q->s) &&
			    memcmp(fname, q->s, (size_t)(colon - q->s)) == 0) {
				uint32_t s = grens_net_stop_by_id(tt, fname, colon + 1);
				if (s != GRENS_NONE) {
					*from = f;
					*out = s;
					return 0;
				}
			}
		}
	}
	int rc = stop_in_feed(c, target, q, out);
	if (rc || *out != GRENS_NONE)
		return rc;
	for (uint32_t f = 0; f < tt->feed_count; f++) {
		if (f == target)
			continue;
		rc = stop_in_feed(c, f, q, out);
		if (rc)
			return rc;
		if (*out != GRENS_NONE) {
			*from = f;
			return 0;
		}
	}
	return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at, "stop",
		       "unknown stop '%s' (not a stop_id, feed:stop_id or stop name of the loaded "
		       "feeds)",
		       q->s);
}

static bool is_copy(const struct dctx *c, uint32_t f, uint32_t s)
{
	for (size_t i = 0; i < c->copies.n; i++)
		if (c->copies.v[i].feed == f && c->copies.v[i].stop == s)
			return true;
	return false;
}

/* The station trips are selected by (apply.c resolve_station): in feed
 * target itself, or a stop the scenario copied there. Copies are their own
 * station in the feeds' path; here they stand for their platform's
 * station, which is what trips of other feeds call at too. */
static int resolve_station(struct dctx *c, uint32_t target, const sc_str *q, uint32_t *out)
{
	uint32_t from;
	int rc = resolve(c, target, q, &from, out);
	if (rc)
		return rc;
	if (from != target && !is_copy(c, target, *out))
		return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at, "stop",
			       "stop '%s' is in feed %s, not in feed %s", q->s,
			       grens_net_str(c->tt, c->tt->feed_name[from]),
			       grens_net_str(c->tt, c->tt->feed_name[target]));
	*out = station_of(c->tt, *out);
	return 0;
}

static bool platform_matches(const grens_timetable *tt, uint32_t s, const char *platform)
{
	const char *id = grens_net_str(tt, tt->stop_id[s]);
	size_t il = strlen(id), pl = strlen(platform);
	if (strcmp(id, platform) == 0)
		return true;
	return il > pl && strcmp(id + il - pl, platform) == 0 &&
	       (id[il - pl - 1] == ':' || id[il - pl - 1] == '_');
}

/* A stop trips can call at (apply.c boardable): a station's platform, the
 * one named by `platform`, else the first. A stop of another feed is called
 * at as it is (the feeds' path copies it and links the copy back). */
static int boardable(struct dctx *c, uint32_t target, const sc_str *q, const sc_str *platform,
		     uint32_t *out)
{
	const grens_timetable *tt = c->tt;
	uint32_t from, s;
	int rc = resolve(c, target, q, &from, &s);
	if (rc)
		return rc;
	if (tt->stop_location_type[s] == 1 || (platform && platform->s)) {
		uint32_t station = station_of(tt, s), pick = GRENS_NONE;
		for (uint32_t i = 0; i < tt->stop_count && pick == GRENS_NONE; i++) {
			if (tt->stop_feed[i] != tt->stop_feed[s] || tt->stop_parent[i] != station ||
			    tt->stop_location_type[i] != 0)
				continue;
			if (!platform || !platform->s || platform_matches(tt, i, platform->s))
				pick = i;
		}
		if (pick == GRENS_NONE && platform && platform->s)
			return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, platform->at, "platform",
				       "stop '%s' has no platform '%s'", q->s, platform->s);
		if (pick != GRENS_NONE)
			s = pick;
	}
	*out = s;
	if (from != target && !is_copy(c, target, s)) {
		if (VEC_GROW(c->copies, 1))
			return oom(c);
		c->copies.v[c->copies.n++] = (struct dcopy){target, s};
		c->stats.stops_added++;
	}
	return 0;
}

/* Route r, the base's or an added one (r >= tt->route_count): its feed,
 * and its short name and id into *short_name and *id. */
static uint32_t route_of(const struct dctx *c, uint32_t r, const char **short_name,
			 const char **id)
{
	const grens_timetable *tt = c->tt;
	if (r < tt->route_count) {
		*short_name = grens_net_str(tt, tt->route_short_name[r]);
		*id = grens_net_str(tt, tt->route_id[r]);
		return tt->route_feed[r];
	}
	const net_add_route *nr = &c->routes.v[r - tt->route_count];
	*short_name = str(c, nr->short_name);
	*id = str(c, nr->id);
	return nr->feed;
}

/* sel[route] = 1 for feed f's routes (base and added) whose short name or
 * id is q; fails as apply.c when none. */
static int route_selection(struct dctx *c, uint32_t f, const sc_str *q, uint8_t **sel)
{
	const grens_timetable *tt = c->tt;
	uint32_t R = tt->route_count + (uint32_t)c->routes.n, n = 0;
	*sel = calloc(R + 1, 1);
	if (!*sel)
		return oom(c);
	for (uint32_t r = 0; r < R; r++) {
		const char *sn, *id;
		if (route_of(c, r, &sn, &id) != f)
			continue;
		if (strcmp(sn, q->s) == 0 || strcmp(id, q->s) == 0) {
			(*sel)[r] = 1;
			n++;
		}
	}
	if (n)
		return 0;
	free(*sel);
	*sel = NULL;
	return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at, "route",
		       "unknown route '%s' in feed %s (give a route_short_name or route_id)", q->s,
		       grens_net_str(tt, tt->feed_name[f]));
}

static void no_effect(struct dctx *c, const sc_edit *e, const char *what)
{
	sc_no_effect(c->sc, c->diag, e, what);
}

/* ---- edits ------------------------------------------------------------------- */

static int apply_remove(struct dctx *c, const sc_edit *e)
{
	const grens_timetable *tt = c->tt;
	uint32_t f0 = 0, f1 = tt->feed_count;
	int rc = 0;
	if (e->feed.s) {
		rc = find_feed(c, &e->feed, &f0);
		if (rc)
			return rc;
		f1 = f0 + 1;
	}
	uint32_t R = tt->route_count + (uint32_t)c->routes.n;
	const sc_list *lists[3] = {&e->routes, &e->route_ids, &e->trips};
	for (int l = 0; l < 3; l++) {
		for (uint32_t i = 0; i < lists[l]->count; i++) {
			const sc_str *q = &lists[l]->items[i];
			bool found = false;
			if (l == 2) {
				for (uint32_t f = f0; f < f1 && !found; f++)
					found = grens_net_trip_by_id(tt, grens_net_str(tt, tt->feed_name[f]),
								     q->s) != GRENS_NONE;
				for (size_t t = 0; t < c->trips.n && !found; t++)
					found = c->trips.v[t].base == GRENS_NONE &&
						c->trips.v[t].feed >= f0 && c->trips.v[t].feed < f1 &&
						strcmp(str(c, c->trips.v[t].id), q->s) == 0;
			} else {
				for (uint32_t r = 0; r < R && !found; r++) {
					const char *sn, *id;
					uint32_t f = route_of(c, r, &sn, &id);
					found = f >= f0 && f < f1 && strcmp(l == 0 ? sn : id, q->s) == 0;
				}
			}
			if (!found)
				return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at,
					       l == 0	? "routes"
					       : l == 1 ? "route-ids"
							: "trips",
					       "unknown %s '%s'", l == 2 ? "trip" : "route", q->s);
		}
	}
	uint8_t *rsel = calloc(R + 1, 1);
	uint8_t *ssel = calloc((size_t)tt->stop_count + 1, 1);
	if (!rsel || !ssel) {
		free(rsel);
		free(ssel);
		return oom(c);
	}
	for (uint32_t r = 0; r < R; r++) {
		const char *sn, *id;
		uint32_t f = route_of(c, r, &sn, &id);
		if (f < f0 || f >= f1)
			continue;
		for (uint32_t i = 0; i < e->routes.count; i++)
			rsel[r] |= strcmp(sn, e->routes.items[i].s) == 0;
		for (uint32_t i = 0; i < e->route_ids.count; i++)
			rsel[r] |= strcmp(id, e->route_ids.items[i].s) == 0;
	}
	bool any_stop = false;
	for (uint32_t i = 0; i < e->stops.count && !rc; i++) {
		bool found = false;
		for (uint32_t f = f0; f < f1 && !rc; f++) {
			uint32_t st = GRENS_NONE;
			rc = stop_in_feed(c, f, &e->stops.items[i], &st);
			if (!rc && st != GRENS_NONE) {
				ssel[station_of(tt, st)] = 1;
				any_stop = found = true;
			}
		}
		if (!rc && !found)
			rc = sc_fail(c->sc, c->err, GRENS_ENOTFOUND, e->stops.items[i].at, "stops",
				     "unknown stop '%s'", e->stops.items[i].s);
	}
	uint32_t removed = 0, W = work_count(c);
	for (uint32_t w = 0; w < W && !rc; w++) {
		if (!work_live(c, w))
			continue;
		uint32_t f = work_feed(c, w);
		bool alt_in = w < tt->trip_count && tt->trip_alt_feed &&
			      tt->trip_alt_feed[w] != GRENS_NONE && tt->trip_alt_feed[w] >= f0 &&
			      tt->trip_alt_feed[w] < f1;
		if ((f < f0 || f >= f1) && !alt_in)
			continue;
		bool hit = rsel[work_route(c, w)] != 0;
		for (uint32_t i = 0; i < e->trips.count && !hit; i++) {
			hit = (f >= f0 && f < f1 && strcmp(str(c, work_id(c, w)), e->trips.items[i].s) == 0) ||
			      (alt_in && strcmp(grens_net_str(tt, tt->trip_alt_id[w]),
						e->trips.items[i].s) == 0);
		}
		uint32_t n = any_stop && !hit ? work_len(c, w) : 0;
		for (uint32_t k = 0; k < n && !hit; k++)
			hit = ssel[station_of(tt, work_row(c, w, k).stop)] != 0;
		if (hit) {
			work_remove(c, w);
			removed++;
		}
	}
	free(rsel);
	free(ssel);
	if (rc)
		return rc;
	c->stats.trips_removed += removed;
	if (!removed)
		no_effect(c, e, "remove");
	return 0;
}

static int apply_extend(struct dctx *c, const sc_edit *e)
{
	const grens_timetable *tt = c->tt;
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (!rc)
		rc = feed_times_ok(c, f, e->at);
	if (rc)
		return rc;
	uint32_t at;
	rc = resolve_station(c, f, &e->stop_at, &at);
	if (rc)
		return rc;
	uint32_t *stops = calloc(e->hop_count + 1, sizeof(uint32_t));
	uint8_t *sel = NULL;
	if (!stops)
		return oom(c);
	for (uint32_t i = 0; i < e->hop_count && !rc; i++)
		rc = boardable(c, f, &e->hops[i].stop, &e->hops[i].platform, &stops[i]);
	if (!rc)
		rc = route_selection(c, f, &e->route, &sel);
	uint32_t changed = 0, W = work_count(c);
	for (uint32_t w = 0; w < W && !rc; w++) {
		if (!work_live(c, w) || work_feed(c, w) != f || !sel[work_route(c, w)])
			continue;
		uint32_t len = work_len(c, w);
		if (len < 2)
			continue;
		uint32_t last = len - 1;
		struct drow r0 = work_row(c, w, 0), rl = work_row(c, w, last);
		bool fwd = (e->directions & SC_FORWARD) && station_of(tt, rl.stop) == at;
		bool bwd = !fwd && (e->directions & SC_BACKWARD) && station_of(tt, r0.stop) == at;
		if (!fwd && !bwd)
			continue;
		int32_t t_at = fwd ? rl.time.arrival : r0.time.departure;
		if (!sc_minute_selected(e, t_at))
			continue;
		c->scratch.n = 0;
		if (fwd) {
			for (uint32_t k = 0; k <= last && !rc; k++)
				rc = scratch_push(c, work_row(c, w, k));
			if (rc)
				break;
			struct drow *jr = &c->scratch.v[last];
			jr->time.departure = jr->time.arrival + e->at_dwell;
			jr->flags &= (uint8_t)~GRENS_NET_NO_PICKUP;
			int32_t time = jr->time.departure;
			for (uint32_t i = 0; i < e->hop_count && !rc; i++) {
				struct drow nr = {stops[i], {0, 0}, 0};
				nr.time.arrival = time + e->hops[i].run;
				nr.time.departure =
				    nr.time.arrival + (i + 1 < e->hop_count ? e->hops[i].dwell : 0);
				time = nr.time.departure;
				if (time > sc_max_time())
					rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->hops[i].at,
						     "run", "extend: trip %s would run past %d:00",
						     str(c, work_id(c, w)), GRENS_LIMIT_MAX_HOURS);
				else
					rc = scratch_push(c, nr);
			}
		} else {
			int32_t at_arr = t_at - e->at_dwell, time = at_arr;
			size_t base = c->scratch.n;
			if (VEC_GROW(c->scratch, e->hop_count)) {
				rc = oom(c);
				break;
			}
			c->scratch.n += e->hop_count;
			for (uint32_t i = 0; i < e->hop_count; i++) {
				int32_t run =
				    e->hops[i].run_back >= 0 ? e->hops[i].run_back : e->hops[i].run;
				struct drow nr = {stops[i], {0, 0}, 0};
				nr.time.departure = time - run;
				nr.time.arrival =
				    nr.time.departure - (i + 1 < e->hop_count ? e->hops[i].dwell : 0);
				time = nr.time.arrival;
				c->scratch.v[base + e->hop_count - 1 - i] = nr;
			}
			if (time < 0)
				rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->at, "stops",
					     "extend: trip %s would start before 00:00 of its service "
					     "day",
					     str(c, work_id(c, w)));
			for (uint32_t k = 0; k <= last && !rc; k++) {
				struct drow r = work_row(c, w, k);
				if (k == 0) {
					r.time.arrival = at_arr;
					r.flags &= (uint8_t)~GRENS_NET_NO_DROP_OFF;
				}
				rc = scratch_push(c, r);
			}
		}
		if (rc)
			break;
		rc = work_replace(c, w, tt->stop_name[stops[e->hop_count - 1]], fwd);
		changed++;
	}
	free(stops);
	free(sel);
	if (rc)
		return rc;
	c->stats.trips_changed += changed;
	if (!changed)
		no_effect(c, e, "extend");
	return 0;
}

static int apply_truncate(struct dctx *c, const sc_edit *e)
{
	const grens_timetable *tt = c->tt;
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	uint32_t at, toward;
	uint8_t *sel = NULL;
	rc = resolve_station(c, f, &e->stop_at, &at);
	if (!rc)
		rc = resolve_station(c, f, &e->toward, &toward);
	if (!rc)
		rc = route_selection(c, f, &e->route, &sel);
	if (rc)
		return rc;
	uint32_t changed = 0, removed = 0, W = work_count(c);
	for (uint32_t w = 0; w < W && !rc; w++) {
		if (!work_live(c, w) || work_feed(c, w) != f || !sel[work_route(c, w)])
			continue;
		uint32_t len = work_len(c, w), ia = GRENS_NONE, it = GRENS_NONE;
		for (uint32_t k = 0; k < len; k++) {
			uint32_t st = station_of(tt, work_row(c, w, k).stop);
			if (st == at && ia == GRENS_NONE)
				ia = k;
			if (st == toward && it == GRENS_NONE)
				it = k;
		}
		if (ia == GRENS_NONE || it == GRENS_NONE)
			continue;
		uint32_t k0 = it > ia ? 0 : ia, k1 = it > ia ? ia : len - 1;
		if (k1 <= k0) {
			work_remove(c, w);
			removed++;
			continue;
		}
		c->scratch.n = 0;
		for (uint32_t k = k0; k <= k1 && !rc; k++)
			rc = scratch_push(c, work_row(c, w, k));
		if (!rc)
			rc = work_replace(c, w, tt->stop_name[at], it > ia);
		changed++;
	}
	free(sel);
	if (rc)
		return rc;
	c->stats.trips_changed += changed;
	c->stats.trips_removed += removed;
	if (!changed && !removed)
		no_effect(c, e, "truncate");
	return 0;
}

/* A new trip with the rows in scratch. */
static int add_new(struct dctx *c, const struct dtrip *proto)
{
	size_t n = c->scratch.n;
	if (VEC_GROW(c->rows, n) || VEC_GROW(c->trips, 1))
		return oom(c);
	struct dtrip d = *proto;
	d.base = GRENS_NONE;
	d.first = c->rows.n;
	d.n = (uint32_t)n;
	d.removed = false;
	memcpy(c->rows.v + c->rows.n, c->scratch.v, n * sizeof(struct drow));
	c->rows.n += n;
	c->trips.v[c->trips.n++] = d;
	return 0;
}

static uint32_t work_service(const struct dctx *c, uint32_t w)
{
	return w < c->tt->trip_count ? c->tt->trip_service[w]
				     : c->trips.v[w - c->tt->trip_count].service;
}

static int apply_headway(struct dctx *c, const sc_edit *e)
{
	const grens_timetable *tt = c->tt;
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (!rc)
		rc = feed_times_ok(c, f, e->at);
	if (rc)
		return rc;
	uint8_t *sel = NULL;
	rc = route_selection(c, f, &e->route, &sel);
	if (rc)
		return rc;
	VEC(struct sc_hw_group) groups = {0};
	uint32_t removed = 0, added = 0, W = work_count(c);
	for (uint32_t w = 0; w < W && !rc; w++) {
		if (!work_live(c, w) || work_feed(c, w) != f || !sel[work_route(c, w)])
			continue;
		uint32_t len = work_len(c, w);
		if (len < 2)
			continue;
		struct drow r0 = work_row(c, w, 0);
		int32_t dep = r0.time.departure;
		if (dep < e->band_start || dep >= e->band_end)
			continue;
		struct sc_hw_group key = {
		    work_service(c, w),
		    station_of(tt, r0.stop),
		    station_of(tt, work_row(c, w, len - 1).stop),
		    len,
		    w,
		    dep,
		};
		size_t g = 0;
		while (g < groups.n && !(groups.v[g].service == key.service &&
					 groups.v[g].first_station == key.first_station &&
					 groups.v[g].last_station == key.last_station &&
					 groups.v[g].count == key.count))
			g++;
		if (g == groups.n) {
			if (VEC_GROW(groups, 1)) {
				rc = oom(c);
				break;
			}
			groups.v[groups.n++] = key;
		} else if (dep < groups.v[g].template_dep) {
			groups.v[g].template_trip = w;
			groups.v[g].template_dep = dep;
		}
		work_remove(c, w);
		removed++;
	}
	for (size_t g = 0; g < groups.n && !rc; g++) {
		uint32_t k = 0, tw = groups.v[g].template_trip;
		for (int32_t dep = groups.v[g].template_dep; dep < e->band_end && !rc;
		     dep += e->headway, k++) {
			if (k >= GRENS_SCENARIO_MAX_ITEMS) {
				rc = sc_fail(c->sc, c->err, GRENS_ELIMIT, e->at, "headway",
					     "headway: more than %u trips in the band",
					     GRENS_SCENARIO_MAX_ITEMS);
				break;
			}
			int32_t shift = dep - groups.v[g].template_dep;
			c->scratch.n = 0;
			uint32_t len = work_len(c, tw);
			for (uint32_t j = 0; j < len && !rc; j++) {
				struct drow r = work_row(c, tw, j);
				r.time.arrival += shift;
				r.time.departure += shift;
				rc = scratch_push(c, r);
			}
			struct dtrip p = trip_of(c, tw);
			char id[512];
			snprintf(id, sizeof(id), "%s~hw%u", str(c, p.id), k);
			if (!rc)
				rc = add_str(c, id, &p.id);
			if (!rc)
				rc = add_str(c, "", &p.short_name);
			p.frequency_start = GRENS_TIME_NONE;
			p.alt_feed = GRENS_NONE;
			p.alt_id = 0;
			if (!rc)
				rc = add_new(c, &p);
			added++;
		}
	}
	free(groups.v);
	free(sel);
	if (rc)
		return rc;
	c->stats.trips_removed += removed;
	c->stats.trips_added += added;
	if (!removed)
		no_effect(c, e, "headway");
	return 0;
}

/* The days of one `services` entry of an add-line, as a service bitset over
 * the timetable's days (apply.c add_service, then the builder's calendar:
 * the weekdays between the feed's first and last service day, plus the
 * dates, minus the exceptions). */
static int add_service(struct dctx *c, uint32_t f, const sc_service *sv, uint32_t *out)
{
	const grens_timetable *tt = c->tt;
	grens_date start = tt->feed_first_date ? tt->feed_first_date[f] : tt->first_date;
	grens_date end = tt->feed_last_date ? tt->feed_last_date[f]
					    : tt->first_date + (grens_date)tt->day_count - 1;
	if (sv->weekdays && start == GRENS_DATE_NONE)
		return sc_fail(c->sc, c->err, GRENS_EFORMAT, sv->at, "days",
			       "service: feed %s has no service days to repeat 'days' over; give "
			       "'dates'",
			       grens_net_str(tt, tt->feed_name[f]));
	size_t words = tt->words_per_service;
	if (VEC_GROW(c->services, words))
		return oom(c);
	uint64_t *bits = c->services.v + c->services.n;
	memset(bits, 0, words * sizeof(uint64_t));
	uint32_t outside = 0;
	for (uint32_t d = 0; d < tt->day_count; d++) {
		grens_date day = tt->first_date + (grens_date)d;
		bool on = sv->weekdays && day >= start && day <= end &&
			  ((sv->weekdays >> grens_date_weekday(day)) & 1u);
		for (uint32_t i = 0; i < sv->date_count; i++)
			on |= sv->dates[i] == day;
		for (uint32_t i = 0; i < sv->except_count; i++)
			on &= sv->except[i] != day;
		if (on)
			bits[d >> 6] |= UINT64_C(1) << (d & 63);
	}
	for (uint32_t i = 0; i < sv->date_count; i++)
		outside += sv->dates[i] < tt->first_date ||
			   sv->dates[i] >= tt->first_date + (grens_date)tt->day_count;
	if (outside)
		grens_diag_add(c->diag, "scenario_dates_outside", GRENS_SEVERITY_WARNING,
			       c->sc->file, sv->at.line, "dates",
			       "%u of the service's dates lie outside the timetable's days: the "
			       "trips do not run on them",
			       outside);
	c->services.n += words;
	*out = tt->service_count + (uint32_t)(c->services.n / words) - 1;
	return 0;
}

/* The timetable service of feed f's GTFS service_id q: among the services
 * of that id, the one f's trips use (ids are unique per feed only), else
 * the first. */
static int find_service(struct dctx *c, uint32_t f, const sc_str *q, uint32_t *out)
{
	const grens_timetable *tt = c->tt;
	*out = GRENS_NONE;
	if (!tt->service_id)
		return sc_fail(c->sc, c->err, GRENS_EARG, q->at, "service-id",
			       "service-id '%s': this timetable keeps no GTFS service_id (a "
			       "snapshot of an older grens: build it again with grens build)",
			       q->s);
	uint8_t *cand = calloc((size_t)tt->service_count + 1, 1);
	if (!cand)
		return oom(c);
	uint32_t first = GRENS_NONE;
	for (uint32_t i = 0; i < tt->service_count; i++) {
		cand[i] = strcmp(grens_net_str(tt, tt->service_id[i]), q->s) == 0 &&
			  grens_net_str(tt, tt->service_id[i])[0];
		if (cand[i] && first == GRENS_NONE)
			first = i;
	}
	for (uint32_t t = 0; first != GRENS_NONE && t < tt->trip_count; t++)
		if (tt->trip_feed[t] == f && cand[tt->trip_service[t]]) {
			*out = tt->trip_service[t];
			break;
		}
	free(cand);
	if (*out == GRENS_NONE)
		*out = first;
	if (*out != GRENS_NONE)
		return 0;
	return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at, "service-id",
		       "feed %s has no service_id '%s'", grens_net_str(tt, tt->feed_name[f]), q->s);
}

static int apply_add_line(struct dctx *c, const sc_edit *e)
{
	const grens_timetable *tt = c->tt;
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (!rc)
		rc = feed_times_ok(c, f, e->at);
	if (rc)
		return rc;
	char id[512];
	snprintf(id, sizeof(id), "%s", e->id.s ? e->id.s : e->name.s);
	uint32_t R = tt->route_count + (uint32_t)c->routes.n;
	for (uint32_t r = 0; r < R; r++) {
		const char *sn, *rid;
		if (route_of(c, r, &sn, &rid) == f && strcmp(rid, id) == 0)
			return sc_fail(
			    c->sc, c->err, GRENS_EFORMAT, e->id.s ? e->id.at : e->name.at,
			    e->id.s ? "id" : "name",
			    "add-line: route id '%s' is already in feed %s; give another 'id'", id,
			    grens_net_str(tt, tt->feed_name[f]));
	}
	/* The agency: one of the feed's routes names it, else the given name. */
	const char *agency = e->agency.s ? e->agency.s : "scenario";
	for (uint32_t r = 0; r < tt->route_count; r++) {
		if (tt->route_feed[r] != f)
			continue;
		const char *an = grens_net_str(tt, tt->route_agency_name[r]);
		if (!e->agency.s || strcmp(an, e->agency.s) == 0) {
			agency = an;
			break;
		}
	}
	uint32_t *stops = calloc(e->hop_count + 1, sizeof(uint32_t));
	int32_t *run = calloc(e->hop_count + 1, sizeof(int32_t));
	int32_t *run_back = calloc(e->hop_count + 1, sizeof(int32_t));
	if (!stops || !run || !run_back) {
		rc = oom(c);
		goto done;
	}
	for (uint32_t i = 0; i < e->hop_count && !rc; i++)
		rc = boardable(c, f, &e->hops[i].stop, &e->hops[i].platform, &stops[i]);
	for (uint32_t i = 1; i < e->hop_count && !rc; i++) {
		run[i] = e->hops[i].run;
		if (run[i] < 0) {
			uint32_t a = stops[i - 1], b = stops[i];
			if (isnan(tt->stop_lat[a]) || isnan(tt->stop_lat[b])) {
				rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->hops[i].at, "run",
					     "stops: '%s' has no coordinates to compute a run time "
					     "from 'speed'; give 'run'",
					     e->hops[i].stop.s);
				break;
			}
			run[i] = sc_speed_run(grens_geo_distance_m(tt->stop_lat[a], tt->stop_lon[a],
								   tt->stop_lat[b], tt->stop_lon[b]),
					      e->speed_kmh);
		}
		run_back[i] = e->hops[i].run_back >= 0 ? e->hops[i].run_back : run[i];
	}
	if (rc)
		goto done;
	net_add_route route = {.feed = f, .type = e->route_type};
	if ((rc = add_str(c, id, &route.id)) || (rc = add_str(c, e->name.s, &route.short_name)) ||
	    (rc = add_str(c, e->long_name.s ? e->long_name.s : "", &route.long_name)) ||
	    (rc = add_str(c, agency, &route.agency_name)))
		goto done;
	if (VEC_GROW(c->routes, 1)) {
		rc = oom(c);
		goto done;
	}
	uint32_t route_index = tt->route_count + (uint32_t)c->routes.n;
	c->routes.v[c->routes.n++] = route;
	c->stats.routes_added++;
	uint32_t trip_no = 0;
	for (uint32_t s = 0; s < e->service_count && !rc; s++) {
		const sc_service *sv = &e->services[s];
		uint32_t service = GRENS_NONE;
		if (sv->service_id.s)
			rc = find_service(c, f, &sv->service_id, &service);
		else
			rc = add_service(c, f, sv, &service);
		if (rc)
			break;
		uint32_t n = sv->departure_count;
		if (!n)
			n = (uint32_t)((sv->last - sv->first) / sv->headway) + 1;
		if (n > GRENS_SCENARIO_MAX_ITEMS) {
			rc = sc_fail(c->sc, c->err, GRENS_ELIMIT, sv->at, "headway",
				     "service: more than %u departures", GRENS_SCENARIO_MAX_ITEMS);
			break;
		}
		for (int dir = 0; dir < 2 && !rc; dir++) {
			if (!(sv->directions & (dir ? SC_BACKWARD : SC_FORWARD)))
				continue;
			for (uint32_t k = 0; k < n && !rc; k++) {
				int32_t time = sv->departure_count
						   ? sv->departures[k]
						   : sv->first + (int32_t)k * sv->headway;
				c->scratch.n = 0;
				for (uint32_t j = 0; j < e->hop_count && !rc; j++) {
					uint32_t i = dir ? e->hop_count - 1 - j : j;
					struct drow r = {stops[i], {0, 0}, 0};
					if (j > 0)
						time += dir ? run_back[i + 1] : run[i];
					r.time.arrival = time;
					if (j > 0 && j + 1 < e->hop_count)
						time += e->hops[i].dwell;
					r.time.departure = time;
					if (time > sc_max_time())
						rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, sv->at,
							     "last",
							     "add-line: a trip would run past %d:00",
							     GRENS_LIMIT_MAX_HOURS);
					else
						rc = scratch_push(c, r);
				}
				if (rc)
					break;
				struct dtrip t = {
				    .feed = f,
				    .route = route_index,
				    .service = service,
				    .alt_feed = GRENS_NONE,
				    .frequency_start = GRENS_TIME_NONE,
				};
				char tid[700];
				snprintf(tid, sizeof(tid), "%s:%u", id, ++trip_no);
				uint32_t last_stop = stops[dir ? 0 : e->hop_count - 1];
				if ((rc = add_str(c, tid, &t.id)) ||
				    (rc = add_str(c, "", &t.short_name)))
					break;
				if (e->headsign.s)
					rc = add_str(c, e->headsign.s, &t.headsign);
				else
					t.headsign = tt->stop_name[last_stop];
				if (!rc)
					rc = add_new(c, &t);
				c->stats.trips_added++;
			}
		}
	}
done:
	free(stops);
	free(run);
	free(run_back);
	return rc;
}

/* ---- the whole scenario -------------------------------------------------------- */

static void ctx_free(struct dctx *c)
{
	free(c->drop);
	free(c->trips.v);
	free(c->rows.v);
	free(c->scratch.v);
	free(c->strings.v);
	free(c->routes.v);
	free(c->services.v);
	free(c->copies.v);
	free(c->zone);
}

static int finish(struct dctx *c, grens_timetable **out)
{
	uint32_t live = 0;
	for (size_t i = 0; i < c->trips.n; i++)
		live += !c->trips.v[i].removed && c->trips.v[i].n >= 2;
	net_add_trip *add = calloc((size_t)live + 1, sizeof(*add));
	uint32_t *stops = malloc((c->rows.n + 1) * sizeof(uint32_t));
	grens_net_stop_time *times = malloc((c->rows.n + 1) * sizeof(grens_net_stop_time));
	uint8_t *flags = malloc(c->rows.n + 1);
	int rc = 0;
	if (!add || !stops || !times || !flags) {
		rc = oom(c);
		goto out;
	}
	for (size_t i = 0; i < c->rows.n; i++) {
		stops[i] = c->rows.v[i].stop;
		times[i] = c->rows.v[i].time;
		flags[i] = c->rows.v[i].flags;
	}
	uint32_t k = 0;
	for (size_t i = 0; i < c->trips.n; i++) {
		const struct dtrip *d = &c->trips.v[i];
		if (d->removed || d->n < 2)
			continue;
		add[k++] = (net_add_trip){
		    .feed = d->feed,
		    .route = d->route,
		    .service = d->service,
		    .id = d->id,
		    .short_name = d->short_name,
		    .headsign = d->headsign,
		    .alt_feed = d->alt_feed,
		    .alt_id = d->alt_id,
		    .frequency_start = d->frequency_start,
		    .stop_count = d->n,
		    .stops = stops + d->first,
		    .times = times + d->first,
		    .flags = flags + d->first,
		};
	}
	net_derive_in in = {
	    .drop = c->drop,
	    .strings = c->strings.v,
	    .strings_size = c->strings.n,
	    .routes = c->routes.v,
	    .route_count = (uint32_t)c->routes.n,
	    .services = c->services.v,
	    .service_count = (uint32_t)(c->services.n / c->tt->words_per_service),
	    .trips = add,
	    .trip_count = live,
	};
	rc = net_derive(out, c->tt, &in, c->err);
out:
	free(add);
	free(stops);
	free(times);
	free(flags);
	return rc;
}

int grens_scenario_derive(grens_timetable **out, grens_scenario_stats *stats,
			  const grens_scenario *sc, const grens_timetable *base, grens_diag *diag,
			  grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_derive: out is NULL");
	*out = NULL;
	if (!sc || !base)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_derive: %s is NULL",
				       sc ? "base" : "sc");
	if (!base->index)
		return grens_error_set(err, GRENS_EARG,
				       "grens_scenario_derive: the timetable has no id index (a "
				       "cut or derived timetable); give the one it came from");
	grens_error local;
	if (!err)
		err = &local;
	grens_error_clear(err);
	struct dctx c = {.sc = sc, .tt = base, .diag = diag, .err = err};
	c.drop = calloc((size_t)base->trip_count + 1, 1);
	c.zone = calloc((size_t)base->feed_count + 1, 1);
	int rc = 0;
	if (!c.drop || !c.zone) {
		rc = oom(&c);
		goto out;
	}
	if (base->feed_count == 0) {
		sc_loc top = {0, 0};
		rc = sc_fail(sc, err, GRENS_EARG, top, "", "no feeds to apply the scenario to");
		goto out;
	}
	for (uint32_t i = 0; i < sc->edit_count && !rc; i++) {
		const sc_edit *e = &sc->edits[i];
		switch (e->kind) {
		case SC_ADD_LINE:
			rc = apply_add_line(&c, e);
			break;
		case SC_EXTEND:
			rc = apply_extend(&c, e);
			break;
		case SC_TRUNCATE:
			rc = apply_truncate(&c, e);
			break;
		case SC_REMOVE:
			rc = apply_remove(&c, e);
			break;
		case SC_HEADWAY:
			rc = apply_headway(&c, e);
			break;
		case SC_OVERLAY:
			rc = sc_fail(sc, err, GRENS_EARG, e->at, "overlay",
				     "overlay: merging a GTFS directory needs the feeds; apply "
				     "this scenario to the feeds (--feed), not to a built "
				     "timetable");
			break;
		}
		if (!rc)
			c.stats.edits++;
	}
	if (!rc)
		rc = finish(&c, out);
	if (!rc && stats)
		*stats = c.stats;
out:
	ctx_free(&c);
	return rc;
}
