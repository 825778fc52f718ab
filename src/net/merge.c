/* Merging a train that two feeds both carry.
 *
 * Cross-border trains often appear in both countries' feeds: one feed has
 * the whole run and the other its own section, or each feed only its own
 * section, meeting at the border station. Kept apart they would double
 * journeys (the same seat twice) or force a change where passengers stay
 * seated. Two runs are the same train when, on common service days, the
 * later one's first stop is a stop of the earlier one (at the same place
 * after stop matching) and from there they call at the same places at the
 * same times (within merge_tolerance) for as long as both run, and their
 * train numbers (trip_short_name) agree. Without a train number on either
 * side at least two shared stops and the same route short name are needed.
 *
 * - b lies within a (same or contained): on the common days b is dropped and
 *   a carries b's trip_id as its alternate id.
 * - a's end overlaps b's start (joined): on the common days one run a-then-b
 *   replaces both; a and b keep their other days.
 * All of this works on service-day bitsets in the query time base, so a run
 * shifted by a time zone or moved to the previous day compares correctly. */
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

struct event {
	uint32_t place;
	int32_t arr;
	uint32_t src, pos;
};

static int cmp_event(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	if (a->place != b->place)
		return a->place < b->place ? -1 : 1;
	if (a->arr != b->arr)
		return a->arr < b->arr ? -1 : 1;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->pos < b->pos ? -1 : (a->pos > b->pos);
}

static uint32_t place_of(const struct net_ctx *c, uint32_t s, uint32_t i)
{
	return c->tt->stop_place[net_src_stop(c, s, i)];
}

static const grens_gtfs_trip *gtrip(const struct net_ctx *c, uint32_t s)
{
	return &c->feeds[c->src[s].feed]->trips[c->src[s].trip];
}

static int32_t absdiff(int32_t a, int32_t b)
{
	return a > b ? a - b : b - a;
}

/* Time difference at a shared stop: arrival against arrival or departure
 * against departure (a run ending at the border has only its arrival, a
 * run starting there only its departure). */
static int32_t stop_difference(const struct net_ctx *c, uint32_t a, uint32_t i, uint32_t b,
			       uint32_t j)
{
	int32_t da = absdiff(net_src_arr(c, a, i), net_src_arr(c, b, j));
	int32_t dd = absdiff(net_src_dep(c, a, i), net_src_dep(c, b, j));
	return da < dd ? da : dd;
}

static int route_names_equal(const struct net_ctx *c, uint32_t a, uint32_t b)
{
	const grens_gtfs_feed *fa = c->feeds[c->src[a].feed], *fb = c->feeds[c->src[b].feed];
	const char *ra = fa->routes[gtrip(c, a)->route].short_name;
	const char *rb = fb->routes[gtrip(c, b)->route].short_name;
	char x[64], y[64];
	grens_text_fold(ra, strlen(ra), x, sizeof(x));
	grens_text_fold(rb, strlen(rb), y, sizeof(y));
	return x[0] && strcmp(x, y) == 0;
}

static uint32_t popcount_and(const uint64_t *x, const uint64_t *y, uint32_t words)
{
	uint32_t n = 0;
	for (uint32_t w = 0; w < words; w++)
		n += (uint32_t)__builtin_popcountll(x[w] & y[w]);
	return n;
}

/* Replace run s's service by its days minus `minus`; an empty result drops s. */
static int remove_days(struct net_ctx *c, uint32_t s, const uint64_t *minus, uint64_t *scratch)
{
	uint32_t words = c->services.words;
	const uint64_t *cur = net_services_get(&c->services, c->src[s].service);
	int any = 0;
	for (uint32_t w = 0; w < words; w++) {
		scratch[w] = cur[w] & ~minus[w];
		any |= scratch[w] != 0;
	}
	if (!any) {
		c->src[s].service = GRENS_NONE;
		return 0;
	}
	return net_services_add(&c->services, scratch, 1, &c->src[s].service);
}

struct best {
	uint32_t a, i, k, max_diff;
	grens_net_merge_kind kind;
	uint32_t days;
	int swap;
};

int net_merge_trips(struct net_ctx *c)
{
	int rc = 0;
	uint32_t words = c->services.words;
	int32_t tol = c->opts->merge_tolerance;
	uint32_t base_count = c->src_count;
	struct event *ev = NULL;
	uint64_t n_ev = 0;
	uint64_t *common = malloc((words ? words : 1) * sizeof(uint64_t));
	uint64_t *scratch = malloc((words ? words : 1) * sizeof(uint64_t));
	uint8_t *done = calloc(base_count ? base_count : 1, 1); /* [run] nothing more to merge */
	if (!common || !scratch || !done) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	/* Events at places that more than one feed serves would suffice; all
	 * events keep the code simple and cost one sort. */
	for (uint32_t s = 0; s < base_count; s++)
		if (c->src[s].service != GRENS_NONE)
			n_ev += net_src_len(c, s);
	ev = malloc((n_ev ? n_ev : 1) * sizeof(*ev));
	if (!ev) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	uint64_t k_ev = 0;
	for (uint32_t s = 0; s < base_count; s++) {
		if (c->src[s].service == GRENS_NONE)
			continue;
		uint32_t len = net_src_len(c, s);
		for (uint32_t i = 0; i < len; i++)
			ev[k_ev++] = (struct event){place_of(c, s, i), net_src_arr(c, s, i), s, i};
	}
	if (n_ev)
		qsort(ev, n_ev, sizeof(*ev), cmp_event);

	/* A run may share days with several runs of another feed (a holiday
	 * timetable in one country only): search again while days are left. */
	for (uint32_t b = 0, round = 0; b < base_count; round++) {
		if (c->src[b].service == GRENS_NONE || done[b] || round >= 8) {
			b++;
			round = UINT32_MAX; /* 0 after the increment */
			continue;
		}
		uint32_t len_b = net_src_len(c, b);
		uint32_t p0 = place_of(c, b, 0);
		int32_t lo = net_src_arr(c, b, 0) - tol - 3600, hi = net_src_dep(c, b, 0) + tol;
		/* First event at p0 with arrival >= lo. */
		uint64_t l = 0, h = n_ev;
		while (l < h) {
			uint64_t m = l + (h - l) / 2;
			if (ev[m].place < p0 || (ev[m].place == p0 && ev[m].arr < lo))
				l = m + 1;
			else
				h = m;
		}
		struct best best = {GRENS_NONE, 0, 0, 0, GRENS_NET_MERGE_SAME, 0, 0};
		const char *num_b = gtrip(c, b)->short_name;
		for (uint64_t e = l; e < n_ev && ev[e].place == p0 && ev[e].arr <= hi; e++) {
			uint32_t a = ev[e].src, i = ev[e].pos;
			if (c->src[a].feed == c->src[b].feed || c->src[a].service == GRENS_NONE ||
			    a == b)
				continue;
			uint32_t len_a = net_src_len(c, a);
			uint32_t k = 0;
			int32_t max_diff = 0;
			while (i + k < len_a && k < len_b &&
			       place_of(c, a, i + k) == place_of(c, b, k)) {
				int32_t d = stop_difference(c, a, i + k, b, k);
				if (d > tol)
					break;
				if (d > max_diff)
					max_diff = d;
				k++;
			}
			grens_net_merge_kind kind;
			int swap = 0; /* a is the section, b carries the run */
			if (k == len_b)
				kind = i == 0 && len_a == len_b ? GRENS_NET_MERGE_SAME
								: GRENS_NET_MERGE_CONTAINED;
			else if (i == 0 && k == len_a)
				kind = GRENS_NET_MERGE_CONTAINED, swap = 1;
			else if (k >= 1 && i + k == len_a)
				kind = GRENS_NET_MERGE_JOINED;
			else
				continue;
			/* A joined run arrives by a's times and leaves by b's: it must
			 * not leave the border stop before it arrived there. */
			if (kind == GRENS_NET_MERGE_JOINED &&
			    net_src_dep(c, b, k - 1) < net_src_arr(c, a, len_a - 1))
				continue;
			/* The same run in both feeds is found from both sides: the
			 * earlier feed's run stays. */
			if (kind == GRENS_NET_MERGE_SAME && c->src[a].feed > c->src[b].feed)
				continue;
			const char *num_a = gtrip(c, a)->short_name;
			if (num_a[0] && num_b[0]) {
				if (strcmp(num_a, num_b) != 0)
					continue;
			} else if (k < 2 || !route_names_equal(c, a, b)) {
				continue;
			}
			uint32_t days =
			    popcount_and(net_services_get(&c->services, c->src[a].service),
					 net_services_get(&c->services, c->src[b].service), words);
			if (!days)
				continue;
			if (best.a == GRENS_NONE || (uint32_t)max_diff < best.max_diff ||
			    ((uint32_t)max_diff == best.max_diff && k > best.k))
				best = (struct best){a, i, k, (uint32_t)max_diff, kind, days, swap};
		}
		if (best.a == GRENS_NONE) {
			done[b] = 1;
			continue;
		}
		/* x carries the run; y is the other feed's run (dropped on the
		 * common days, or the continuation of a joined run). */
		uint32_t x = best.swap ? b : best.a, y = best.swap ? best.a : b;
		const uint64_t *sx = net_services_get(&c->services, c->src[x].service);
		const uint64_t *sy = net_services_get(&c->services, c->src[y].service);
		for (uint32_t w = 0; w < words; w++)
			common[w] = sx[w] & sy[w];
		struct net_merge_rec rec = {best.kind,	    c->src[x].feed, c->src[x].trip,
					    c->src[y].feed, c->src[y].trip, x,
					    best.k,	    best.days,	    (int32_t)best.max_diff};
		if (best.kind == GRENS_NET_MERGE_JOINED) {
			struct net_src m = c->src[x];
			m.feed2 = c->src[y].feed;
			m.trip2 = c->src[y].trip;
			m.shift2 = c->src[y].shift;
			m.skip2 = best.k;
			m.alt_feed = c->src[y].feed;
			m.alt_trip = c->src[y].trip;
			rc = net_services_add(&c->services, common, 1, &m.service);
			if (!rc)
				rc = net_src_push(c, &m);
			if (!rc)
				rc = remove_days(c, x, common, scratch);
			if (!rc)
				rc = remove_days(c, y, common, scratch);
			if (rc)
				goto out;
			rec.src = c->src_count - 1;
		} else {
			c->src[x].alt_feed = c->src[y].feed;
			c->src[x].alt_trip = c->src[y].trip;
			rc = remove_days(c, y, common, scratch);
			if (rc)
				goto out;
		}
		rc = net_grow((void **)&c->merges, &c->merge_cap, sizeof(*c->merges),
			      c->merge_count + 1);
		if (rc)
			goto out;
		c->merges[c->merge_count++] = rec;
	}
out:
	free(ev);
	free(common);
	free(scratch);
	free(done);
	return rc;
}
