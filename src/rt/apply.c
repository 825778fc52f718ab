/* Applying a decoded FeedMessage to a timetable: TripUpdates are matched to
 * (trip, service date), their stop time updates resolved to pattern
 * positions, delays propagated downstream as the GTFS-realtime
 * specification describes, and the result kept in an overlay with its own
 * memory. The timetable is only read. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rt_internal.h"

/* Delays beyond two days are taken as junk in the feed, not predictions. */
#define MAX_DELAY_S (2 * 86400)

struct grens_rt_overlay {
	atomic_uint refs;
	grens_arena *arena;
	grens_rt_counts counts;
	grens_rt_feed_summary header;
	uint64_t *touched; /* [(trip_count + 63) / 64]: trip has an entry on some date */
	uint32_t tt_trip_count;
	uint64_t *touched_patterns; /* [(pattern_count + 63) / 64] */
	uint32_t tt_pattern_count;
	grens_rt_trip *trips; /* sorted by (trip, date) */
	uint32_t trip_count;
	grens_rt_added_trip *added;
	uint32_t added_count;
	grens_rt_alert *alerts;
	uint32_t alert_count;
};

typedef struct pending_trip {
	grens_rt_trip trip;
	uint32_t order; /* entity order: the later one wins for the same key */
} pending_trip;

typedef struct stop_update {
	uint32_t pos;
	const TransitRealtime__TripUpdate__StopTimeUpdate *stu;
} stop_update;

typedef struct apply_ctx {
	const grens_timetable *tt;
	const grens_gtfs_feed *const *gtfs;
	uint32_t gtfs_count;
	const grens_rt_options *opts;
	grens_diag *diag;
	const char *name;
	grens_rt_overlay *ov;
	uint32_t only_feed; /* GRENS_NONE: search all feeds */
	grens_tz **tz;	    /* [feed_count] */
	uint8_t *tz_state;  /* [feed_count] 0 not loaded, 1 loaded, 2 unknown (UTC used) */
	int64_t header_ts;
	uint32_t entity; /* 1-based number of the entity being applied */
	pending_trip *pending;
	uint32_t pending_count;
	int32_t *delays;
	size_t delay_count, delay_cap;
	/* scratch, grown to the longest pattern seen */
	size_t scratch_cap;
	uint32_t *seq;
	stop_update *updates;
	grens_net_stop_time *live;
	uint8_t *flags;
} apply_ctx;

#define NOTE(ctx, code, field, ...)                                                                \
	grens_diag_add((ctx)->diag, code, GRENS_SEVERITY_WARNING, (ctx)->name, (ctx)->entity,      \
		       field, __VA_ARGS__)

static const char *feed_name(const grens_timetable *tt, uint32_t f)
{
	return grens_net_str(tt, tt->feed_name[f]);
}

static const grens_tz *feed_tz(apply_ctx *ctx, uint32_t f)
{
	if (ctx->tz_state[f] == 0) {
		/* The timetable holds every feed's times in one zone (the query
		 * time base, tt->timezone) once feeds are linked; absolute
		 * realtime times must be read in that zone too. Older
		 * timetables without it fall back to the feed's own zone. */
		const char *zone = grens_net_str(ctx->tt, ctx->tt->timezone);
		if (!zone[0])
			zone = grens_net_str(ctx->tt, ctx->tt->feed_timezone[f]);
		grens_error e;
		grens_error_clear(&e);
		if (grens_tz_load(&ctx->tz[f], NULL, zone, &e) == 0) {
			ctx->tz_state[f] = 1;
		} else {
			ctx->tz_state[f] = 2;
			grens_diag_add(ctx->diag, "rt_unknown_timezone", GRENS_SEVERITY_WARNING,
				       ctx->name, 0, "agency_timezone",
				       "feed %s: %s; times are taken as UTC", feed_name(ctx->tt, f),
				       e.message);
		}
	}
	return ctx->tz_state[f] == 1 ? ctx->tz[f] : NULL; /* NULL: UTC */
}

static int grow_scratch(apply_ctx *ctx, size_t n)
{
	if (n <= ctx->scratch_cap)
		return 0;
	size_t cap = n < 64 ? 64 : n;
	uint32_t *seq = realloc(ctx->seq, cap * sizeof(*seq));
	if (seq)
		ctx->seq = seq;
	stop_update *up = realloc(ctx->updates, cap * sizeof(*up));
	if (up)
		ctx->updates = up;
	grens_net_stop_time *live = realloc(ctx->live, cap * sizeof(*live));
	if (live)
		ctx->live = live;
	uint8_t *flags = realloc(ctx->flags, cap);
	if (flags)
		ctx->flags = flags;
	if (!seq || !up || !live || !flags)
		return GRENS_ENOMEM;
	ctx->scratch_cap = cap;
	return 0;
}

static int add_delay_sample(apply_ctx *ctx, int32_t d)
{
	if (ctx->delay_count == ctx->delay_cap) {
		size_t cap = ctx->delay_cap ? ctx->delay_cap * 2 : 256;
		int32_t *nd = realloc(ctx->delays, cap * sizeof(*nd));
		if (!nd)
			return GRENS_ENOMEM;
		ctx->delays = nd;
		ctx->delay_cap = cap;
	}
	ctx->delays[ctx->delay_count++] = d;
	return 0;
}

static bool stop_matches(const grens_timetable *tt, uint32_t stop, const char *id)
{
	if (strcmp(grens_net_str(tt, tt->stop_id[stop]), id) == 0)
		return true;
	uint32_t parent = tt->stop_parent[stop];
	return parent != GRENS_NONE && strcmp(grens_net_str(tt, tt->stop_id[parent]), id) == 0;
}

static uint32_t find_trip_any_feed(apply_ctx *ctx, const char *trip_id, uint32_t *feed)
{
	const grens_timetable *tt = ctx->tt;
	for (uint32_t f = 0; f < tt->feed_count; f++) {
		if (ctx->only_feed != GRENS_NONE && f != ctx->only_feed)
			continue;
		uint32_t t = grens_net_trip_by_id(tt, feed_name(tt, f), trip_id);
		if (t != GRENS_NONE) {
			*feed = f;
			return t;
		}
	}
	return GRENS_NONE;
}

/* The run of a frequency-based trip that starts at start_time: runs of one
 * trip_id share a pattern unless the builder split them, so look there
 * first, then everywhere. */
static uint32_t find_frequency_run(const grens_timetable *tt, uint32_t first, int32_t start_time)
{
	const char *id = grens_net_str(tt, tt->trip_id[first]);
	uint32_t p = tt->trip_pattern[first];
	for (int pass = 0; pass < 2; pass++) {
		uint32_t lo = pass == 0 ? tt->pattern_trip_offset[p] : 0;
		uint32_t hi = pass == 0 ? tt->pattern_trip_offset[p + 1] : tt->trip_count;
		for (uint32_t t = lo; t < hi; t++)
			if (tt->trip_frequency_start && tt->trip_frequency_start[t] == start_time &&
			    tt->trip_feed[t] == tt->trip_feed[first] &&
			    strcmp(grens_net_str(tt, tt->trip_id[t]), id) == 0)
				return t;
	}
	return GRENS_NONE;
}

const grens_net_stop_time *rt_scheduled_times(const grens_timetable *tt, uint32_t trip,
					       uint32_t *n)
{
	uint32_t p = tt->trip_pattern[trip];
	*n = tt->pattern_stop_offset[p + 1] - tt->pattern_stop_offset[p];
	uint64_t row = trip - tt->pattern_trip_offset[p];
	return grens_net_pattern_times(tt, p) + row * *n;
}

/* GTFS stop_sequence of each pattern position, from the loaded feed; false
 * when the feed is not at hand or its row count differs. */
static bool sequence_map(apply_ctx *ctx, uint32_t trip, uint32_t n)
{
	const grens_timetable *tt = ctx->tt;
	const char *fname = feed_name(tt, tt->trip_feed[trip]);
	for (uint32_t i = 0; i < ctx->gtfs_count; i++) {
		const grens_gtfs_feed *g = ctx->gtfs[i];
		if (!g || !g->name || strcmp(g->name, fname) != 0)
			continue;
		uint32_t gt = grens_gtfs_find_trip(g, grens_net_str(tt, tt->trip_id[trip]));
		if (gt == GRENS_NONE || g->trips[gt].stop_time_count != n)
			return false;
		for (uint32_t k = 0; k < n; k++)
			ctx->seq[k] = g->stop_times[g->trips[gt].first_stop_time + k].sequence;
		return true;
	}
	return false;
}

/* Resolve the stop time updates of tu to increasing pattern positions of
 * trip; returns how many resolved (ctx->updates[0..)). */
static uint32_t resolve_stops(apply_ctx *ctx, const TransitRealtime__TripUpdate *tu, uint32_t trip,
			      uint32_t n)
{
	const grens_timetable *tt = ctx->tt;
	const uint32_t *pstops =
	    tt->pattern_stops + tt->pattern_stop_offset[tt->trip_pattern[trip]];
	bool have_seq = sequence_map(ctx, trip, n);
	uint32_t cursor = 0, count = 0;
	for (size_t k = 0; k < tu->n_stop_time_update; k++) {
		const TransitRealtime__TripUpdate__StopTimeUpdate *stu = tu->stop_time_update[k];
		uint32_t pos = GRENS_NONE;
		bool behind = false;
		if (stu->has_stop_sequence && have_seq) {
			for (uint32_t i = cursor; i < n && pos == GRENS_NONE; i++)
				if (ctx->seq[i] == stu->stop_sequence)
					pos = i;
			for (uint32_t i = 0; i < cursor && pos == GRENS_NONE; i++)
				if (ctx->seq[i] == stu->stop_sequence) {
					pos = i;
					behind = true;
				}
			if (pos != GRENS_NONE && stu->stop_id && stu->stop_id[0] &&
			    !stop_matches(tt, pstops[pos], stu->stop_id)) {
				NOTE(ctx, "rt_stop_mismatch", "stop_time_update.stop_id",
				     "stop_sequence %u is stop %s, the update names %s",
				     stu->stop_sequence,
				     grens_net_str(tt, tt->stop_id[pstops[pos]]), stu->stop_id);
				ctx->ov->counts.unknown_stop++;
				continue;
			}
		} else if (stu->stop_id && stu->stop_id[0]) {
			for (uint32_t i = cursor; i < n && pos == GRENS_NONE; i++)
				if (stop_matches(tt, pstops[i], stu->stop_id))
					pos = i;
			for (uint32_t i = 0; i < cursor && pos == GRENS_NONE; i++)
				if (stop_matches(tt, pstops[i], stu->stop_id)) {
					pos = i;
					behind = true;
				}
		} else if (stu->has_stop_sequence) {
			NOTE(ctx, "rt_unknown_stop", "stop_time_update.stop_sequence",
			     "stop_sequence %u of trip %s cannot be mapped without the GTFS feed",
			     stu->stop_sequence, grens_net_str(tt, tt->trip_id[trip]));
			ctx->ov->counts.unknown_stop++;
			continue;
		}
		if (pos == GRENS_NONE) {
			if (stu->stop_id && stu->stop_id[0])
				NOTE(ctx, "rt_unknown_stop", "stop_time_update.stop_id",
				     "stop %s is not on trip %s", stu->stop_id,
				     grens_net_str(tt, tt->trip_id[trip]));
			else if (stu->has_stop_sequence)
				NOTE(ctx, "rt_unknown_stop", "stop_time_update.stop_sequence",
				     "stop_sequence %u is not on trip %s", stu->stop_sequence,
				     grens_net_str(tt, tt->trip_id[trip]));
			else
				NOTE(ctx, "rt_unknown_stop", "stop_time_update",
				     "update names neither stop_sequence nor stop_id");
			ctx->ov->counts.unknown_stop++;
			continue;
		}
		if (behind) {
			NOTE(ctx, "rt_stop_out_of_order", "stop_time_update",
			     "update for position %u comes after position %u of trip %s", pos,
			     cursor - 1, grens_net_str(tt, tt->trip_id[trip]));
			ctx->ov->counts.unknown_stop++;
			continue;
		}
		ctx->updates[count].pos = pos;
		ctx->updates[count].stu = stu;
		count++;
		cursor = pos + 1;
	}
	ctx->ov->counts.stop_updates += count;
	return count;
}

/* Delay of one event against sched: from its absolute time (authoritative
 * when both are given) or its delay. Returns 1 with *delay, 0 when the event
 * says nothing usable. */
static int event_delay(apply_ctx *ctx, const TransitRealtime__TripUpdate__StopTimeEvent *ev,
		       int32_t sched, int64_t day_start, int32_t *delay)
{
	if (!ev)
		return 0;
	int64_t d;
	if (ev->has_time && (ev->time > RT_TIME_LIMIT || ev->time < -RT_TIME_LIMIT)) {
		NOTE(ctx, "rt_implausible_delay", "stop_time_event", "time %lld ignored",
		     (long long)ev->time);
		return 0;
	}
	if (ev->has_time)
		d = ev->time - day_start - sched;
	else if (ev->has_delay)
		d = ev->delay;
	else
		return 0;
	if (d > MAX_DELAY_S || d < -MAX_DELAY_S) {
		NOTE(ctx, "rt_implausible_delay", "stop_time_event", "delay of %lld s ignored",
		     (long long)d);
		return 0;
	}
	*delay = (int32_t)d;
	return 1;
}

/* Make times non-decreasing along the trip (arrival <= departure <= next
 * arrival), skipping nothing: a skipped stop keeps propagated times. Returns
 * whether anything had to change. */
static bool fix_decreasing(grens_net_stop_time *t, uint8_t *flags, uint32_t n, bool apply_fix)
{
	bool changed = false;
	int32_t prev = INT32_MIN;
	for (uint32_t i = 0; i < n; i++) {
		if (t[i].arrival < prev) {
			changed = true;
			if (apply_fix) {
				t[i].arrival = prev;
				flags[i] |= GRENS_RT_STOP_LIVE;
			}
		}
		if (t[i].departure < t[i].arrival) {
			changed = true;
			if (apply_fix) {
				t[i].departure = t[i].arrival;
				flags[i] |= GRENS_RT_STOP_LIVE;
			}
		}
		prev = t[i].departure > prev ? t[i].departure : prev;
	}
	return changed;
}

/* Live times of a matched trip; returns 0, or 1 when the update was rejected
 * for decreasing times, or GRENS_ENOMEM. */
static int propagate(apply_ctx *ctx, const TransitRealtime__TripUpdate *tu, uint32_t trip,
		     uint32_t feed, grens_date date, const grens_net_stop_time *sched, uint32_t n,
		     uint32_t nupd)
{
	int64_t day_start = grens_tz_day_start(feed_tz(ctx, feed), date);
	grens_net_stop_time *live = ctx->live;
	uint8_t *flags = ctx->flags;
	bool have = false;
	int32_t cur = 0;
	uint32_t u = 0;
	size_t samples_before = ctx->delay_count; /* a rejected update adds none */
	/* TripUpdate.delay applies from the first stop when no stop time
	 * update gives anything (specification: "trip delay"). */
	if (nupd == 0 && tu->has_delay && tu->delay <= MAX_DELAY_S && tu->delay >= -MAX_DELAY_S) {
		have = true;
		cur = tu->delay;
		if (add_delay_sample(ctx, cur) != 0)
			return GRENS_ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		live[i] = sched[i];
		flags[i] = 0;
		if (u < nupd && ctx->updates[u].pos == i) {
			const TransitRealtime__TripUpdate__StopTimeUpdate *stu =
			    ctx->updates[u].stu;
			u++;
			int rel =
			    stu->has_schedule_relationship
				? (int)stu->schedule_relationship
				: TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SCHEDULED;
			if (rel ==
			    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SKIPPED) {
				flags[i] |= GRENS_RT_STOP_SKIPPED;
				ctx->ov->counts.skipped_stops++;
				/* the delay runs on through a skipped stop */
			} else if (
			    rel ==
			    TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__NO_DATA) {
				/* no prediction here, and none carried past it */
				have = false;
				continue;
			} else {
				int32_t a = 0, d = 0;
				int ha =
				    event_delay(ctx, stu->arrival, sched[i].arrival, day_start, &a);
				int hd = event_delay(ctx, stu->departure, sched[i].departure,
						     day_start, &d);
				if (ha || hd) {
					if (add_delay_sample(ctx, hd ? d : a) != 0)
						return GRENS_ENOMEM;
				}
				if (!ha && !hd) {
					/* SCHEDULED without times: on time from here */
					a = d = 0;
				} else if (!ha) {
					a = have && cur < d ? cur : d;
				} else if (!hd) {
					d = a;
				}
				live[i].arrival = sched[i].arrival + a;
				live[i].departure = sched[i].departure + d;
				flags[i] |= GRENS_RT_STOP_LIVE;
				have = true;
				cur = d;
				continue;
			}
		}
		if (have) {
			live[i].arrival = sched[i].arrival + cur;
			live[i].departure = sched[i].departure + cur;
			flags[i] |= GRENS_RT_STOP_LIVE;
		}
	}
	if (fix_decreasing(live, flags, n, false)) {
		if (ctx->opts->reject_decreasing) {
			NOTE(ctx, "rt_decreasing_times", "stop_time_update",
			     "live times of trip %s decrease; update rejected",
			     grens_net_str(ctx->tt, ctx->tt->trip_id[trip]));
			ctx->ov->counts.decreasing_rejected++;
			ctx->delay_count = samples_before;
			return 1;
		}
		fix_decreasing(live, flags, n, true);
		NOTE(ctx, "rt_decreasing_times", "stop_time_update",
		     "live times of trip %s decrease; raised to the previous time",
		     grens_net_str(ctx->tt, ctx->tt->trip_id[trip]));
		ctx->ov->counts.decreasing_fixed++;
	}
	return 0;
}

static int add_pending(apply_ctx *ctx, uint32_t trip, grens_date date, bool cancelled, uint32_t n,
		       bool copy_times)
{
	pending_trip *p = &ctx->pending[ctx->pending_count];
	memset(p, 0, sizeof(*p));
	p->trip.trip = trip;
	p->trip.date = date;
	p->trip.cancelled = cancelled;
	p->trip.stop_count = n;
	p->order = ctx->pending_count;
	if (copy_times) {
		grens_net_stop_time *t = grens_arena_calloc(ctx->ov->arena, n, sizeof(*t),
							    _Alignof(grens_net_stop_time));
		uint8_t *f = grens_arena_calloc(ctx->ov->arena, n, 1, 1);
		if (!t || !f)
			return GRENS_ENOMEM;
		memcpy(t, ctx->live, n * sizeof(*t));
		memcpy(f, ctx->flags, n);
		p->trip.times = t;
		p->trip.stop_flags = f;
	}
	ctx->pending_count++;
	return 0;
}

static char *arena_str(grens_arena *a, const char *s)
{
	if (!s)
		s = "";
	return grens_arena_strndup(a, s, strlen(s));
}

/* The service date of a TripUpdate: its start_date, else the local date of
 * the header timestamp (or of now). 0, or 1 after counting it invalid. */
static int descriptor_date(apply_ctx *ctx, const TransitRealtime__TripDescriptor *td, uint32_t feed,
			   grens_date *date, bool *explicit_date)
{
	*explicit_date = false;
	if (td->start_date && td->start_date[0]) {
		if (grens_date_parse_gtfs(td->start_date, strlen(td->start_date), date) != 0) {
			NOTE(ctx, "rt_invalid_date", "trip.start_date", "start_date \"%s\"",
			     td->start_date);
			ctx->ov->counts.invalid++;
			return 1;
		}
		*explicit_date = true;
		return 0;
	}
	int64_t ts = ctx->header_ts ? ctx->header_ts : ctx->opts->now;
	if (!ts || ts > RT_TIME_LIMIT || ts < -RT_TIME_LIMIT) {
		NOTE(ctx, "rt_invalid_date", "trip.start_date",
		     "no start_date and no header timestamp to imply one");
		ctx->ov->counts.invalid++;
		return 1;
	}
	*date = grens_tz_local_date(feed_tz(ctx, feed), ts);
	return 0;
}

static uint32_t find_route(const grens_timetable *tt, uint32_t feed, const char *route_id)
{
	if (!route_id || !route_id[0])
		return GRENS_NONE;
	for (uint32_t r = 0; r < tt->route_count; r++)
		if (tt->route_feed[r] == feed &&
		    strcmp(grens_net_str(tt, tt->route_id[r]), route_id) == 0)
			return r;
	return GRENS_NONE;
}

static uint32_t find_stop(apply_ctx *ctx, const char *stop_id, uint32_t *feed)
{
	const grens_timetable *tt = ctx->tt;
	for (uint32_t f = 0; f < tt->feed_count; f++) {
		if (*feed != GRENS_NONE && f != *feed)
			continue;
		uint32_t s = grens_net_stop_by_id(tt, feed_name(tt, f), stop_id);
		if (s != GRENS_NONE) {
			*feed = f;
			return s;
		}
	}
	return GRENS_NONE;
}

/* An ADDED or NEW trip: its stop time updates with absolute times become
 * the trip's stop times. */
static int apply_added(apply_ctx *ctx, const TransitRealtime__TripUpdate *tu,
		       const TransitRealtime__TripDescriptor *td)
{
	grens_rt_overlay *ov = ctx->ov;
	size_t n = tu->n_stop_time_update;
	if (n > GRENS_LIMIT_RT_ADDED_STOPS) {
		NOTE(ctx, "rt_invalid_added_trip", "stop_time_update",
		     "added trip %s has %zu stops, more than %u", td->trip_id, n,
		     GRENS_LIMIT_RT_ADDED_STOPS);
		ov->counts.invalid++;
		return 0;
	}
	if (grow_scratch(ctx, n) != 0)
		return GRENS_ENOMEM;
	uint32_t feed = ctx->only_feed;
	uint32_t *stops = ctx->seq;
	/* First pass: resolve the stops, which also picks the feed. */
	uint32_t kept = 0;
	for (size_t k = 0; k < n; k++) {
		const TransitRealtime__TripUpdate__StopTimeUpdate *stu = tu->stop_time_update[k];
		if (stu->has_schedule_relationship &&
		    stu->schedule_relationship !=
			TRANSIT_REALTIME__TRIP_UPDATE__STOP_TIME_UPDATE__SCHEDULE_RELATIONSHIP__SCHEDULED)
			continue;
		uint32_t s = GRENS_NONE;
		if (stu->stop_id && stu->stop_id[0])
			s = find_stop(ctx, stu->stop_id, &feed);
		if (s == GRENS_NONE) {
			NOTE(ctx, "rt_unknown_stop", "stop_time_update.stop_id",
			     "stop %s of added trip %s is not in the timetable",
			     stu->stop_id ? stu->stop_id : "(none)", td->trip_id);
			ov->counts.unknown_stop++;
			continue;
		}
		stops[kept] = s;
		ctx->updates[kept].stu = stu;
		ctx->updates[kept].pos = (uint32_t)k;
		kept++;
	}
	if (feed == GRENS_NONE)
		feed = 0;
	grens_date date;
	bool explicit_date;
	if (descriptor_date(ctx, td, feed, &date, &explicit_date) != 0)
		return 0;
	int64_t day_start = grens_tz_day_start(feed_tz(ctx, feed), date);
	uint32_t timed = 0;
	for (uint32_t k = 0; k < kept; k++) {
		const TransitRealtime__TripUpdate__StopTimeUpdate *stu = ctx->updates[k].stu;
		const TransitRealtime__TripUpdate__StopTimeEvent *a = stu->arrival,
								 *d = stu->departure;
		bool ha = a && a->has_time && a->time <= RT_TIME_LIMIT && a->time >= -RT_TIME_LIMIT;
		bool hd = d && d->has_time && d->time <= RT_TIME_LIMIT && d->time >= -RT_TIME_LIMIT;
		if (!ha && !hd) {
			NOTE(ctx, "rt_invalid_added_trip", "stop_time_update",
			     "stop %s of added trip %s has no absolute time", stu->stop_id,
			     td->trip_id);
			continue;
		}
		int64_t at = (ha ? a->time : d->time) - day_start;
		int64_t dt = (hd ? d->time : a->time) - day_start;
		if (at < -MAX_DELAY_S || at > 4 * 86400 || dt < -MAX_DELAY_S || dt > 4 * 86400) {
			NOTE(ctx, "rt_invalid_added_trip", "stop_time_update",
			     "stop %s of added trip %s: time far from its service day %s",
			     stu->stop_id, td->trip_id, td->start_date ? td->start_date : "");
			continue;
		}
		stops[timed] = stops[k];
		ctx->live[timed].arrival = (int32_t)at;
		ctx->live[timed].departure = (int32_t)dt;
		ctx->flags[timed] = GRENS_RT_STOP_LIVE;
		timed++;
	}
	if (timed < 2) {
		NOTE(ctx, "rt_invalid_added_trip", "trip_update",
		     "added trip %s has %u timed stops in the timetable, fewer than two",
		     td->trip_id, timed);
		ov->counts.invalid++;
		return 0;
	}
	if (fix_decreasing(ctx->live, ctx->flags, timed, false)) {
		if (ctx->opts->reject_decreasing) {
			NOTE(ctx, "rt_decreasing_times", "stop_time_update",
			     "times of added trip %s decrease; rejected", td->trip_id);
			ov->counts.decreasing_rejected++;
			ov->counts.invalid++;
			return 0;
		}
		fix_decreasing(ctx->live, ctx->flags, timed, true);
		ov->counts.decreasing_fixed++;
	}
	grens_rt_added_trip *at = &ov->added[ov->added_count];
	at->trip_id = arena_str(ov->arena, td->trip_id);
	at->route_id = arena_str(ov->arena, td->route_id);
	at->feed = feed;
	at->route = find_route(ctx->tt, feed, td->route_id);
	at->date = date;
	at->stop_count = timed;
	uint32_t *s = grens_arena_calloc(ov->arena, timed, sizeof(*s), _Alignof(uint32_t));
	grens_net_stop_time *t =
	    grens_arena_calloc(ov->arena, timed, sizeof(*t), _Alignof(grens_net_stop_time));
	if (!at->trip_id || !at->route_id || !s || !t)
		return GRENS_ENOMEM;
	memcpy(s, stops, timed * sizeof(*s));
	memcpy(t, ctx->live, timed * sizeof(*t));
	at->stops = s;
	at->times = t;
	ov->added_count++;
	ov->counts.added++;
	return 0;
}

/* The trip a descriptor without trip_id names by route_id, direction_id,
 * start_time and its service date (the specification's alternative), found
 * in the loaded GTFS feeds: the one trip of the route, in that direction,
 * whose first departure is start_time and whose service runs on the date.
 * NULL (noticed) when none or several match. */
static const char *trip_by_route(apply_ctx *ctx, const TransitRealtime__TripDescriptor *td)
{
	const grens_timetable *tt = ctx->tt;
	int32_t start;
	if (!td->route_id || !td->route_id[0] || !td->start_time ||
	    grens_time_parse(td->start_time, strlen(td->start_time), 0, &start) != 0) {
		NOTE(ctx, "rt_unknown_trip", "trip.trip_id",
		     "TripUpdate without trip_id, and without route_id and start_time to find one");
		return NULL;
	}
	const char *found = NULL;
	uint32_t matches = 0;
	for (uint32_t i = 0; i < ctx->gtfs_count; i++) {
		const grens_gtfs_feed *g = ctx->gtfs[i];
		if (!g || !g->name)
			continue;
		uint32_t f = GRENS_NONE;
		for (uint32_t k = 0; k < tt->feed_count && f == GRENS_NONE; k++)
			if (strcmp(feed_name(tt, k), g->name) == 0)
				f = k;
		if (f == GRENS_NONE || (ctx->only_feed != GRENS_NONE && f != ctx->only_feed))
			continue;
		uint32_t route = grens_gtfs_find_route(g, td->route_id);
		if (route == GRENS_NONE)
			continue;
		grens_date date;
		int64_t ts = ctx->header_ts ? ctx->header_ts : ctx->opts->now;
		if (td->start_date && td->start_date[0]) {
			if (grens_date_parse_gtfs(td->start_date, strlen(td->start_date), &date) !=
			    0)
				continue;
		} else if (ts && ts <= RT_TIME_LIMIT && ts >= -RT_TIME_LIMIT) {
			date = grens_tz_local_date(feed_tz(ctx, f), ts);
		} else {
			continue;
		}
		for (uint32_t t = 0; t < g->trip_count; t++) {
			const grens_gtfs_trip *gt = &g->trips[t];
			if (gt->route != route || gt->stop_time_count == 0)
				continue;
			if (td->has_direction_id &&
			    (td->direction_id > 1 || gt->direction_id != (int8_t)td->direction_id))
				continue;
			if (g->stop_times[gt->first_stop_time].departure + gt->time_offset != start)
				continue;
			if (!grens_gtfs_service_active(g, gt->service, date))
				continue;
			if (!found || strcmp(found, gt->id) != 0)
				matches++;
			found = gt->id;
		}
	}
	if (matches != 1) {
		NOTE(ctx, "rt_unknown_trip", "trip.route_id",
		     "%u trips of route %s start at %s on that date", matches, td->route_id,
		     td->start_time);
		return NULL;
	}
	return found;
}

static int apply_trip_update(apply_ctx *ctx, const TransitRealtime__TripUpdate *tu)
{
	const grens_timetable *tt = ctx->tt;
	grens_rt_counts *c = &ctx->ov->counts;
	const TransitRealtime__TripDescriptor *td = tu->trip;
	int rel = td->has_schedule_relationship
		      ? (int)td->schedule_relationship
		      : TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__SCHEDULED;

	int64_t ts = tu->has_timestamp && tu->timestamp <= (uint64_t)RT_TIME_LIMIT
			 ? (int64_t)tu->timestamp
			 : ctx->header_ts;
	int64_t oldest;
	if (ctx->opts->now && ctx->opts->max_age_s > 0 && ts &&
	    !__builtin_sub_overflow(ctx->opts->now, ctx->opts->max_age_s, &oldest) && ts < oldest) {
		NOTE(ctx, "rt_stale", "timestamp", "update from %lld is %lld s older than now",
		     (long long)ts, (long long)(ctx->opts->now - ts));
		c->stale++;
		return 0;
	}
	if (rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__DUPLICATED ||
	    rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__UNSCHEDULED) {
		NOTE(ctx, "rt_unsupported", "trip.schedule_relationship",
		     "trip %s: schedule_relationship %d is not applied",
		     td->trip_id ? td->trip_id : "", rel);
		c->unsupported++;
		return 0;
	}
	bool added = rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__ADDED ||
		     rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__NEW;
	if (added) {
		if (!td->trip_id || !td->trip_id[0]) {
			NOTE(ctx, "rt_invalid_added_trip", "trip.trip_id",
			     "added trip without trip_id");
			c->invalid++;
			return 0;
		}
		return apply_added(ctx, tu, td);
	}
	const char *trip_id = td->trip_id;
	if (!trip_id || !trip_id[0])
		trip_id = trip_by_route(ctx, td);
	if (!trip_id) {
		c->unknown_trip++;
		return 0;
	}

	uint32_t feed = GRENS_NONE;
	uint32_t trip = find_trip_any_feed(ctx, trip_id, &feed);
	if (trip == GRENS_NONE) {
		NOTE(ctx, "rt_unknown_trip", "trip.trip_id", "trip %s is not in the timetable",
		     trip_id);
		c->unknown_trip++;
		return 0;
	}
	if (tt->trip_frequency_start && tt->trip_frequency_start[trip] != GRENS_TIME_NONE) {
		int32_t start;
		if (!td->start_time ||
		    grens_time_parse(td->start_time, strlen(td->start_time), 0, &start) != 0) {
			NOTE(ctx, "rt_invalid_start_time", "trip.start_time",
			     "frequency-based trip %s needs a start_time (got \"%s\")", trip_id,
			     td->start_time ? td->start_time : "");
			c->invalid++;
			return 0;
		}
		trip = find_frequency_run(tt, trip, start);
		if (trip == GRENS_NONE) {
			NOTE(ctx, "rt_unknown_trip", "trip.start_time",
			     "frequency-based trip %s has no run at %s", trip_id, td->start_time);
			c->unknown_trip++;
			return 0;
		}
	}
	grens_date date;
	bool explicit_date;
	if (descriptor_date(ctx, td, feed, &date, &explicit_date) != 0)
		return 0;
	uint32_t n;
	const grens_net_stop_time *sched = rt_scheduled_times(tt, trip, &n);
	if (!explicit_date && !grens_net_trip_runs(tt, trip, date) && n > 0 &&
	    sched[n - 1].arrival >= 86400 && grens_net_trip_runs(tt, trip, date - 1))
		date -= 1; /* after midnight, still the previous service day's trip */
	if (!grens_net_trip_runs(tt, trip, date)) {
		char iso[16];
		grens_date_format_iso(date, iso, sizeof(iso));
		NOTE(ctx, "rt_no_service_on_date", "trip.start_date", "trip %s does not run on %s",
		     trip_id, iso);
		c->no_service_on_date++;
		return 0;
	}
	c->matched++;
	if (rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__CANCELED ||
	    rel == TRANSIT_REALTIME__TRIP_DESCRIPTOR__SCHEDULE_RELATIONSHIP__DELETED) {
		c->cancelled++;
		return add_pending(ctx, trip, date, true, n, false);
	}
	if (grow_scratch(ctx, n > tu->n_stop_time_update ? n : tu->n_stop_time_update) != 0)
		return GRENS_ENOMEM;
	uint32_t nupd = resolve_stops(ctx, tu, trip, n);
	int rc = propagate(ctx, tu, trip, feed, date, sched, n, nupd);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	bool any = false;
	for (uint32_t i = 0; i < n && !any; i++)
		any = ctx->flags[i] != 0;
	if (!any)
		return 0;
	return add_pending(ctx, trip, date, false, n, true);
}

/* The translation in the preferred language, else the one without a
 * language, else the first; "" when none. */
static const char *pick_translation(const TransitRealtime__TranslatedString *ts, const char *lang)
{
	if (!ts || ts->n_translation == 0)
		return "";
	if (lang)
		for (size_t i = 0; i < ts->n_translation; i++)
			if (ts->translation[i]->language &&
			    strcasecmp(ts->translation[i]->language, lang) == 0)
				return ts->translation[i]->text;
	for (size_t i = 0; i < ts->n_translation; i++)
		if (!ts->translation[i]->language || !ts->translation[i]->language[0])
			return ts->translation[i]->text;
	return ts->translation[0]->text;
}

static const char *enum_name(const ProtobufCEnumDescriptor *d, int v)
{
	const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value(d, v);
	return ev ? ev->name : "UNKNOWN";
}

static int keep_alert(apply_ctx *ctx, const TransitRealtime__FeedEntity *e)
{
	grens_rt_overlay *ov = ctx->ov;
	const TransitRealtime__Alert *a = e->alert;
	grens_rt_alert *out = &ov->alerts[ov->alert_count];
	const char *lang = ctx->opts->lang;
	out->entity_id = arena_str(ov->arena, e->id);
	out->cause = enum_name(&transit_realtime__alert__cause__descriptor,
			       a->has_cause ? (int)a->cause : 1);
	out->effect = enum_name(&transit_realtime__alert__effect__descriptor,
				a->has_effect ? (int)a->effect : 8);
	out->severity = enum_name(&transit_realtime__alert__severity_level__descriptor,
				  a->has_severity_level ? (int)a->severity_level : 1);
	out->header = arena_str(ov->arena, pick_translation(a->header_text, lang));
	out->description = arena_str(ov->arena, pick_translation(a->description_text, lang));
	out->url = arena_str(ov->arena, pick_translation(a->url, lang));
	if (!out->entity_id || !out->header || !out->description || !out->url)
		return GRENS_ENOMEM;
	grens_rt_period *p = NULL;
	if (a->n_active_period) {
		p = grens_arena_calloc(ov->arena, a->n_active_period, sizeof(*p),
				       _Alignof(int64_t));
		if (!p)
			return GRENS_ENOMEM;
	}
	for (size_t i = 0; i < a->n_active_period; i++) {
		const TransitRealtime__TimeRange *r = a->active_period[i];
		p[i].start = r->has_start && r->start <= INT64_MAX ? (int64_t)r->start : 0;
		p[i].end = r->has_end && r->end <= INT64_MAX ? (int64_t)r->end : 0;
	}
	out->periods = p;
	out->period_count = (uint32_t)a->n_active_period;
	grens_rt_informed_entity *ie = NULL;
	if (a->n_informed_entity) {
		ie = grens_arena_calloc(ov->arena, a->n_informed_entity, sizeof(*ie),
					_Alignof(grens_rt_informed_entity));
		if (!ie)
			return GRENS_ENOMEM;
	}
	for (size_t i = 0; i < a->n_informed_entity; i++) {
		const TransitRealtime__EntitySelector *s = a->informed_entity[i];
		ie[i].agency_id = arena_str(ov->arena, s->agency_id);
		ie[i].route_id = arena_str(ov->arena, s->route_id);
		ie[i].trip_id = arena_str(ov->arena, s->trip ? s->trip->trip_id : NULL);
		ie[i].stop_id = arena_str(ov->arena, s->stop_id);
		ie[i].route_type = s->has_route_type ? s->route_type : -1;
		ie[i].direction_id =
		    s->has_direction_id && s->direction_id <= 1 ? (int32_t)s->direction_id : -1;
		if (!ie[i].agency_id || !ie[i].route_id || !ie[i].trip_id || !ie[i].stop_id)
			return GRENS_ENOMEM;
	}
	out->entities = ie;
	out->entity_count = (uint32_t)a->n_informed_entity;
	ov->alert_count++;
	return 0;
}

static int cmp_pending(const void *a, const void *b)
{
	const pending_trip *x = a, *y = b;
	if (x->trip.trip != y->trip.trip)
		return x->trip.trip < y->trip.trip ? -1 : 1;
	if (x->trip.date != y->trip.date)
		return x->trip.date < y->trip.date ? -1 : 1;
	return x->order < y->order ? -1 : (x->order > y->order);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : (x > y);
}

static int32_t nearest_rank(const int32_t *sorted, size_t n, unsigned pct)
{
	size_t rank = (n * pct + 99) / 100; /* ceil(n * pct / 100), >= 1 for n >= 1 */
	return sorted[rank ? rank - 1 : 0];
}

/* Sort the pending trips, keep the last update per (trip, date), and move
 * them into the overlay's arena. */
static int finish(apply_ctx *ctx)
{
	grens_rt_overlay *ov = ctx->ov;
	qsort(ctx->pending, ctx->pending_count, sizeof(*ctx->pending), cmp_pending);
	uint32_t kept = 0;
	if (ctx->pending_count) {
		ov->trips = grens_arena_calloc(ov->arena, ctx->pending_count, sizeof(*ov->trips),
					       _Alignof(grens_rt_trip));
		if (!ov->trips)
			return GRENS_ENOMEM;
	}
	for (uint32_t i = 0; i < ctx->pending_count; i++) {
		const pending_trip *p = &ctx->pending[i];
		if (i + 1 < ctx->pending_count && ctx->pending[i + 1].trip.trip == p->trip.trip &&
		    ctx->pending[i + 1].trip.date == p->trip.date) {
			ov->counts.duplicates++;
			continue;
		}
		ov->trips[kept++] = p->trip;
		ov->touched[p->trip.trip >> 6] |= 1ull << (p->trip.trip & 63);
		uint32_t pat = ctx->tt->trip_pattern[p->trip.trip];
		ov->touched_patterns[pat >> 6] |= 1ull << (pat & 63);
	}
	ov->trip_count = kept;
	if (ctx->delay_count) {
		qsort(ctx->delays, ctx->delay_count, sizeof(*ctx->delays), cmp_i32);
		ov->counts.delay_samples =
		    ctx->delay_count > UINT32_MAX ? UINT32_MAX : (uint32_t)ctx->delay_count;
		ov->counts.delay_p50 = nearest_rank(ctx->delays, ctx->delay_count, 50);
		ov->counts.delay_p90 = nearest_rank(ctx->delays, ctx->delay_count, 90);
		ov->counts.delay_max = ctx->delays[ctx->delay_count - 1];
	}
	return 0;
}

int grens_rt_apply(grens_rt_overlay **out, const grens_timetable *tt,
		   const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count,
		   const grens_rt_feed *feed, const grens_rt_options *opts, grens_diag *diag,
		   grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_apply: out is NULL");
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_apply: tt is NULL");
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_apply: feed is NULL");
	if (opts && opts->version != GRENS_RT_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_rt_apply: options version %u, not %u (GRENS_RT_OPTIONS_INIT)",
		    opts->version, GRENS_RT_OPTIONS_VERSION);
	static const grens_rt_options defaults = GRENS_RT_OPTIONS_INIT;
	*out = NULL;
	if (!opts)
		opts = &defaults;
	const TransitRealtime__FeedMessage *m = feed->msg;
	apply_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	ctx.tt = tt;
	ctx.gtfs = gtfs;
	ctx.gtfs_count = gtfs ? gtfs_count : 0;
	ctx.opts = opts;
	ctx.diag = diag;
	ctx.name = feed->name;
	ctx.only_feed = GRENS_NONE;
	ctx.header_ts = feed->summary.timestamp;
	int rc = 0;

	if (opts->feed_name) {
		for (uint32_t f = 0; f < tt->feed_count; f++)
			if (strcmp(feed_name(tt, f), opts->feed_name) == 0)
				ctx.only_feed = f;
		if (ctx.only_feed == GRENS_NONE)
			return grens_error_set(err, GRENS_EARG,
					       "no feed named \"%s\" in the timetable",
					       opts->feed_name);
	}

	grens_rt_overlay *ov = calloc(1, sizeof(*ov));
	if (!ov)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	atomic_init(&ov->refs, 1);
	ctx.ov = ov;
	const grens_rt_feed_summary *s = &feed->summary;
	ov->arena = grens_arena_new(0);
	ov->tt_trip_count = tt->trip_count;
	ov->touched = calloc(((size_t)tt->trip_count + 63) / 64 + 1, sizeof(uint64_t));
	ov->tt_pattern_count = tt->pattern_count;
	ov->touched_patterns = calloc(((size_t)tt->pattern_count + 63) / 64 + 1, sizeof(uint64_t));
	ctx.tz = calloc(tt->feed_count + 1, sizeof(*ctx.tz));
	ctx.tz_state = calloc(tt->feed_count + 1, 1);
	ctx.pending = calloc((size_t)s->trip_updates + 1, sizeof(*ctx.pending));
	if (!ov->arena || !ov->touched || !ov->touched_patterns || !ctx.tz || !ctx.tz_state ||
	    !ctx.pending)
		goto oom;
	if (s->trip_updates) {
		ov->added = grens_arena_calloc(ov->arena, s->trip_updates, sizeof(*ov->added),
					       _Alignof(grens_rt_added_trip));
		if (!ov->added)
			goto oom;
	}
	if (s->alerts) {
		ov->alerts = grens_arena_calloc(ov->arena, s->alerts, sizeof(*ov->alerts),
						_Alignof(grens_rt_alert));
		if (!ov->alerts)
			goto oom;
	}
	ov->header = *s;
	ov->header.version = arena_str(ov->arena, s->version);
	if (!ov->header.version)
		goto oom;
	grens_rt_counts *c = &ov->counts;
	c->entities = s->entities;
	c->deleted = s->deleted;
	c->trip_updates = s->trip_updates;
	c->vehicle_positions = s->vehicle_positions;
	c->alerts = s->alerts;

	if (s->incrementality == GRENS_RT_DIFFERENTIAL)
		grens_diag_add(diag, "rt_differential", GRENS_SEVERITY_INFO, feed->name, 0,
			       "header.incrementality",
			       "DIFFERENTIAL feed applied as a full dataset");
	for (size_t i = 0; i < m->n_entity; i++) {
		const TransitRealtime__FeedEntity *e = m->entity[i];
		ctx.entity = i + 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(i + 1);
		if (e->has_is_deleted && e->is_deleted)
			continue;
		if (e->trip_update) {
			rc = apply_trip_update(&ctx, e->trip_update);
			if (rc != 0)
				goto oom;
		}
		if (e->vehicle && e->vehicle->trip && e->vehicle->trip->trip_id) {
			uint32_t f;
			if (find_trip_any_feed(&ctx, e->vehicle->trip->trip_id, &f) != GRENS_NONE)
				c->vehicle_positions_matched++;
		}
		if (e->alert) {
			rc = keep_alert(&ctx, e);
			if (rc != 0)
				goto oom;
		}
	}
	if (finish(&ctx) != 0)
		goto oom;
	*out = ov;
	goto done;
oom:
	grens_rt_overlay_release(ov);
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory applying %s", feed->name);
done:
	for (uint32_t f = 0; ctx.tz && f < tt->feed_count; f++)
		grens_tz_free(ctx.tz[f]);
	free(ctx.tz);
	free(ctx.tz_state);
	free(ctx.pending);
	free(ctx.delays);
	free(ctx.seq);
	free(ctx.updates);
	free(ctx.live);
	free(ctx.flags);
	return rc;
}

/* ---- the overlay's readers ------------------------------------------------ */

grens_rt_overlay *grens_rt_overlay_retain(grens_rt_overlay *ov)
{
	if (ov)
		atomic_fetch_add(&ov->refs, 1);
	return ov;
}

void grens_rt_overlay_release(grens_rt_overlay *ov)
{
	if (!ov || atomic_fetch_sub(&ov->refs, 1) != 1)
		return;
	grens_arena_free(ov->arena);
	free(ov->touched);
	free(ov->touched_patterns);
	free(ov);
}

const grens_rt_counts *grens_rt_overlay_counts(const grens_rt_overlay *ov)
{
	if (!ov)
		return NULL; /* NULL not allowed: docs/api.md */
	return &ov->counts;
}

const grens_rt_feed_summary *grens_rt_overlay_header(const grens_rt_overlay *ov)
{
	if (!ov)
		return NULL; /* NULL not allowed: docs/api.md */
	return &ov->header;
}

const grens_rt_trip *grens_rt_trip_find(const grens_rt_overlay *ov, uint32_t trip, grens_date date)
{
	if (!ov || trip >= ov->tt_trip_count || !((ov->touched[trip >> 6] >> (trip & 63)) & 1))
		return NULL;
	uint32_t lo = 0, hi = ov->trip_count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const grens_rt_trip *t = &ov->trips[mid];
		if (t->trip < trip || (t->trip == trip && t->date < date))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ov->trip_count && ov->trips[lo].trip == trip && ov->trips[lo].date == date)
		return &ov->trips[lo];
	return NULL;
}

const grens_net_stop_time *grens_rt_times(const grens_rt_overlay *ov, const grens_timetable *tt,
					  uint32_t trip, grens_date date)
{
	if (!tt)
		return NULL; /* NULL not allowed: docs/api.md */
	const grens_rt_trip *t = grens_rt_trip_find(ov, trip, date);
	uint32_t n;
	if (t)
		return t->cancelled ? NULL : t->times;
	return rt_scheduled_times(tt, trip, &n);
}

bool grens_rt_pattern_touched(const grens_rt_overlay *ov, uint32_t pattern)
{
	return ov && pattern < ov->tt_pattern_count &&
	       ((ov->touched_patterns[pattern >> 6] >> (pattern & 63)) & 1);
}

bool grens_rt_trip_cancelled(const grens_rt_overlay *ov, uint32_t trip, grens_date date)
{
	if (!ov)
		return false; /* NULL not allowed: docs/api.md */
	const grens_rt_trip *t = grens_rt_trip_find(ov, trip, date);
	return t && t->cancelled;
}

int grens_rt_stop_time(const grens_rt_overlay *ov, uint32_t trip, grens_date date, uint32_t pos,
		       grens_net_stop_time *out)
{
	if (!ov || !out)
		return 0; /* NULL not allowed: docs/api.md */
	const grens_rt_trip *t = grens_rt_trip_find(ov, trip, date);
	if (!t || t->cancelled || pos >= t->stop_count ||
	    !(t->stop_flags[pos] & GRENS_RT_STOP_LIVE))
		return 0;
	*out = t->times[pos];
	return 1;
}

bool grens_rt_stop_skipped(const grens_rt_overlay *ov, uint32_t trip, grens_date date, uint32_t pos)
{
	if (!ov)
		return false; /* NULL not allowed: docs/api.md */
	const grens_rt_trip *t = grens_rt_trip_find(ov, trip, date);
	return t && !t->cancelled && pos < t->stop_count &&
	       (t->stop_flags[pos] & GRENS_RT_STOP_SKIPPED);
}

uint32_t grens_rt_trip_count(const grens_rt_overlay *ov)
{
	if (!ov)
		return 0; /* NULL not allowed: docs/api.md */
	return ov->trip_count;
}

const grens_rt_trip *grens_rt_trip_at(const grens_rt_overlay *ov, uint32_t i)
{
	if (!ov)
		return NULL; /* NULL not allowed: docs/api.md */
	return i < ov->trip_count ? &ov->trips[i] : NULL;
}

uint32_t grens_rt_added_count(const grens_rt_overlay *ov)
{
	if (!ov)
		return 0; /* NULL not allowed: docs/api.md */
	return ov->added_count;
}

const grens_rt_added_trip *grens_rt_added_at(const grens_rt_overlay *ov, uint32_t i)
{
	if (!ov)
		return NULL; /* NULL not allowed: docs/api.md */
	return i < ov->added_count ? &ov->added[i] : NULL;
}

uint32_t grens_rt_alert_count(const grens_rt_overlay *ov)
{
	if (!ov)
		return 0; /* NULL not allowed: docs/api.md */
	return ov->alert_count;
}

const grens_rt_alert *grens_rt_alert_at(const grens_rt_overlay *ov, uint32_t i)
{
	if (!ov)
		return NULL; /* NULL not allowed: docs/api.md */
	return i < ov->alert_count ? &ov->alerts[i] : NULL;
}

/* ---- overlays built elsewhere in rt/ -------------------------------------- */

int rt_overlay_assemble(grens_rt_overlay **out, const grens_timetable *tt,
			const grens_rt_trip *trips, uint32_t n, const grens_rt_added_trip *added,
			uint32_t nadded, const grens_rt_counts *counts, grens_error *err)
{
	*out = NULL;
	grens_rt_overlay *ov = calloc(1, sizeof(*ov));
	if (!ov)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	atomic_init(&ov->refs, 1);
	ov->arena = grens_arena_new(0);
	ov->tt_trip_count = tt->trip_count;
	ov->touched = calloc(((size_t)tt->trip_count + 63) / 64 + 1, sizeof(uint64_t));
	ov->tt_pattern_count = tt->pattern_count;
	ov->touched_patterns = calloc(((size_t)tt->pattern_count + 63) / 64 + 1, sizeof(uint64_t));
	if (!ov->arena || !ov->touched || !ov->touched_patterns)
		goto oom;
	ov->header.version = "";
	if (counts)
		ov->counts = *counts;
	if (n) {
		ov->trips = grens_arena_calloc(ov->arena, n, sizeof(*ov->trips),
					       _Alignof(grens_rt_trip));
		if (!ov->trips)
			goto oom;
	}
	for (uint32_t i = 0; i < n; i++) {
		grens_rt_trip *t = &ov->trips[i];
		*t = trips[i];
		if (!t->cancelled && t->times) {
			grens_net_stop_time *tm = grens_arena_calloc(
			    ov->arena, t->stop_count, sizeof(*tm), _Alignof(grens_net_stop_time));
			uint8_t *f = grens_arena_calloc(ov->arena, t->stop_count, 1, 1);
			if (!tm || !f)
				goto oom;
			memcpy(tm, trips[i].times, t->stop_count * sizeof(*tm));
			memcpy(f, trips[i].stop_flags, t->stop_count);
			t->times = tm;
			t->stop_flags = f;
		} else {
			t->times = NULL;
			t->stop_flags = NULL;
		}
		ov->touched[t->trip >> 6] |= 1ull << (t->trip & 63);
		uint32_t pat = tt->trip_pattern[t->trip];
		ov->touched_patterns[pat >> 6] |= 1ull << (pat & 63);
	}
	ov->trip_count = n;
	if (nadded) {
		ov->added = grens_arena_calloc(ov->arena, nadded, sizeof(*ov->added),
					       _Alignof(grens_rt_added_trip));
		if (!ov->added)
			goto oom;
	}
	for (uint32_t i = 0; i < nadded; i++) {
		grens_rt_added_trip *a = &ov->added[i];
		*a = added[i];
		a->trip_id = arena_str(ov->arena, added[i].trip_id);
		a->route_id = arena_str(ov->arena, added[i].route_id);
		uint32_t *s = grens_arena_calloc(ov->arena, a->stop_count, sizeof(*s),
						 _Alignof(uint32_t));
		grens_net_stop_time *tm = grens_arena_calloc(ov->arena, a->stop_count, sizeof(*tm),
							     _Alignof(grens_net_stop_time));
		if (!a->trip_id || !a->route_id || !s || !tm)
			goto oom;
		memcpy(s, added[i].stops, a->stop_count * sizeof(*s));
		memcpy(tm, added[i].times, a->stop_count * sizeof(*tm));
		a->stops = s;
		a->times = tm;
	}
	ov->added_count = nadded;
	*out = ov;
	return 0;
oom:
	grens_rt_overlay_release(ov);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory building an overlay");
}
