/* Applying a parsed scenario to copies of the loaded feeds.
 *
 * Each feed becomes a draft: growable copies of its tables (stop_times only
 * gain new rows at the end; a changed trip gets a new block of rows and the
 * old block is left unused), a removed-flag per trip, and lookups that see
 * both the base rows (through the feed's id index) and the rows added so
 * far. Edits run in file order on the drafts; at the end every draft becomes
 * a new grens_gtfs_feed with removed trips dropped and indices remapped. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/net.h"
#include "scenario_internal.h"

/* ---- growable vectors (malloc'd while applying) ---------------------------- */

static int vec_reserve(void **v, size_t *cap, size_t elem, size_t need)
{
	if (need > GRENS_LIMIT_ROWS)
		return GRENS_ELIMIT;
	return grens_array_reserve(v, cap, elem, need);
}

#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *v;                                                                              \
		size_t n, cap;                                                                     \
	}
#define VEC_GROW(vec) vec_reserve((void **)&(vec).v, &(vec).cap, sizeof(*(vec).v), (vec).n + 1)

static int vec_copy(void **v, size_t *n, size_t *cap, size_t elem, const void *src, size_t count)
{
	int rc = vec_reserve(v, cap, elem, count ? count : 1);
	if (rc)
		return rc;
	if (count)
		memcpy(*v, src, count * elem);
	*n = count;
	return 0;
}
#define VEC_COPY(vec, src, count)                                                                  \
	vec_copy((void **)&(vec).v, &(vec).n, &(vec).cap, sizeof(*(vec).v), (src), (count))

/* ---- drafts ------------------------------------------------------------------ */

struct draft {
	const grens_gtfs_feed *base;
	VEC(grens_gtfs_agency) agencies;
	VEC(grens_gtfs_stop) stops;
	VEC(grens_gtfs_route) routes;
	VEC(grens_gtfs_trip) trips;
	VEC(uint8_t) removed;			  /* [trip] */
	VEC(grens_gtfs_stop_time) new_stop_times; /* rows after the base's */
	VEC(const char *) new_headsigns; /* stop_headsigns after the base's */
	VEC(grens_gtfs_service) services;
	VEC(grens_gtfs_service_exception) exceptions;
	VEC(grens_gtfs_transfer) transfers;
	VEC(char *) folded; /* [stop] folded name, lazily */
	size_t folded_ready;
	grens_date first_date, last_date;
};

struct grens_scenario_result {
	grens_arena *arena;
	grens_gtfs_feed **feeds;
	uint32_t feed_count;
	grens_gtfs_feed **overlays; /* loaded overlay feeds (their strings are shared) */
	uint32_t overlay_count;
	grens_scenario_stats stats;
};

struct ctx {
	const grens_scenario *sc;
	struct draft *drafts;
	uint32_t feed_count;
	grens_scenario_result *res;
	grens_diag *diag;
	grens_error *err;
};

static int oom(struct ctx *c)
{
	return grens_error_set(c->err, GRENS_ENOMEM, "out of memory");
}

static const char *dupstr(struct ctx *c, const char *s)
{
	return grens_arena_strndup(c->res->arena, s, strlen(s));
}

static const grens_gtfs_stop_time *row(const struct draft *d, uint32_t i)
{
	if (i < d->base->stop_time_count)
		return &d->base->stop_times[i];
	return &d->new_stop_times.v[i - d->base->stop_time_count];
}

static int32_t arr_of(const struct draft *d, const grens_gtfs_trip *t, uint32_t k)
{
	return row(d, t->first_stop_time + k)->arrival + t->time_offset;
}

static int32_t dep_of(const struct draft *d, const grens_gtfs_trip *t, uint32_t k)
{
	return row(d, t->first_stop_time + k)->departure + t->time_offset;
}

static uint32_t station_of(const struct draft *d, uint32_t stop)
{
	uint32_t p = d->stops.v[stop].parent;
	return p == GRENS_NONE ? stop : p;
}

static int add_row(struct ctx *c, struct draft *d, const grens_gtfs_stop_time *r)
{
	if ((uint64_t)d->base->stop_time_count + d->new_stop_times.n + 1 > GRENS_LIMIT_ROWS)
		return grens_error_set(c->err, GRENS_ELIMIT, "feed %s: more than %u stop_times",
				       d->base->name, GRENS_LIMIT_ROWS);
	if (VEC_GROW(d->new_stop_times))
		return oom(c);
	d->new_stop_times.v[d->new_stop_times.n++] = *r;
	return 0;
}

/* A row copied from another feed: its stop_headsign index becomes one in
 * the draft's table (the base's, then the texts added here). */
static int map_headsign(struct ctx *c, struct draft *d, const grens_gtfs_feed *from,
			grens_gtfs_stop_time *r)
{
	const char *text = grens_gtfs_stop_headsign(from, r);
	r->headsign = 0;
	if (!text[0])
		return 0;
	uint64_t base = d->base->stop_headsign_count ? d->base->stop_headsign_count : 1;
	if (base + d->new_headsigns.n > GRENS_GTFS_STOP_HEADSIGNS_MAX)
		return grens_error_set(c->err, GRENS_ELIMIT,
				       "feed %s: more than %u stop_headsign values", d->base->name,
				       GRENS_GTFS_STOP_HEADSIGNS_MAX);
	if (VEC_GROW(d->new_headsigns))
		return oom(c);
	r->headsign = (uint32_t)(base + d->new_headsigns.n) & GRENS_GTFS_STOP_HEADSIGNS_MAX;
	d->new_headsigns.v[d->new_headsigns.n++] = text;
	return 0;
}

static uint32_t next_row_index(const struct draft *d)
{
	return (uint32_t)(d->base->stop_time_count + d->new_stop_times.n);
}

static int add_trip(struct ctx *c, struct draft *d, const grens_gtfs_trip *t)
{
	if (VEC_GROW(d->trips) || VEC_GROW(d->removed))
		return oom(c);
	d->trips.v[d->trips.n++] = *t;
	d->removed.v[d->removed.n++] = 0;
	return 0;
}

static int find_feed(struct ctx *c, const sc_str *name, uint32_t *out)
{
	*out = 0; /* the first feed, also when the name is unknown (callers then fail) */
	if (!name->s)
		return 0;
	for (uint32_t i = 0; i < c->feed_count; i++) {
		if (strcmp(c->drafts[i].base->name, name->s) == 0) {
			*out = i;
			return 0;
		}
	}
	return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, name->at, "feed",
		       "unknown feed '%s' (the loaded feeds are named by --feed NAME=PATH or their "
		       "directory)",
		       name->s);
}

/* ---- stop lookup --------------------------------------------------------- */

static uint32_t stop_by_id(const struct draft *d, const char *id)
{
	uint32_t s = grens_gtfs_find_stop(d->base, id);
	if (s != GRENS_NONE)
		return s;
	for (size_t i = d->base->stop_count; i < d->stops.n; i++)
		if (strcmp(d->stops.v[i].id, id) == 0)
			return (uint32_t)i;
	return GRENS_NONE;
}

/* A stop name in the spelling grens_net_find_stops and the linker compare
 * names in, so a scenario finds "Koeln Hbf" or "Den Haag C." as the command
 * line does. */
static char *fold(struct ctx *c, const char *s)
{
	char buf[512];
	size_t n = grens_net_name_key(s, buf, sizeof(buf));
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	return grens_arena_strndup(c->res->arena, buf, n);
}

static int ensure_folded(struct ctx *c, struct draft *d)
{
	if (vec_reserve((void **)&d->folded.v, &d->folded.cap, sizeof(char *), d->stops.n))
		return oom(c);
	for (size_t i = d->folded_ready; i < d->stops.n; i++) {
		d->folded.v[i] = fold(c, d->stops.v[i].name);
		if (!d->folded.v[i])
			return oom(c);
	}
	d->folded.n = d->folded_ready = d->stops.n;
	return 0;
}

/* Find a stop of one draft by id or folded name. GRENS_NONE when nothing
 * matches; GRENS_EARG (error set) when a name means several stations. */
static int stop_in_draft(struct ctx *c, struct draft *d, const sc_str *q, uint32_t *out)
{
	*out = stop_by_id(d, q->s);
	if (*out != GRENS_NONE)
		return 0;
	int rc = ensure_folded(c, d);
	if (rc)
		return rc;
	char *key = fold(c, q->s);
	if (!key)
		return oom(c);
	uint32_t found = GRENS_NONE;
	for (size_t i = 0; i < d->stops.n; i++) {
		if (strcmp(d->folded.v[i], key) != 0)
			continue;
		uint32_t st = station_of(d, (uint32_t)i);
		if (found != GRENS_NONE && st != found)
			return sc_fail(c->sc, c->err, GRENS_EARG, q->at, "stop",
				       "stop '%s' is ambiguous in feed %s: '%s' and '%s'; give the "
				       "stop_id",
				       q->s, d->base->name, d->stops.v[found].id,
				       d->stops.v[st].id);
		found = st;
	}
	*out = found;
	return 0;
}

/* Resolve a stop reference to a station-or-stop of draft d: "feed:id", an id
 * or a name in d, else in another feed (then *from says which). */
static int resolve(struct ctx *c, uint32_t target, const sc_str *q, uint32_t *from, uint32_t *out)
{
	const char *colon = strchr(q->s, ':');
	*from = target;
	*out = GRENS_NONE;
	if (colon) {
		for (uint32_t f = 0; f < c->feed_count; f++) {
			const char *fname = c->drafts[f].base->name;
			if (strlen(fname) == (size_t)(colon - q->s) &&
			    memcmp(fname, q->s, (size_t)(colon - q->s)) == 0) {
				uint32_t s = stop_by_id(&c->drafts[f], colon + 1);
				if (s != GRENS_NONE) {
					*from = f;
					*out = s;
					return 0;
				}
			}
		}
	}
	int rc = stop_in_draft(c, &c->drafts[target], q, out);
	if (rc || *out != GRENS_NONE)
		return rc;
	for (uint32_t f = 0; f < c->feed_count; f++) {
		if (f == target)
			continue;
		rc = stop_in_draft(c, &c->drafts[f], q, out);
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

/* A station (or stop) of draft d as one of the stations trips call at, for
 * edits that select trips: the stop must be in d itself. */
static int resolve_station(struct ctx *c, uint32_t target, const sc_str *q, uint32_t *out)
{
	uint32_t from;
	int rc = resolve(c, target, q, &from, out);
	if (rc)
		return rc;
	if (from != target)
		return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, q->at, "stop",
			       "stop '%s' is in feed %s, not in feed %s", q->s,
			       c->drafts[from].base->name, c->drafts[target].base->name);
	*out = station_of(&c->drafts[target], *out);
	return 0;
}

static bool platform_matches(const grens_gtfs_stop *s, const char *platform)
{
	if (strcmp(s->platform_code, platform) == 0)
		return true;
	size_t il = strlen(s->id), pl = strlen(platform);
	return il > pl && strcmp(s->id + il - pl, platform) == 0 &&
	       (s->id[il - pl - 1] == ':' || s->id[il - pl - 1] == '_');
}

/* A stop that trips can call at for a stop reference (a station's platform:
 * the one named by `platform`, else the first), copied into the target
 * feed when it belongs to another. */
static int boardable(struct ctx *c, uint32_t target, const sc_str *q, const sc_str *platform,
		     uint32_t *out)
{
	uint32_t from, s;
	int rc = resolve(c, target, q, &from, &s);
	if (rc)
		return rc;
	struct draft *fd = &c->drafts[from];
	if (fd->stops.v[s].location_type == 1 || (platform && platform->s)) {
		uint32_t station = station_of(fd, s), pick = GRENS_NONE;
		for (size_t i = 0; i < fd->stops.n && pick == GRENS_NONE; i++) {
			const grens_gtfs_stop *p = &fd->stops.v[i];
			if (p->parent != station || p->location_type != 0)
				continue;
			if (!platform || !platform->s || platform_matches(p, platform->s))
				pick = (uint32_t)i;
		}
		if (pick == GRENS_NONE && platform && platform->s)
			return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, platform->at, "platform",
				       "stop '%s' has no platform '%s'", q->s, platform->s);
		if (pick != GRENS_NONE)
			s = pick;
	}
	if (from == target) {
		*out = s;
		return 0;
	}
	/* Copy the stop into the target feed under "feed:stop_id"; linking
	 * joins it to the original by name and distance. */
	struct draft *d = &c->drafts[target];
	const grens_gtfs_stop *src = &fd->stops.v[s];
	char id[512];
	snprintf(id, sizeof(id), "%s:%s", fd->base->name, src->id);
	uint32_t have = stop_by_id(d, id);
	if (have != GRENS_NONE) {
		*out = have;
		return 0;
	}
	if (VEC_GROW(d->stops))
		return oom(c);
	grens_gtfs_stop copy = *src;
	copy.id = dupstr(c, id);
	if (!copy.id)
		return oom(c);
	copy.parent = GRENS_NONE;
	copy.location_type = 0;
	*out = (uint32_t)d->stops.n;
	d->stops.v[d->stops.n++] = copy;
	c->res->stats.stops_added++;
	return 0;
}

/* ---- route and trip selection ----------------------------------------------- */

/* Mark the routes of d whose short name or id is q (sel[route] = 1). Returns
 * the number matched. */
static uint32_t select_routes(const struct draft *d, const char *q, uint8_t *sel)
{
	uint32_t n = 0;
	for (size_t r = 0; r < d->routes.n; r++) {
		if (strcmp(d->routes.v[r].short_name, q) == 0 ||
		    strcmp(d->routes.v[r].id, q) == 0) {
			sel[r] = 1;
			n++;
		}
	}
	return n;
}

static int route_selection(struct ctx *c, struct draft *d, const sc_str *q, uint8_t **sel)
{
	*sel = calloc(d->routes.n ? d->routes.n : 1, 1);
	if (!*sel)
		return oom(c);
	if (select_routes(d, q->s, *sel) == 0) {
		free(*sel);
		*sel = NULL;
		return sc_fail(
		    c->sc, c->err, GRENS_ENOTFOUND, q->at, "route",
		    "unknown route '%s' in feed %s (give a route_short_name or route_id)", q->s,
		    d->base->name);
	}
	return 0;
}

void sc_no_effect(const grens_scenario *sc, grens_diag *diag, const sc_edit *e, const char *what)
{
	grens_diag_add(diag, "scenario_edit_no_effect", GRENS_SEVERITY_WARNING, sc->file,
		       e->at.line, "", "%s matched no trip", what);
}

static void no_effect(struct ctx *c, const sc_edit *e, const char *what)
{
	sc_no_effect(c->sc, c->diag, e, what);
}

/* Copy a trip's rows k0..k1 (inclusive) as a new block with times shifted by
 * shift; returns the first row's index in *first. */
static int copy_rows(struct ctx *c, struct draft *d, const grens_gtfs_trip *t, uint32_t k0,
		     uint32_t k1, int32_t shift, uint32_t *first)
{
	*first = next_row_index(d);
	for (uint32_t k = k0; k <= k1; k++) {
		grens_gtfs_stop_time r = *row(d, t->first_stop_time + k);
		r.arrival += t->time_offset + shift;
		r.departure += t->time_offset + shift;
		int rc = add_row(c, d, &r);
		if (rc)
			return rc;
	}
	return 0;
}

int32_t sc_max_time(void)
{
	return GRENS_LIMIT_MAX_HOURS * 3600;
}

int32_t sc_speed_run(double meters, double speed_kmh)
{
	long minutes = lround(meters / (speed_kmh / 3.6) / 60.0);
	return (int32_t)(minutes < 1 ? 60 : minutes * 60);
}

/* ---- edits ------------------------------------------------------------------- */

static int apply_remove(struct ctx *c, const sc_edit *e)
{
	uint32_t f0 = 0, f1 = c->feed_count;
	int rc = 0;
	if (e->feed.s) {
		rc = find_feed(c, &e->feed, &f0);
		if (rc)
			return rc;
		f1 = f0 + 1;
	}
	const sc_list *lists[3] = {&e->routes, &e->route_ids, &e->trips};
	/* Every named route, trip and stop must exist somewhere. */
	for (int l = 0; l < 3; l++) {
		for (uint32_t i = 0; i < lists[l]->count; i++) {
			const sc_str *q = &lists[l]->items[i];
			bool found = false;
			for (uint32_t f = f0; f < f1 && !found; f++) {
				struct draft *d = &c->drafts[f];
				if (l == 2) {
					for (size_t t = 0; t < d->trips.n && !found; t++)
						found = strcmp(d->trips.v[t].id, q->s) == 0;
				} else {
					for (size_t r = 0; r < d->routes.n && !found; r++)
						found = strcmp(l == 0 ? d->routes.v[r].short_name
								      : d->routes.v[r].id,
							       q->s) == 0;
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
	uint32_t removed = 0;
	for (uint32_t f = f0; f < f1; f++) {
		struct draft *d = &c->drafts[f];
		uint8_t *rsel = calloc(d->routes.n ? d->routes.n : 1, 1);
		uint8_t *ssel = calloc(d->stops.n ? d->stops.n : 1, 1);
		if (!rsel || !ssel) {
			free(rsel);
			free(ssel);
			return oom(c);
		}
		for (size_t r = 0; r < d->routes.n; r++) {
			for (uint32_t i = 0; i < e->routes.count; i++)
				rsel[r] |=
				    strcmp(d->routes.v[r].short_name, e->routes.items[i].s) == 0;
			for (uint32_t i = 0; i < e->route_ids.count; i++)
				rsel[r] |= strcmp(d->routes.v[r].id, e->route_ids.items[i].s) == 0;
		}
		bool any_stop = false;
		for (uint32_t i = 0; i < e->stops.count && !rc; i++) {
			uint32_t st = GRENS_NONE;
			rc = stop_in_draft(c, d, &e->stops.items[i], &st);
			if (!rc && st != GRENS_NONE) {
				ssel[station_of(d, st)] = 1;
				any_stop = true;
			}
		}
		for (size_t t = 0; t < d->trips.n && !rc; t++) {
			grens_gtfs_trip *tr = &d->trips.v[t];
			if (d->removed.v[t])
				continue;
			bool hit = rsel[tr->route] != 0;
			for (uint32_t i = 0; i < e->trips.count && !hit; i++)
				hit = strcmp(tr->id, e->trips.items[i].s) == 0;
			for (uint32_t k = 0; k < tr->stop_time_count && any_stop && !hit; k++)
				hit =
				    ssel[station_of(d, row(d, tr->first_stop_time + k)->stop)] != 0;
			if (hit) {
				d->removed.v[t] = 1;
				removed++;
			}
		}
		free(rsel);
		free(ssel);
		if (rc)
			return rc;
	}
	/* A stop name that no feed knows is an error, like a route. */
	for (uint32_t i = 0; i < e->stops.count; i++) {
		bool found = false;
		for (uint32_t f = f0; f < f1 && !found; f++) {
			uint32_t st = GRENS_NONE;
			rc = stop_in_draft(c, &c->drafts[f], &e->stops.items[i], &st);
			if (rc)
				return rc;
			found = st != GRENS_NONE;
		}
		if (!found)
			return sc_fail(c->sc, c->err, GRENS_ENOTFOUND, e->stops.items[i].at,
				       "stops", "unknown stop '%s'", e->stops.items[i].s);
	}
	c->res->stats.trips_removed += removed;
	if (!removed)
		no_effect(c, e, "remove");
	return 0;
}

bool sc_minute_selected(const sc_edit *e, int32_t t)
{
	if (!e->minute_count)
		return true;
	int32_t m = ((t / 60) % 60 + 60) % 60;
	for (uint32_t i = 0; i < e->minute_count; i++)
		if (e->minutes[i] == m)
			return true;
	return false;
}

static int apply_extend(struct ctx *c, const sc_edit *e)
{
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	struct draft *d = &c->drafts[f];
	uint32_t at;
	rc = resolve_station(c, f, &e->stop_at, &at);
	if (rc)
		return rc;
	uint32_t *stops = calloc(e->hop_count, sizeof(uint32_t));
	uint8_t *sel = NULL;
	if (!stops)
		return oom(c);
	for (uint32_t i = 0; i < e->hop_count && !rc; i++)
		rc = boardable(c, f, &e->hops[i].stop, &e->hops[i].platform, &stops[i]);
	if (!rc)
		rc = route_selection(c, d, &e->route, &sel);
	uint32_t changed = 0;
	size_t trip_n = d->trips.n;
	for (size_t t = 0; t < trip_n && !rc; t++) {
		grens_gtfs_trip tr = d->trips.v[t];
		if (d->removed.v[t] || !sel[tr.route] || tr.stop_time_count < 2)
			continue;
		uint32_t last = tr.stop_time_count - 1;
		bool fwd = (e->directions & SC_FORWARD) &&
			   station_of(d, row(d, tr.first_stop_time + last)->stop) == at;
		bool bwd = !fwd && (e->directions & SC_BACKWARD) &&
			   station_of(d, row(d, tr.first_stop_time)->stop) == at;
		if (!fwd && !bwd)
			continue;
		int32_t t_at = fwd ? arr_of(d, &tr, last) : dep_of(d, &tr, 0);
		if (!sc_minute_selected(e, t_at))
			continue;
		uint32_t first = next_row_index(d);
		grens_gtfs_stop_time nr = {0};
		nr.shape_dist_traveled = NAN;
		nr.timepoint = 1;
		nr.headsign = 0; /* no stop_headsign */
		if (fwd) {
			rc = copy_rows(c, d, &tr, 0, last, 0, &first);
			if (rc)
				break;
			grens_gtfs_stop_time *jr = &d->new_stop_times.v[d->new_stop_times.n - 1];
			jr->departure = jr->arrival + e->at_dwell;
			jr->pickup_type = 0;
			int32_t time = jr->departure;
			uint32_t seq = jr->sequence;
			for (uint32_t i = 0; i < e->hop_count && !rc; i++) {
				nr.stop = stops[i];
				nr.sequence = ++seq;
				nr.arrival = time + e->hops[i].run;
				nr.departure =
				    nr.arrival + (i + 1 < e->hop_count ? e->hops[i].dwell : 0);
				time = nr.departure;
				if (time > sc_max_time())
					rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->hops[i].at,
						     "run", "extend: trip %s would run past %d:00",
						     tr.id, GRENS_LIMIT_MAX_HOURS);
				else
					rc = add_row(c, d, &nr);
			}
			d->trips.v[t].headsign = d->stops.v[stops[e->hop_count - 1]].name;
		} else {
			/* Times backward from the departure at `at`. */
			int32_t *arr = calloc(e->hop_count, sizeof(int32_t));
			int32_t *dep = calloc(e->hop_count, sizeof(int32_t));
			if (!arr || !dep) {
				free(arr);
				free(dep);
				rc = oom(c);
				break;
			}
			int32_t at_arr = t_at - e->at_dwell, time = at_arr;
			for (uint32_t i = 0; i < e->hop_count; i++) {
				int32_t run =
				    e->hops[i].run_back >= 0 ? e->hops[i].run_back : e->hops[i].run;
				dep[i] = time - run;
				arr[i] = dep[i] - (i + 1 < e->hop_count ? e->hops[i].dwell : 0);
				time = arr[i];
			}
			if (time < 0) {
				rc = sc_fail(
				    c->sc, c->err, GRENS_EFORMAT, e->at, "stops",
				    "extend: trip %s would start before 00:00 of its service "
				    "day",
				    tr.id);
			}
			uint32_t seq = 0;
			for (uint32_t i = e->hop_count; i-- > 0 && !rc;) {
				nr.stop = stops[i];
				nr.sequence = ++seq;
				nr.arrival = arr[i];
				nr.departure = dep[i];
				rc = add_row(c, d, &nr);
			}
			free(arr);
			free(dep);
			for (uint32_t k = 0; k <= last && !rc; k++) {
				grens_gtfs_stop_time r = *row(d, tr.first_stop_time + k);
				r.arrival += tr.time_offset;
				r.departure += tr.time_offset;
				r.sequence = ++seq;
				if (k == 0) {
					r.arrival = at_arr;
					r.drop_off_type = 0;
				}
				rc = add_row(c, d, &r);
			}
		}
		if (rc)
			break;
		grens_gtfs_trip *nt = &d->trips.v[t];
		nt->first_stop_time = first;
		nt->stop_time_count = tr.stop_time_count + e->hop_count;
		nt->time_offset = 0;
		nt->block_id = ""; /* the vehicle no longer turns where the block said */
		changed++;
	}
	free(stops);
	free(sel);
	if (rc)
		return rc;
	c->res->stats.trips_changed += changed;
	if (!changed)
		no_effect(c, e, "extend");
	return 0;
}

static int apply_truncate(struct ctx *c, const sc_edit *e)
{
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	struct draft *d = &c->drafts[f];
	uint32_t at, toward;
	uint8_t *sel = NULL;
	rc = resolve_station(c, f, &e->stop_at, &at);
	if (!rc)
		rc = resolve_station(c, f, &e->toward, &toward);
	if (!rc)
		rc = route_selection(c, d, &e->route, &sel);
	if (rc)
		return rc;
	uint32_t changed = 0, removed = 0;
	for (size_t t = 0; t < d->trips.n && !rc; t++) {
		grens_gtfs_trip tr = d->trips.v[t];
		if (d->removed.v[t] || !sel[tr.route])
			continue;
		uint32_t ia = GRENS_NONE, it = GRENS_NONE;
		for (uint32_t k = 0; k < tr.stop_time_count; k++) {
			uint32_t st = station_of(d, row(d, tr.first_stop_time + k)->stop);
			if (st == at && ia == GRENS_NONE)
				ia = k;
			if (st == toward && it == GRENS_NONE)
				it = k;
		}
		if (ia == GRENS_NONE || it == GRENS_NONE)
			continue;
		uint32_t k0 = it > ia ? 0 : ia, k1 = it > ia ? ia : tr.stop_time_count - 1;
		if (k1 <= k0) {
			d->removed.v[t] = 1;
			removed++;
			continue;
		}
		uint32_t first;
		rc = copy_rows(c, d, &tr, k0, k1, 0, &first);
		if (rc)
			break;
		grens_gtfs_trip *nt = &d->trips.v[t];
		nt->first_stop_time = first;
		nt->stop_time_count = k1 - k0 + 1;
		nt->time_offset = 0;
		nt->block_id = "";
		if (it > ia)
			nt->headsign = d->stops.v[at].name;
		changed++;
	}
	free(sel);
	if (rc)
		return rc;
	c->res->stats.trips_changed += changed;
	c->res->stats.trips_removed += removed;
	if (!changed && !removed)
		no_effect(c, e, "truncate");
	return 0;
}

static int apply_headway(struct ctx *c, const sc_edit *e)
{
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	struct draft *d = &c->drafts[f];
	uint8_t *sel = NULL;
	rc = route_selection(c, d, &e->route, &sel);
	if (rc)
		return rc;
	VEC(struct sc_hw_group) groups = {0};
	uint32_t removed = 0, added = 0;
	size_t trip_n = d->trips.n;
	for (size_t t = 0; t < trip_n && !rc; t++) {
		const grens_gtfs_trip *tr = &d->trips.v[t];
		if (d->removed.v[t] || !sel[tr->route] || tr->stop_time_count < 2)
			continue;
		int32_t dep = dep_of(d, tr, 0);
		if (dep < e->band_start || dep >= e->band_end)
			continue;
		struct sc_hw_group key = {
		    tr->service,
		    station_of(d, row(d, tr->first_stop_time)->stop),
		    station_of(d, row(d, tr->first_stop_time + tr->stop_time_count - 1)->stop),
		    tr->stop_time_count,
		    (uint32_t)t,
		    dep,
		};
		size_t g = 0;
		while (g < groups.n && !(groups.v[g].service == key.service &&
					 groups.v[g].first_station == key.first_station &&
					 groups.v[g].last_station == key.last_station &&
					 groups.v[g].count == key.count))
			g++;
		if (g == groups.n) {
			if (VEC_GROW(groups)) {
				rc = oom(c);
				break;
			}
			groups.v[groups.n++] = key;
		} else if (dep < groups.v[g].template_dep) {
			groups.v[g].template_trip = (uint32_t)t;
			groups.v[g].template_dep = dep;
		}
		d->removed.v[t] = 1;
		removed++;
	}
	for (size_t g = 0; g < groups.n && !rc; g++) {
		uint32_t k = 0;
		for (int32_t dep = groups.v[g].template_dep; dep < e->band_end && !rc;
		     dep += e->headway, k++) {
			if (k >= GRENS_SCENARIO_MAX_ITEMS) {
				rc = sc_fail(c->sc, c->err, GRENS_ELIMIT, e->at, "headway",
					     "headway: more than %u trips in the band",
					     GRENS_SCENARIO_MAX_ITEMS);
				break;
			}
			grens_gtfs_trip nt = d->trips.v[groups.v[g].template_trip];
			uint32_t first;
			rc = copy_rows(c, d, &nt, 0, nt.stop_time_count - 1,
				       dep - groups.v[g].template_dep, &first);
			if (rc)
				break;
			char id[512];
			snprintf(id, sizeof(id), "%s~hw%u", nt.id, k);
			nt.id = dupstr(c, id);
			if (!nt.id) {
				rc = oom(c);
				break;
			}
			nt.first_stop_time = first;
			nt.time_offset = 0;
			nt.frequency = GRENS_NONE;
			nt.frequency_start = GRENS_TIME_NONE;
			nt.block_id = "";
			nt.short_name = "";
			rc = add_trip(c, d, &nt);
			added++;
		}
	}
	free(groups.v);
	free(sel);
	if (rc)
		return rc;
	c->res->stats.trips_removed += removed;
	c->res->stats.trips_added += added;
	if (!removed)
		no_effect(c, e, "headway");
	return 0;
}

static int cmp_exception(const void *a, const void *b)
{
	const grens_gtfs_service_exception *x = a, *y = b;
	return (x->date > y->date) - (x->date < y->date);
}

/* A new service for one `services` entry of an add-line. */
static int add_service(struct ctx *c, struct draft *d, const sc_service *sv, const char *id,
		       uint32_t *out)
{
	grens_gtfs_service s = {0};
	s.id = dupstr(c, id);
	if (!s.id)
		return oom(c);
	s.has_calendar = sv->weekdays != 0;
	s.weekdays = sv->weekdays;
	s.start_date = d->base->first_service_date;
	s.end_date = d->base->last_service_date;
	if (s.has_calendar && s.start_date == GRENS_DATE_NONE)
		return sc_fail(c->sc, c->err, GRENS_EFORMAT, sv->at, "days",
			       "service: feed %s has no service days to repeat 'days' over; give "
			       "'dates'",
			       d->base->name);
	if (!s.has_calendar)
		s.start_date = s.end_date = GRENS_DATE_NONE;
	s.first_exception = (uint32_t)d->exceptions.n;
	for (int pass = 0; pass < 2; pass++) {
		const grens_date *list = pass ? sv->except : sv->dates;
		uint32_t n = pass ? sv->except_count : sv->date_count;
		for (uint32_t i = 0; i < n; i++) {
			if (VEC_GROW(d->exceptions))
				return oom(c);
			grens_gtfs_service_exception x = {list[i], (uint8_t)(pass ? 2 : 1)};
			d->exceptions.v[d->exceptions.n++] = x;
			if (!pass) {
				if (d->first_date == GRENS_DATE_NONE || list[i] < d->first_date)
					d->first_date = list[i];
				if (d->last_date == GRENS_DATE_NONE || list[i] > d->last_date)
					d->last_date = list[i];
			}
		}
	}
	s.exception_count = (uint32_t)(d->exceptions.n - s.first_exception);
	qsort(d->exceptions.v + s.first_exception, s.exception_count,
	      sizeof(grens_gtfs_service_exception), cmp_exception);
	if (VEC_GROW(d->services))
		return oom(c);
	*out = (uint32_t)d->services.n;
	d->services.v[d->services.n++] = s;
	return 0;
}

static int apply_add_line(struct ctx *c, const sc_edit *e)
{
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	struct draft *d = &c->drafts[f];
	char id[512];
	snprintf(id, sizeof(id), "%s", e->id.s ? e->id.s : e->name.s);
	for (size_t r = 0; r < d->routes.n; r++)
		if (strcmp(d->routes.v[r].id, id) == 0)
			return sc_fail(
			    c->sc, c->err, GRENS_EFORMAT, e->id.s ? e->id.at : e->name.at,
			    e->id.s ? "id" : "name",
			    "add-line: route id '%s' is already in feed %s; give another "
			    "'id'",
			    id, d->base->name);
	/* Agency: by id or name, else a new one. */
	uint32_t agency = GRENS_NONE;
	for (size_t a = 0; a < d->agencies.n && agency == GRENS_NONE; a++)
		if (!e->agency.s || strcmp(d->agencies.v[a].id, e->agency.s) == 0 ||
		    strcmp(d->agencies.v[a].name, e->agency.s) == 0)
			agency = (uint32_t)a;
	if (agency == GRENS_NONE) {
		grens_gtfs_agency ag = {0};
		ag.id = ag.name = e->agency.s ? e->agency.s : "scenario";
		ag.url = ag.lang = "";
		ag.timezone = d->agencies.n ? d->agencies.v[0].timezone : "Europe/Amsterdam";
		if (VEC_GROW(d->agencies))
			return oom(c);
		agency = (uint32_t)d->agencies.n;
		d->agencies.v[d->agencies.n++] = ag;
	}
	uint32_t *stops = calloc(e->hop_count, sizeof(uint32_t));
	int32_t *run = calloc(e->hop_count, sizeof(int32_t));
	int32_t *run_back = calloc(e->hop_count, sizeof(int32_t));
	if (!stops || !run || !run_back) {
		rc = oom(c);
		goto done;
	}
	for (uint32_t i = 0; i < e->hop_count && !rc; i++)
		rc = boardable(c, f, &e->hops[i].stop, &e->hops[i].platform, &stops[i]);
	for (uint32_t i = 1; i < e->hop_count && !rc; i++) {
		run[i] = e->hops[i].run;
		if (run[i] < 0) {
			const grens_gtfs_stop *a = &d->stops.v[stops[i - 1]],
					      *b = &d->stops.v[stops[i]];
			if (isnan(a->lat) || isnan(b->lat)) {
				rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->hops[i].at, "run",
					     "stops: '%s' has no coordinates to compute a run time "
					     "from 'speed'; give 'run'",
					     e->hops[i].stop.s);
				break;
			}
			/* Straight-line distance at the line's average speed, in
			 * whole minutes (at least one). */
			run[i] = sc_speed_run(grens_geo_distance_m(a->lat, a->lon, b->lat, b->lon),
					      e->speed_kmh);
		}
		run_back[i] = e->hops[i].run_back >= 0 ? e->hops[i].run_back : run[i];
	}
	if (rc)
		goto done;
	grens_gtfs_route route = {0};
	route.id = dupstr(c, id);
	route.short_name = e->name.s;
	route.long_name = e->long_name.s ? e->long_name.s : "";
	route.desc = "";
	route.color = e->color.s ? e->color.s : "";
	route.text_color = e->text_color.s ? e->text_color.s : "";
	route.agency = agency;
	route.type = e->route_type;
	if (!route.id || VEC_GROW(d->routes)) {
		rc = oom(c);
		goto done;
	}
	uint32_t route_index = (uint32_t)d->routes.n;
	d->routes.v[d->routes.n++] = route;
	c->res->stats.routes_added++;
	uint32_t trip_no = 0;
	for (uint32_t s = 0; s < e->service_count && !rc; s++) {
		const sc_service *sv = &e->services[s];
		char sid[600];
		snprintf(sid, sizeof(sid), "%s:s%u", id, s + 1);
		uint32_t service = GRENS_NONE;
		if (sv->service_id.s) {
			for (size_t x = 0; x < d->services.n && service == GRENS_NONE; x++)
				if (strcmp(d->services.v[x].id, sv->service_id.s) == 0)
					service = (uint32_t)x;
			if (service == GRENS_NONE)
				rc = sc_fail(c->sc, c->err, GRENS_ENOTFOUND, sv->service_id.at,
					     "service-id", "feed %s has no service_id '%s'",
					     d->base->name, sv->service_id.s);
		} else {
			rc = add_service(c, d, sv, sid, &service);
		}
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
				uint32_t first = next_row_index(d);
				for (uint32_t j = 0; j < e->hop_count && !rc; j++) {
					uint32_t i = dir ? e->hop_count - 1 - j : j;
					grens_gtfs_stop_time r = {0};
					if (j > 0)
						time += dir ? run_back[i + 1] : run[i];
					r.arrival = time;
					if (j > 0 && j + 1 < e->hop_count)
						time += e->hops[i].dwell;
					r.departure = time;
					r.stop = stops[i];
					r.sequence = j + 1;
					r.shape_dist_traveled = NAN;
					r.timepoint = 1;
					r.headsign = 0; /* no stop_headsign */
					if (time > sc_max_time())
						rc = sc_fail(
						    c->sc, c->err, GRENS_EFORMAT, sv->at, "last",
						    "add-line: a trip would run past %d:00",
						    GRENS_LIMIT_MAX_HOURS);
					else
						rc = add_row(c, d, &r);
				}
				if (rc)
					break;
				grens_gtfs_trip t = {0};
				char tid[700];
				snprintf(tid, sizeof(tid), "%s:%u", id, ++trip_no);
				t.id = dupstr(c, tid);
				if (!t.id) {
					rc = oom(c);
					break;
				}
				uint32_t last_stop = stops[dir ? 0 : e->hop_count - 1];
				t.headsign =
				    e->headsign.s ? e->headsign.s : d->stops.v[last_stop].name;
				t.short_name = t.block_id = t.shape_id = "";
				t.route = route_index;
				t.service = service;
				t.first_stop_time = first;
				t.stop_time_count = e->hop_count;
				t.direction_id = (int8_t)dir;
				t.frequency = GRENS_NONE;
				t.frequency_start = GRENS_TIME_NONE;
				rc = add_trip(c, d, &t);
				c->res->stats.trips_added++;
			}
		}
	}
done:
	free(stops);
	free(run);
	free(run_back);
	return rc;
}

/* ---- overlay --------------------------------------------------------------------- */

static int apply_overlay(struct ctx *c, const sc_edit *e)
{
	uint32_t f;
	int rc = find_feed(c, &e->feed, &f);
	if (rc)
		return rc;
	struct draft *d = &c->drafts[f];
	grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
	opts.name = d->base->name;
	opts.read_shapes = false;
	grens_gtfs_feed *ov = NULL;
	grens_gtfs_feed **list =
	    realloc(c->res->overlays, (c->res->overlay_count + 1) * sizeof(grens_gtfs_feed *));
	if (!list)
		return oom(c);
	c->res->overlays = list;
	rc = grens_gtfs_load(&ov, e->path.s, &opts, c->diag, c->err);
	if (rc) {
		char msg[sizeof(c->err->message)];
		memcpy(msg, c->err->message, sizeof(msg));
		return sc_fail(c->sc, c->err, rc, e->path.at, "path", "overlay %s: %s", e->path.s, msg);
	}
	list[c->res->overlay_count++] = ov;
	uint32_t *amap = calloc(ov->agency_count + 1, sizeof(uint32_t));
	uint32_t *smap = calloc(ov->stop_count + 1, sizeof(uint32_t));
	uint32_t *rmap = calloc(ov->route_count + 1, sizeof(uint32_t));
	uint32_t *svmap = calloc(ov->service_count + 1, sizeof(uint32_t));
	uint32_t *tmap = calloc(ov->trip_count + 1, sizeof(uint32_t));
	if (!amap || !smap || !rmap || !svmap || !tmap) {
		rc = oom(c);
		goto done;
	}
	for (uint32_t a = 0; a < ov->agency_count && !rc; a++) {
		amap[a] = GRENS_NONE;
		for (size_t x = 0; x < d->agencies.n && amap[a] == GRENS_NONE; x++)
			if (strcmp(d->agencies.v[x].id, ov->agencies[a].id) == 0)
				amap[a] = (uint32_t)x;
		if (amap[a] == GRENS_NONE) {
			if (VEC_GROW(d->agencies)) {
				rc = oom(c);
				break;
			}
			amap[a] = (uint32_t)d->agencies.n;
			d->agencies.v[d->agencies.n++] = ov->agencies[a];
		}
	}
	size_t stop_base = d->stops.n;
	for (uint32_t s = 0; s < ov->stop_count && !rc; s++) {
		smap[s] = stop_by_id(d, ov->stops[s].id);
		if (smap[s] != GRENS_NONE && smap[s] < stop_base)
			continue;
		if (VEC_GROW(d->stops)) {
			rc = oom(c);
			break;
		}
		smap[s] = (uint32_t)d->stops.n;
		d->stops.v[d->stops.n++] = ov->stops[s];
		c->res->stats.stops_added++;
	}
	for (size_t s = stop_base; s < d->stops.n && !rc; s++)
		if (d->stops.v[s].parent != GRENS_NONE)
			d->stops.v[s].parent = smap[d->stops.v[s].parent];
	for (uint32_t r = 0; r < ov->route_count && !rc; r++) {
		rmap[r] = GRENS_NONE;
		for (size_t x = 0; x < d->routes.n && rmap[r] == GRENS_NONE; x++)
			if (strcmp(d->routes.v[x].id, ov->routes[r].id) == 0)
				rmap[r] = (uint32_t)x; /* more trips on an existing route */
		if (rmap[r] != GRENS_NONE)
			continue;
		if (VEC_GROW(d->routes)) {
			rc = oom(c);
			break;
		}
		grens_gtfs_route route = ov->routes[r];
		route.agency = route.agency == GRENS_NONE ? 0 : amap[route.agency];
		rmap[r] = (uint32_t)d->routes.n;
		d->routes.v[d->routes.n++] = route;
		c->res->stats.routes_added++;
	}
	for (uint32_t s = 0; s < ov->service_count && !rc; s++) {
		svmap[s] = GRENS_NONE;
		for (size_t x = 0; x < d->services.n && svmap[s] == GRENS_NONE; x++)
			if (strcmp(d->services.v[x].id, ov->services[s].id) == 0)
				svmap[s] = (uint32_t)x;
		if (svmap[s] != GRENS_NONE) {
			grens_diag_add(
			    c->diag, "scenario_overlay_service_reused", GRENS_SEVERITY_INFO,
			    c->sc->file, e->at.line, "service_id",
			    "overlay service '%s' is the feed's own: its calendar applies",
			    ov->services[s].id);
			continue;
		}
		grens_gtfs_service sv = ov->services[s];
		sv.first_exception = (uint32_t)d->exceptions.n;
		for (uint32_t x = 0; x < sv.exception_count && !rc; x++) {
			if (VEC_GROW(d->exceptions)) {
				rc = oom(c);
				break;
			}
			d->exceptions.v[d->exceptions.n++] =
			    ov->exceptions[ov->services[s].first_exception + x];
		}
		if (rc || VEC_GROW(d->services)) {
			rc = rc ? rc : oom(c);
			break;
		}
		svmap[s] = (uint32_t)d->services.n;
		d->services.v[d->services.n++] = sv;
	}
	if (!rc && ov->first_service_date != GRENS_DATE_NONE) {
		if (d->first_date == GRENS_DATE_NONE || ov->first_service_date < d->first_date)
			d->first_date = ov->first_service_date;
		if (d->last_date == GRENS_DATE_NONE || ov->last_service_date > d->last_date)
			d->last_date = ov->last_service_date;
	}
	for (uint32_t t = 0; t < ov->trip_count && !rc; t++) {
		const grens_gtfs_trip *src = &ov->trips[t];
		for (size_t x = 0; x < d->trips.n; x++) {
			if (strcmp(d->trips.v[x].id, src->id) == 0 &&
			    (src->frequency == GRENS_NONE || x < d->base->trip_count)) {
				rc = sc_fail(c->sc, c->err, GRENS_EFORMAT, e->path.at, "path",
					     "overlay trip '%s' is already in feed %s", src->id,
					     d->base->name);
				break;
			}
		}
		if (rc)
			break;
		grens_gtfs_trip nt = *src;
		nt.first_stop_time = next_row_index(d);
		for (uint32_t k = 0; k < src->stop_time_count && !rc; k++) {
			grens_gtfs_stop_time r = ov->stop_times[src->first_stop_time + k];
			r.arrival += src->time_offset;
			r.departure += src->time_offset;
			r.stop = smap[r.stop];
			rc = map_headsign(c, d, ov, &r);
			if (!rc)
				rc = add_row(c, d, &r);
		}
		nt.time_offset = 0;
		nt.frequency = GRENS_NONE;
		nt.route = rmap[src->route];
		nt.service = svmap[src->service];
		tmap[t] = (uint32_t)d->trips.n;
		if (!rc)
			rc = add_trip(c, d, &nt);
		c->res->stats.trips_added++;
	}
	for (uint32_t x = 0; x < ov->transfer_count && !rc; x++) {
		grens_gtfs_transfer tf = ov->transfers[x];
		tf.from_stop = tf.from_stop == GRENS_NONE ? GRENS_NONE : smap[tf.from_stop];
		tf.to_stop = tf.to_stop == GRENS_NONE ? GRENS_NONE : smap[tf.to_stop];
		tf.from_route = tf.from_route == GRENS_NONE ? GRENS_NONE : rmap[tf.from_route];
		tf.to_route = tf.to_route == GRENS_NONE ? GRENS_NONE : rmap[tf.to_route];
		tf.from_trip = tf.from_trip == GRENS_NONE ? GRENS_NONE : tmap[tf.from_trip];
		tf.to_trip = tf.to_trip == GRENS_NONE ? GRENS_NONE : tmap[tf.to_trip];
		if (VEC_GROW(d->transfers)) {
			rc = oom(c);
			break;
		}
		d->transfers.v[d->transfers.n++] = tf;
	}
done:
	free(amap);
	free(smap);
	free(rmap);
	free(svmap);
	free(tmap);
	return rc;
}

/* ---- drafts in and out ---------------------------------------------------------- */

static int draft_init(struct ctx *c, struct draft *d, const grens_gtfs_feed *base)
{
	d->base = base;
	d->first_date = base->first_service_date;
	d->last_date = base->last_service_date;
	if (VEC_COPY(d->agencies, base->agencies, base->agency_count) ||
	    VEC_COPY(d->stops, base->stops, base->stop_count) ||
	    VEC_COPY(d->routes, base->routes, base->route_count) ||
	    VEC_COPY(d->trips, base->trips, base->trip_count) ||
	    VEC_COPY(d->services, base->services, base->service_count) ||
	    VEC_COPY(d->exceptions, base->exceptions, base->exception_count) ||
	    VEC_COPY(d->transfers, base->transfers, base->transfer_count) ||
	    vec_reserve((void **)&d->removed.v, &d->removed.cap, 1, base->trip_count + 1u))
		return oom(c);
	memset(d->removed.v, 0, base->trip_count);
	d->removed.n = base->trip_count;
	return 0;
}

static void draft_free(struct draft *d)
{
	free(d->agencies.v);
	free(d->stops.v);
	free(d->routes.v);
	free(d->trips.v);
	free(d->removed.v);
	free(d->new_stop_times.v);
	free(d->new_headsigns.v);
	free(d->services.v);
	free(d->exceptions.v);
	free(d->transfers.v);
	free(d->folded.v);
}

#define ARENA_COPY(arena, dst, src, n)                                                             \
	((dst) = grens_arena_calloc((arena), (n) ? (n) : 1, sizeof(*(src)), 16),                   \
	 (dst) ? (memcpy((dst), (src), (n) * sizeof(*(src))), 0) : GRENS_ENOMEM)

static int draft_finish(struct ctx *c, struct draft *d, grens_gtfs_feed **out)
{
	grens_arena *arena = c->res->arena;
	const grens_gtfs_feed *b = d->base;
	grens_gtfs_feed *f = grens_arena_alloc(arena, sizeof(*f), 16);
	if (!f)
		return oom(c);
	*f = *b;
	f->index = NULL;
	f->arena = NULL;
	uint32_t *tmap = calloc(d->trips.n + 1, sizeof(uint32_t));
	if (!tmap)
		return oom(c);
	uint32_t kept = 0;
	for (size_t t = 0; t < d->trips.n; t++)
		tmap[t] = d->removed.v[t] ? GRENS_NONE : kept++;
	int rc = 0;
	f->trips = grens_arena_calloc(arena, kept ? kept : 1, sizeof(grens_gtfs_trip), 16);
	if (!f->trips) {
		rc = oom(c);
		goto done;
	}
	for (size_t t = 0; t < d->trips.n; t++)
		if (tmap[t] != GRENS_NONE)
			f->trips[tmap[t]] = d->trips.v[t];
	f->trip_count = kept;
	if (ARENA_COPY(arena, f->agencies, d->agencies.v, d->agencies.n) ||
	    ARENA_COPY(arena, f->stops, d->stops.v, d->stops.n) ||
	    ARENA_COPY(arena, f->routes, d->routes.v, d->routes.n) ||
	    ARENA_COPY(arena, f->services, d->services.v, d->services.n) ||
	    ARENA_COPY(arena, f->exceptions, d->exceptions.v, d->exceptions.n)) {
		rc = oom(c);
		goto done;
	}
	f->agency_count = (uint32_t)d->agencies.n;
	f->stop_count = (uint32_t)d->stops.n;
	f->route_count = (uint32_t)d->routes.n;
	f->service_count = (uint32_t)d->services.n;
	f->exception_count = (uint32_t)d->exceptions.n;
	/* Transfers that name a removed trip go with it. */
	f->transfers =
	    grens_arena_calloc(arena, d->transfers.n + 1, sizeof(grens_gtfs_transfer), 16);
	if (!f->transfers) {
		rc = oom(c);
		goto done;
	}
	f->transfer_count = 0;
	for (size_t x = 0; x < d->transfers.n; x++) {
		grens_gtfs_transfer tf = d->transfers.v[x];
		if ((tf.from_trip != GRENS_NONE && tmap[tf.from_trip] == GRENS_NONE) ||
		    (tf.to_trip != GRENS_NONE && tmap[tf.to_trip] == GRENS_NONE))
			continue;
		if (tf.from_trip != GRENS_NONE)
			tf.from_trip = tmap[tf.from_trip];
		if (tf.to_trip != GRENS_NONE)
			tf.to_trip = tmap[tf.to_trip];
		f->transfers[f->transfer_count++] = tf;
	}
	f->frequencies =
	    grens_arena_calloc(arena, b->frequency_count + 1, sizeof(grens_gtfs_frequency), 16);
	if (!f->frequencies) {
		rc = oom(c);
		goto done;
	}
	for (uint32_t x = 0; x < b->frequency_count; x++) {
		f->frequencies[x] = b->frequencies[x];
		if (f->frequencies[x].trip != GRENS_NONE)
			f->frequencies[x].trip = tmap[f->frequencies[x].trip];
	}
	if (d->new_stop_times.n) {
		size_t n = b->stop_time_count + d->new_stop_times.n;
		f->stop_times = grens_arena_calloc(arena, n, sizeof(grens_gtfs_stop_time), 16);
		if (!f->stop_times) {
			rc = oom(c);
			goto done;
		}
		if (b->stop_time_count)
			memcpy(f->stop_times, b->stop_times,
			       b->stop_time_count * sizeof(grens_gtfs_stop_time));
		memcpy(f->stop_times + b->stop_time_count, d->new_stop_times.v,
		       d->new_stop_times.n * sizeof(grens_gtfs_stop_time));
		f->stop_time_count = (uint32_t)n;
	}
	if (d->new_headsigns.n) {
		size_t base = b->stop_headsign_count ? b->stop_headsign_count : 1;
		f->stop_headsigns =
		    grens_arena_calloc(arena, base + d->new_headsigns.n, sizeof(const char *), 16);
		if (!f->stop_headsigns) {
			rc = oom(c);
			goto done;
		}
		f->stop_headsigns[0] = "";
		if (b->stop_headsign_count)
			memcpy(f->stop_headsigns, b->stop_headsigns,
			       b->stop_headsign_count * sizeof(const char *));
		memcpy(f->stop_headsigns + base, d->new_headsigns.v,
		       d->new_headsigns.n * sizeof(const char *));
		f->stop_headsign_count = (uint32_t)(base + d->new_headsigns.n);
	}
	f->first_service_date = d->first_date;
	f->last_service_date = d->last_date;
	for (size_t s = b->service_count; s < d->services.n; s++) {
		const grens_gtfs_service *sv = &d->services.v[s];
		if (!sv->has_calendar)
			continue;
		if (f->first_service_date == GRENS_DATE_NONE ||
		    sv->start_date < f->first_service_date)
			f->first_service_date = sv->start_date;
		if (f->last_service_date == GRENS_DATE_NONE || sv->end_date > f->last_service_date)
			f->last_service_date = sv->end_date;
	}
	f->counts.agency = f->agency_count;
	f->counts.stops = f->stop_count;
	f->counts.routes = f->route_count;
	f->counts.trips = f->trip_count;
	f->counts.stop_times = f->stop_time_count;
	f->counts.transfers = f->transfer_count;
	*out = f;
done:
	free(tmap);
	return rc;
}

int grens_scenario_apply(grens_scenario_result **out, const grens_scenario *sc,
			 const grens_gtfs_feed *const *feeds, uint32_t feed_count, grens_diag *diag,
			 grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_apply: out is NULL");
	if (!sc)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_apply: sc is NULL");
	if (!feeds && feed_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_scenario_apply: feeds is NULL");
	grens_error local;
	if (!err)
		err = &local;
	grens_error_clear(err);
	*out = NULL;
	int rc = 0;
	struct ctx c = {sc, NULL, feed_count, NULL, diag, err};
	grens_scenario_result *res = calloc(1, sizeof(*res));
	if (!res)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	c.res = res;
	res->arena = grens_arena_new(0);
	c.drafts = calloc(feed_count ? feed_count : 1, sizeof(struct draft));
	res->feeds = calloc(feed_count ? feed_count : 1, sizeof(grens_gtfs_feed *));
	if (!res->arena || !c.drafts || !res->feeds) {
		rc = oom(&c);
		goto fail;
	}
	if (feed_count == 0) {
		sc_loc top = {0, 0};
		rc = sc_fail(sc, err, GRENS_EARG, top, "", "no feeds to apply the scenario to");
		goto fail;
	}
	for (uint32_t i = 0; i < feed_count; i++) {
		rc = draft_init(&c, &c.drafts[i], feeds[i]);
		if (rc)
			goto fail;
	}
	for (uint32_t i = 0; i < sc->edit_count; i++) {
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
			rc = apply_overlay(&c, e);
			break;
		}
		if (rc)
			goto fail;
		res->stats.edits++;
	}
	for (uint32_t i = 0; i < feed_count; i++) {
		rc = draft_finish(&c, &c.drafts[i], &res->feeds[i]);
		if (rc)
			goto fail;
		res->feed_count = i + 1;
		/* The copies are looked up by id too (links files, realtime). */
		rc = grens_gtfs_index_build(res->feeds[i], err);
		if (rc)
			goto fail;
	}
	for (uint32_t i = 0; i < feed_count; i++)
		draft_free(&c.drafts[i]);
	free(c.drafts);
	*out = res;
	return 0;
fail:
	if (c.drafts)
		for (uint32_t i = 0; i < feed_count; i++)
			draft_free(&c.drafts[i]);
	free(c.drafts);
	grens_scenario_result_free(res);
	return rc;
}

const grens_gtfs_feed *const *grens_scenario_result_feeds(const grens_scenario_result *res,
							  uint32_t *count)
{
	if (!res || !count)
		return NULL; /* NULL not allowed: docs/api.md */
	*count = res->feed_count;
	return (const grens_gtfs_feed *const *)res->feeds;
}

const grens_scenario_stats *grens_scenario_result_stats(const grens_scenario_result *res)
{
	if (!res)
		return NULL; /* NULL not allowed: docs/api.md */
	return &res->stats;
}

void grens_scenario_result_free(grens_scenario_result *res)
{
	if (!res)
		return;
	for (uint32_t i = 0; i < res->overlay_count; i++)
		grens_gtfs_free(res->overlays[i]);
	for (uint32_t i = 0; i < res->feed_count; i++)
		grens_gtfs_index_free(res->feeds[i]);
	free(res->overlays);
	free(res->feeds);
	grens_arena_free(res->arena);
	free(res);
}
