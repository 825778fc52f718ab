/* Realised times: the snapshots of an archive applied in time order and
 * folded, per (trip, service date) and stop, into what happened. Each
 * snapshot goes through grens_rt_apply (the same matching and delay
 * propagation as a single feed); the fold keeps the last prediction made
 * before the vehicle passed, and the result is assembled into an ordinary
 * overlay for the routers. */
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

/* The snapshots of a period: predictions for the first day are made
 * before it starts, and GTFS times of the last day run past 24:00. */
#define LEAD_S (3 * 3600)
#define TAIL_S (30 * 3600)

typedef struct trip_state {
	uint32_t trip;
	grens_date date;
	uint32_t n;
	bool cancelled;
	grens_net_stop_time *times; /* [n], starts as the schedule */
	uint8_t *flags;		    /* [n] GRENS_RT_STOP_* */
	uint8_t *held;		    /* [n] a snapshot has given this stop a time */
} trip_state;

typedef struct added_state {
	grens_rt_added_trip trip; /* arrays and strings owned here */
} added_state;

typedef struct fold {
	const grens_timetable *tt;
	grens_date first;
	uint32_t days;
	int64_t *day_start;  /* [days] */
	uint32_t *state_of;  /* [trip_count * days]: index into states or GRENS_NONE */
	trip_state *states;
	uint32_t state_count, state_cap;
	added_state *added;
	uint32_t added_count, added_cap;
	uint8_t *described; /* [feed_count] */
} fold;

static trip_state *state_get(fold *f, uint32_t trip, grens_date date)
{
	size_t key = (size_t)trip * f->days + (size_t)(date - f->first);
	if (f->state_of[key] != GRENS_NONE)
		return &f->states[f->state_of[key]];
	if (f->state_count == f->state_cap) {
		uint32_t cap = f->state_cap ? f->state_cap * 2 : 1024;
		trip_state *ns = realloc(f->states, (size_t)cap * sizeof(*ns));
		if (!ns)
			return NULL;
		f->states = ns;
		f->state_cap = cap;
	}
	trip_state *st = &f->states[f->state_count];
	memset(st, 0, sizeof(*st));
	st->trip = trip;
	st->date = date;
	const grens_net_stop_time *sched = rt_scheduled_times(f->tt, trip, &st->n);
	st->times = malloc((size_t)st->n * sizeof(*st->times) + 1);
	st->flags = calloc((size_t)st->n + 1, 1);
	st->held = calloc((size_t)st->n + 1, 1);
	if (!st->times || !st->flags || !st->held) {
		free(st->times);
		free(st->flags);
		free(st->held);
		return NULL;
	}
	memcpy(st->times, sched, (size_t)st->n * sizeof(*st->times));
	f->state_of[key] = f->state_count++;
	return st;
}

/* One snapshot's word on one trip, made at snap_t. */
static int fold_trip(fold *f, const grens_rt_trip *t, int64_t snap_t)
{
	trip_state *st = state_get(f, t->trip, t->date);
	if (!st)
		return GRENS_ENOMEM;
	f->described[f->tt->trip_feed[t->trip]] = 1;
	st->cancelled = t->cancelled;
	if (t->cancelled || !t->times)
		return 0;
	int64_t ds = f->day_start[t->date - f->first];
	for (uint32_t i = 0; i < st->n && i < t->stop_count; i++) {
		uint8_t fl = t->stop_flags[i];
		if (!(fl & (GRENS_RT_STOP_LIVE | GRENS_RT_STOP_SKIPPED)))
			continue;
		int64_t held = ds + st->times[i].departure;
		int64_t said = ds + t->times[i].departure;
		/* before the vehicle passed (as far as we know), or a time
		 * the snapshot itself puts in the past: a recorded one */
		if (!st->held[i] || snap_t <= held || said <= snap_t) {
			st->times[i] = t->times[i];
			st->flags[i] = fl;
			st->held[i] = 1;
		}
	}
	return 0;
}

static void added_clear(added_state *a)
{
	free((char *)a->trip.trip_id);
	free((char *)a->trip.route_id);
	free((uint32_t *)a->trip.stops);
	free((grens_net_stop_time *)a->trip.times);
	memset(a, 0, sizeof(*a));
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s);
	char *d = malloc(n + 1);
	if (d)
		memcpy(d, s, n + 1);
	return d;
}

/* An added trip: its last version wins. */
static int fold_added(fold *f, const grens_rt_added_trip *a)
{
	added_state *slot = NULL;
	for (uint32_t i = 0; i < f->added_count && !slot; i++)
		if (f->added[i].trip.date == a->date && f->added[i].trip.feed == a->feed &&
		    strcmp(f->added[i].trip.trip_id, a->trip_id) == 0)
			slot = &f->added[i];
	if (!slot) {
		if (f->added_count == f->added_cap) {
			uint32_t cap = f->added_cap ? f->added_cap * 2 : 16;
			added_state *na = realloc(f->added, (size_t)cap * sizeof(*na));
			if (!na)
				return GRENS_ENOMEM;
			f->added = na;
			f->added_cap = cap;
		}
		slot = &f->added[f->added_count++];
		memset(slot, 0, sizeof(*slot));
	} else {
		added_clear(slot);
	}
	grens_rt_added_trip *c = &slot->trip;
	*c = *a;
	c->trip_id = dup_str(a->trip_id);
	c->route_id = dup_str(a->route_id);
	uint32_t *s = malloc((size_t)a->stop_count * sizeof(*s) + 1);
	grens_net_stop_time *tm = malloc((size_t)a->stop_count * sizeof(*tm) + 1);
	c->stops = s;
	c->times = tm;
	if (!c->trip_id || !c->route_id || !s || !tm)
		return GRENS_ENOMEM;
	memcpy(s, a->stops, (size_t)a->stop_count * sizeof(*s));
	memcpy(tm, a->times, (size_t)a->stop_count * sizeof(*tm));
	return 0;
}

static int cmp_trip_date(const void *a, const void *b)
{
	const grens_rt_trip *x = a, *y = b;
	if (x->trip != y->trip)
		return x->trip < y->trip ? -1 : 1;
	return x->date < y->date ? -1 : (x->date > y->date);
}

/* The zone the timetable's times are in (as grens_rt_apply reads them). */
static const char *timetable_zone(const grens_timetable *tt)
{
	const char *zone = grens_net_str(tt, tt->timezone);
	if (!zone[0] && tt->feed_count)
		zone = grens_net_str(tt, tt->feed_timezone[0]);
	return zone[0] ? zone : "UTC";
}

static int fold_snapshots(fold *f, grens_rt_realised_counts *c, const grens_timetable *tt,
			  const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count,
			  const grens_rt_archive *ar, const grens_rt_realised_options *opts,
			  grens_diag *diag, grens_error *err)
{
	grens_rt_options ro = opts->rt;
	ro.now = 0;
	ro.max_age_s = 0;
	int64_t from = f->day_start[0] - LEAD_S;
	int64_t to = f->day_start[f->days - 1] + TAIL_S;
	uint32_t at = 0;
	uint32_t count = grens_rt_archive_range(ar, from, to, &at);
	int64_t prev = 0;
	for (uint32_t k = 0; k < count; k++) {
		const grens_rt_snapshot *snap = grens_rt_archive_at(ar, at + k);
		grens_rt_feed *feed = NULL;
		grens_error e;
		grens_error_clear(&e);
		if (grens_rt_archive_read(ar, snap, &feed, &e) != 0) {
			if (e.code == GRENS_ENOMEM)
				return grens_error_set(err, GRENS_ENOMEM, "%s", e.message);
			grens_diag_add(diag, "rt_snapshot_unreadable", GRENS_SEVERITY_WARNING,
				       snap->file, 0, "", "skipped: %s", e.message);
			c->snapshots_corrupt++;
			continue;
		}
		grens_rt_overlay *ov = NULL;
		int rc = grens_rt_apply(&ov, tt, gtfs, gtfs_count, feed, &ro, diag, err);
		grens_rt_feed_summary sum;
		grens_rt_feed_summarize(feed, &sum);
		grens_rt_feed_free(feed);
		if (rc != 0)
			return rc;
		int64_t snap_t = sum.timestamp ? sum.timestamp : snap->received;
		for (uint32_t i = 0; i < grens_rt_trip_count(ov) && rc == 0; i++) {
			const grens_rt_trip *t = grens_rt_trip_at(ov, i);
			if (t->date >= f->first && t->date < f->first + (grens_date)f->days)
				rc = fold_trip(f, t, snap_t);
		}
		for (uint32_t i = 0; i < grens_rt_added_count(ov) && rc == 0; i++) {
			const grens_rt_added_trip *a = grens_rt_added_at(ov, i);
			if (a->date >= f->first && a->date < f->first + (grens_date)f->days)
				rc = fold_added(f, a);
		}
		grens_rt_overlay_release(ov);
		if (rc != 0)
			return grens_error_set(err, rc, "out of memory folding %s", snap->file);
		c->snapshots_read++;
		if (!c->first_snapshot)
			c->first_snapshot = snap->received;
		c->last_snapshot = snap->received;
		if (prev && snap->received - prev > opts->max_gap_s) {
			c->gaps++;
			if (snap->received - prev > c->longest_gap_s)
				c->longest_gap_s = snap->received - prev;
		}
		prev = snap->received;
	}
	return 0;
}

int grens_rt_realised_build(grens_rt_overlay **out, grens_rt_realised_counts *counts,
			    const grens_timetable *tt, const grens_gtfs_feed *const *gtfs,
			    uint32_t gtfs_count, const grens_rt_archive *ar, grens_date first,
			    grens_date last, const grens_rt_realised_options *opts,
			    grens_diag *diag, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_realised_build: out is NULL");
	if (!counts)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_realised_build: counts is NULL");
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_realised_build: tt is NULL");
	if (!gtfs && gtfs_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_realised_build: gtfs is NULL");
	if (!ar)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_realised_build: ar is NULL");
	static const grens_rt_realised_options defaults = GRENS_RT_REALISED_OPTIONS_INIT;
	*out = NULL;
	memset(counts, 0, sizeof(*counts));
	if (!opts)
		opts = &defaults;
	if (first > last || last - first >= GRENS_RT_REALISED_MAX_DAYS)
		return grens_error_set(err, GRENS_EARG,
				       "a realised period is 1 to %d service days",
				       GRENS_RT_REALISED_MAX_DAYS);
	uint32_t only = GRENS_NONE;
	if (opts->rt.feed_name) {
		for (uint32_t i = 0; i < tt->feed_count; i++)
			if (strcmp(grens_net_str(tt, tt->feed_name[i]), opts->rt.feed_name) == 0)
				only = i;
		if (only == GRENS_NONE)
			return grens_error_set(err, GRENS_EARG, "no feed named \"%s\" in the timetable",
					       opts->rt.feed_name);
	}
	fold f;
	memset(&f, 0, sizeof(f));
	f.tt = tt;
	f.first = first;
	f.days = (uint32_t)(last - first) + 1;
	grens_rt_trip *trips = NULL;
	grens_rt_added_trip *added = NULL;
	grens_tz *tz = NULL;
	int rc = grens_tz_load(&tz, NULL, timetable_zone(tt), err);
	if (rc != 0)
		return rc;
	rc = GRENS_ENOMEM;
	f.day_start = calloc(f.days, sizeof(*f.day_start));
	f.state_of = malloc((size_t)tt->trip_count * f.days * sizeof(*f.state_of) + 1);
	f.described = calloc((size_t)tt->feed_count + 1, 1);
	if (!f.day_start || !f.state_of || !f.described)
		goto oom;
	memset(f.state_of, 0xff, (size_t)tt->trip_count * f.days * sizeof(*f.state_of));
	for (uint32_t d = 0; d < f.days; d++)
		f.day_start[d] = grens_tz_day_start(tz, first + (grens_date)d);

	rc = fold_snapshots(&f, counts, tt, gtfs, gtfs_count, ar, opts, diag, err);
	if (rc != 0)
		goto done;
	if (only != GRENS_NONE) {
		memset(f.described, 0, tt->feed_count);
		f.described[only] = 1;
	} else if (!memchr(f.described, 1, tt->feed_count)) {
		/* nothing matched (a gap, or no snapshot at all): which feed the
		 * recording covers is unknown, so nothing is known of any */
		memset(f.described, 1, tt->feed_count);
	}

	/* every observed trip, and the running ones nobody mentioned */
	size_t cap = f.state_count;
	for (uint32_t t = 0; t < tt->trip_count; t++) {
		if (!f.described[tt->trip_feed[t]])
			continue;
		for (uint32_t d = 0; d < f.days; d++) {
			if (!grens_net_trip_runs(tt, t, first + (grens_date)d))
				continue;
			counts->trips_scheduled++;
			if (f.state_of[(size_t)t * f.days + d] == GRENS_NONE)
				cap++;
		}
	}
	rc = GRENS_ENOMEM;
	trips = calloc(cap + 1, sizeof(*trips));
	added = calloc((size_t)f.added_count + 1, sizeof(*added));
	if (!trips || !added)
		goto oom;
	uint32_t n = 0;
	for (uint32_t i = 0; i < f.state_count; i++) {
		const trip_state *st = &f.states[i];
		grens_rt_trip *t = &trips[n++];
		t->trip = st->trip;
		t->date = st->date;
		t->cancelled = st->cancelled;
		t->stop_count = st->n;
		counts->trips_observed++;
		if (st->cancelled) {
			counts->trips_cancelled++;
			continue;
		}
		t->times = st->times;
		t->stop_flags = st->flags;
		for (uint32_t k = 0; k < st->n; k++) {
			counts->stops_observed += (st->flags[k] & GRENS_RT_STOP_LIVE) != 0;
			counts->stops_skipped += (st->flags[k] & GRENS_RT_STOP_SKIPPED) != 0;
		}
	}
	for (uint32_t t = 0; t < tt->trip_count; t++) {
		if (!f.described[tt->trip_feed[t]])
			continue;
		for (uint32_t d = 0; d < f.days; d++) {
			grens_date date = first + (grens_date)d;
			if (!grens_net_trip_runs(tt, t, date) ||
			    f.state_of[(size_t)t * f.days + d] != GRENS_NONE)
				continue;
			counts->trips_no_data++;
			if (opts->no_data_as_scheduled)
				continue;
			grens_rt_trip *nt = &trips[n++];
			nt->trip = t;
			nt->date = date;
			nt->cancelled = true;
			nt->no_data = true;
			rt_scheduled_times(tt, t, &nt->stop_count);
		}
	}
	qsort(trips, n, sizeof(*trips), cmp_trip_date);
	for (uint32_t i = 0; i < f.added_count; i++)
		added[i] = f.added[i].trip;
	counts->trips_added = f.added_count;

	grens_rt_counts oc;
	memset(&oc, 0, sizeof(oc));
	oc.matched = counts->trips_observed;
	oc.cancelled = counts->trips_cancelled;
	oc.added = counts->trips_added;
	oc.skipped_stops = counts->stops_skipped;
	rc = rt_overlay_assemble(out, tt, trips, n, added, f.added_count, &oc, err);
	goto done;
oom:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory building realised times");
done:
	for (uint32_t i = 0; i < f.state_count; i++) {
		free(f.states[i].times);
		free(f.states[i].flags);
		free(f.states[i].held);
	}
	for (uint32_t i = 0; i < f.added_count; i++)
		added_clear(&f.added[i]);
	free(f.added);
	free(f.states);
	free(f.state_of);
	free(f.day_start);
	free(f.described);
	free(trips);
	free(added);
	grens_tz_free(tz);
	return rc;
}
