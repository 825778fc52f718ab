/* A timetable from a plain description (grens_net_build_plain): the
 * description becomes one GTFS feed in memory, built by grens_net_build's
 * own steps (services, runs, pattern grouping and sorting, stop -> pattern
 * lists, strings, index), and a hook puts the description's change times,
 * footpaths and block continuations in where the build would read them from
 * transfers.txt and block_id. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* A bad description: which part and why. */
static int bad(grens_error *err, const char *what, uint32_t i, const char *id, const char *why)
{
	if (id && *id)
		return grens_error_set(err, GRENS_EARG, "%s %u ('%s'): %s", what, i, id, why);
	return grens_error_set(err, GRENS_EARG, "%s %u: %s", what, i, why);
}

static int check_trip(const grens_net_plain *p, uint32_t i, grens_error *err)
{
	const grens_net_plain_trip *t = &p->trips[i];
	if (t->stop_count < 2)
		return bad(err, "trip", i, t->id, "fewer than two stops");
	if (!t->stops || !t->arrivals)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_net_build_plain: trip %u has no stops or arrivals", i);
	if (t->route >= p->route_count)
		return bad(err, "trip", i, t->id, "route out of range");
	if (t->service >= p->service_count)
		return bad(err, "trip", i, t->id, "service out of range");
	if (t->block_next != GRENS_NONE && (t->block_next >= p->trip_count || t->block_next == i))
		return bad(err, "trip", i, t->id, "block_next out of range");
	int32_t prev = 0;
	for (uint32_t k = 0; k < t->stop_count; k++) {
		int32_t arr = t->arrivals[k], dep = t->departures ? t->departures[k] : arr;
		if (t->stops[k] >= p->stop_count)
			return bad(err, "trip", i, t->id, "stop out of range");
		if (arr < prev || dep < arr)
			return bad(err, "trip", i, t->id, "negative or decreasing times");
		prev = dep;
	}
	return 0;
}

static int check_plain(const grens_net_plain *p, grens_error *err)
{
	if (p->version != GRENS_NET_PLAIN_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_net_build_plain: description version %u, not %u (GRENS_NET_PLAIN_INIT)",
		    p->version, GRENS_NET_PLAIN_VERSION);
	if ((!p->stops && p->stop_count) || (!p->routes && p->route_count) ||
	    (!p->trips && p->trip_count) || (!p->footpaths && p->footpath_count) ||
	    (!p->service_days && p->service_count && p->day_count))
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_net_build_plain: an array is NULL but its count is not 0");
	if (p->day_count > GRENS_LIMIT_SERVICE_DAYS)
		return grens_error_set(err, GRENS_ELIMIT, "%u service days; at most %d", p->day_count,
				       GRENS_LIMIT_SERVICE_DAYS);
	for (uint32_t s = 0; s < p->stop_count; s++) {
		const grens_net_plain_stop *st = &p->stops[s];
		if (!st->id)
			return bad(err, "stop", s, NULL, "no id");
		if (st->parent != GRENS_NONE && (st->parent >= p->stop_count || st->parent == s))
			return bad(err, "stop", s, st->id, "parent out of range");
		if (st->min_change < 0)
			return bad(err, "stop", s, st->id, "negative min_change");
	}
	for (uint32_t i = 0; i < p->trip_count; i++) {
		int rc = check_trip(p, i, err);
		if (rc)
			return rc;
	}
	for (uint32_t f = 0; f < p->footpath_count; f++) {
		const grens_net_plain_footpath *fp = &p->footpaths[f];
		if (fp->from >= p->stop_count || fp->to >= p->stop_count || fp->from == fp->to ||
		    fp->duration < 0)
			return bad(err, "footpath", f, NULL, "stops out of range or a negative duration");
	}
	return 0;
}

/* The description as one feed; its arrays are malloc'd (feed_free). */
static int make_feed(const grens_net_plain *p, grens_gtfs_feed *f)
{
	memset(f, 0, sizeof(*f));
	uint64_t stop_times = 0, exceptions = 0;
	uint32_t words = (p->day_count + 63) / 64;
	for (uint32_t i = 0; i < p->trip_count; i++)
		stop_times += p->trips[i].stop_count;
	for (uint32_t s = 0; s < p->service_count; s++)
		for (uint32_t d = 0; d < p->day_count; d++)
			exceptions += (p->service_days[(size_t)s * words + d / 64] >> (d % 64)) & 1u;
	if (stop_times >= UINT32_MAX || exceptions >= UINT32_MAX)
		return GRENS_ELIMIT;
	f->name = p->feed ? p->feed : "plain";
	f->path = f->name;
	f->agency_count = p->route_count ? p->route_count : 1;
	f->stop_count = p->stop_count;
	f->route_count = p->route_count;
	f->trip_count = p->trip_count;
	f->stop_time_count = (uint32_t)stop_times;
	f->service_count = p->service_count;
	f->exception_count = (uint32_t)exceptions;
	f->agencies = calloc(f->agency_count, sizeof(*f->agencies));
	f->stops = calloc((size_t)f->stop_count + 1, sizeof(*f->stops));
	f->routes = calloc((size_t)f->route_count + 1, sizeof(*f->routes));
	f->trips = calloc((size_t)f->trip_count + 1, sizeof(*f->trips));
	f->stop_times = calloc((size_t)stop_times + 1, sizeof(*f->stop_times));
	f->services = calloc((size_t)f->service_count + 1, sizeof(*f->services));
	f->exceptions = calloc((size_t)exceptions + 1, sizeof(*f->exceptions));
	if (!f->agencies || !f->stops || !f->routes || !f->trips || !f->stop_times ||
	    !f->services || !f->exceptions)
		return GRENS_ENOMEM;
	/* one agency per route carries its name; all in the one time zone */
	for (uint32_t a = 0; a < f->agency_count; a++) {
		grens_gtfs_agency *ag = &f->agencies[a];
		ag->id = ag->url = ag->lang = "";
		ag->name = a < p->route_count ? or_empty(p->routes[a].agency_name) : "";
		ag->timezone = or_empty(p->timezone);
	}
	for (uint32_t s = 0; s < p->stop_count; s++) {
		const grens_net_plain_stop *in = &p->stops[s];
		grens_gtfs_stop *st = &f->stops[s];
		st->id = in->id;
		st->name = in->name ? in->name : in->id;
		st->code = st->desc = st->zone_id = st->platform_code = st->timezone = "";
		st->lat = in->lat;
		st->lon = in->lon;
		st->parent = in->parent;
		st->location_type = in->location_type;
	}
	for (uint32_t r = 0; r < p->route_count; r++) {
		const grens_net_plain_route *in = &p->routes[r];
		grens_gtfs_route *rt = &f->routes[r];
		rt->id = or_empty(in->id);
		rt->short_name = or_empty(in->short_name);
		rt->long_name = or_empty(in->long_name);
		rt->desc = rt->color = rt->text_color = "";
		rt->agency = r;
		rt->type = in->type;
	}
	uint32_t row = 0;
	for (uint32_t i = 0; i < p->trip_count; i++) {
		const grens_net_plain_trip *in = &p->trips[i];
		grens_gtfs_trip *t = &f->trips[i];
		t->id = or_empty(in->id);
		t->headsign = or_empty(in->headsign);
		t->short_name = or_empty(in->short_name);
		t->block_id = t->shape_id = ""; /* blocks come from block_next (the hook) */
		t->route = in->route;
		t->service = in->service;
		t->first_stop_time = row;
		t->stop_time_count = in->stop_count;
		t->direction_id = -1;
		t->frequency = GRENS_NONE;
		t->frequency_start = GRENS_TIME_NONE;
		for (uint32_t k = 0; k < in->stop_count; k++, row++) {
			grens_gtfs_stop_time *st = &f->stop_times[row];
			uint8_t fl = in->flags ? in->flags[k] : 0;
			st->arrival = in->arrivals[k];
			st->departure = in->departures ? in->departures[k] : in->arrivals[k];
			st->stop = in->stops[k];
			st->sequence = k + 1;
			st->shape_dist_traveled = NAN;
			st->pickup_type = (fl & GRENS_NET_NO_PICKUP) ? 1 : 0;
			st->drop_off_type = (fl & GRENS_NET_NO_DROP_OFF) ? 1 : 0;
			st->timepoint = 1;
		}
	}
	/* service days as calendar_dates.txt additions, no calendar.txt */
	uint32_t e = 0;
	for (uint32_t s = 0; s < p->service_count; s++) {
		grens_gtfs_service *sv = &f->services[s];
		sv->id = "";
		sv->start_date = sv->end_date = GRENS_DATE_NONE;
		sv->first_exception = e;
		for (uint32_t d = 0; d < p->day_count; d++)
			if ((p->service_days[(size_t)s * words + d / 64] >> (d % 64)) & 1u)
				f->exceptions[e++] =
				    (grens_gtfs_service_exception){ p->first_date + (grens_date)d, 1 };
		sv->exception_count = e - sv->first_exception;
	}
	f->first_service_date = p->day_count ? p->first_date : GRENS_DATE_NONE;
	f->last_service_date =
	    p->day_count ? p->first_date + (grens_date)p->day_count - 1 : GRENS_DATE_NONE;
	f->declared_last_date = GRENS_DATE_NONE;
	return 0;
}

static void feed_free(grens_gtfs_feed *f)
{
	free(f->agencies);
	free(f->stops);
	free(f->routes);
	free(f->trips);
	free(f->stop_times);
	free(f->services);
	free(f->exceptions);
}

struct plain_hook {
	const grens_net_plain *p;
	uint32_t *trip_map; /* [trip_count], filled by finish */
};

/* Change times, footpaths (CSR, the description's order per stop) and
 * block continuations from the description. */
static int plain_finish(void *ctx, grens_timetable *tt, const struct net_src *src,
			uint32_t src_count, const uint32_t *new_index)
{
	const struct plain_hook *h = ctx;
	const grens_net_plain *p = h->p;
	for (uint32_t i = 0; i < p->trip_count; i++)
		h->trip_map[i] = GRENS_NONE;
	for (uint32_t r = 0; r < src_count; r++)
		if (new_index[r] != GRENS_NONE && h->trip_map[src[r].trip] == GRENS_NONE)
			h->trip_map[src[r].trip] = new_index[r];
	for (uint32_t i = 0; i < p->trip_count; i++)
		if (h->trip_map[i] == GRENS_NONE) /* checked trips are all kept: not expected */
			return GRENS_EARG;
	for (uint32_t i = 0; i < p->trip_count; i++)
		if (p->trips[i].block_next != GRENS_NONE)
			tt->trip_block_next[h->trip_map[i]] = h->trip_map[p->trips[i].block_next];
	for (uint32_t s = 0; s < p->stop_count; s++)
		tt->stop_min_change[s] = p->stops[s].min_change;
	tt->footpath_offset =
	    grens_arena_calloc(tt->arena, (size_t)tt->stop_count + 1, sizeof(uint32_t), 8);
	tt->footpaths = grens_arena_calloc(tt->arena, (size_t)p->footpath_count + 1,
					   sizeof(grens_net_footpath), 8);
	uint32_t *fill = calloc((size_t)tt->stop_count + 1, sizeof(uint32_t));
	if (!tt->footpath_offset || !tt->footpaths || !fill) {
		free(fill);
		return GRENS_ENOMEM;
	}
	for (uint32_t f = 0; f < p->footpath_count; f++)
		tt->footpath_offset[p->footpaths[f].from + 1]++;
	for (uint32_t s = 0; s < tt->stop_count; s++)
		tt->footpath_offset[s + 1] += tt->footpath_offset[s];
	for (uint32_t f = 0; f < p->footpath_count; f++) {
		uint32_t s = p->footpaths[f].from;
		grens_net_footpath *fp = &tt->footpaths[tt->footpath_offset[s] + fill[s]++];
		fp->to_stop = p->footpaths[f].to;
		fp->duration = p->footpaths[f].duration;
	}
	free(fill);
	return 0;
}

int grens_net_build_plain(grens_timetable **out, uint32_t *trip_map, const grens_net_plain *plain,
			  grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build_plain: out is NULL");
	*out = NULL;
	if (!plain)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_build_plain: plain is NULL");
	int rc = check_plain(plain, err);
	if (rc)
		return rc;
	grens_gtfs_feed feed;
	struct plain_hook h = { plain,
				malloc(((size_t)plain->trip_count + 1) * sizeof(uint32_t)) };
	rc = h.trip_map ? make_feed(plain, &feed) : GRENS_ENOMEM;
	if (rc) {
		if (h.trip_map)
			feed_free(&feed);
		free(h.trip_map);
		return grens_error_set(err, rc, "describing the timetable failed: %s",
				       grens_strerror(rc));
	}
	/* nothing to link, merge or walk to: one feed, footpaths as given */
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	opts.footpath_radius_m = 0;
	opts.link_stops = false;
	opts.merge_trips = false;
	const grens_gtfs_feed *feeds[] = { &feed };
	struct net_build_hook hook = { plain_finish, &h };
	rc = net_build_feeds(out, NULL, feeds, 1, &opts, &hook, NULL, err);
	if (!rc && trip_map && plain->trip_count)
		memcpy(trip_map, h.trip_map, plain->trip_count * sizeof(uint32_t));
	feed_free(&feed);
	free(h.trip_map);
	return rc;
}
