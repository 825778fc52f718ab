/* Footpaths and change times: from transfers.txt, platforms of one station,
 * and (optionally) stops within a radius; closed transitively. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

struct edge {
	uint32_t from, to;
	int32_t duration;
	/* Which edge of a pair wins: 2 transfers.txt, 1 matched stations of
	 * two feeds, 0 generated (platforms of a station, radius). */
	uint8_t explicit_row;
};

struct edges {
	struct edge *v;
	size_t n, cap;
};

struct forbidden {
	UT_hash_handle hh;
	uint64_t key;
};

static int edge_push(struct edges *e, uint32_t from, uint32_t to, int32_t duration, int explicit_row)
{
	if (from == to)
		return 0;
	if (e->n == e->cap) {
		size_t ncap = e->cap ? e->cap * 2 : 256;
		struct edge *p = realloc(e->v, ncap * sizeof(*p));
		if (!p)
			return GRENS_ENOMEM;
		e->v = p;
		e->cap = ncap;
	}
	e->v[e->n++] = (struct edge){ from, to, duration, (uint8_t)explicit_row };
	return 0;
}

static int32_t walk_seconds(const grens_timetable *tt, const grens_net_options *opts, uint32_t a,
			    uint32_t b)
{
	double la = tt->stop_lat[a], lo = tt->stop_lon[a], lb = tt->stop_lat[b], lob = tt->stop_lon[b];
	if (isnan(la) || isnan(lo) || isnan(lb) || isnan(lob))
		return 0;
	double d = grens_geo_distance_m(la, lo, lb, lob) * opts->detour_factor;
	double speed = opts->walk_speed_mps > 0.1 ? opts->walk_speed_mps : 0.1;
	double s = ceil(d / speed);
	return s > GRENS_LIMIT_FOOTPATH_SECONDS * 10.0 ? GRENS_LIMIT_FOOTPATH_SECONDS * 10 : (int32_t)s;
}

/* The stops a transfers.txt stop stands for: a station means its platforms. */
static uint32_t expand_stop(const grens_timetable *tt, const uint32_t *child_offset,
			    const uint32_t *children, uint32_t s, const uint32_t **list)
{
	if (tt->stop_location_type[s] == 1 && child_offset[s + 1] > child_offset[s]) {
		*list = children + child_offset[s];
		return child_offset[s + 1] - child_offset[s];
	}
	*list = NULL;
	return 1;
}

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to != y->to)
		return x->to < y->to ? -1 : 1;
	if (x->explicit_row != y->explicit_row)
		return x->explicit_row > y->explicit_row ? -1 : 1;
	return (x->duration > y->duration) - (x->duration < y->duration);
}

/* Binary min-heap of (duration, stop) for the closure. */
struct heap_item {
	int32_t d;
	uint32_t s;
};

static void heap_push(struct heap_item *h, size_t *n, struct heap_item it)
{
	size_t i = (*n)++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (h[p].d <= it.d)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i] = it;
}

static struct heap_item heap_pop(struct heap_item *h, size_t *n)
{
	struct heap_item top = h[0], last = h[--(*n)];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].d < h[c].d)
			c++;
		if (last.d <= h[c].d)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n)
		h[i] = last;
	return top;
}

int net_build_footpaths(grens_timetable *tt, const grens_gtfs_feed *const *feeds,
			uint32_t feed_count, const uint32_t *stop_base,
			const grens_net_options *opts, const grens_net_stop_match *matches,
			uint32_t match_count, uint32_t *link_footpaths, grens_diag *diag)
{
	int hash_oom = 0;
	int rc = 0;
	uint32_t n = tt->stop_count;
	struct edges edges = { 0 };
	struct forbidden *forbidden = NULL, *fb, *fbtmp;
	uint32_t *child_offset = calloc((size_t)n + 2, sizeof(uint32_t));
	uint32_t *children = calloc(n ? n : 1, sizeof(uint32_t));
	uint32_t *adj_offset = NULL;
	struct grens_net_footpath *adj = NULL;
	int32_t *dist = NULL;
	uint32_t *touched = NULL;
	struct heap_item *heap = NULL;
	struct edges closed = { 0 };
	if (!child_offset || !children) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	/* Children of each parent station (CSR). */
	for (uint32_t s = 0; s < n; s++)
		if (tt->stop_parent[s] != GRENS_NONE)
			child_offset[tt->stop_parent[s] + 1]++;
	for (uint32_t s = 0; s < n; s++)
		child_offset[s + 1] += child_offset[s];
	{
		uint32_t *fill = calloc(n ? n : 1, sizeof(uint32_t));
		if (!fill) {
			rc = GRENS_ENOMEM;
			goto out;
		}
		for (uint32_t s = 0; s < n; s++) {
			uint32_t p = tt->stop_parent[s];
			if (p != GRENS_NONE)
				children[child_offset[p] + fill[p]++] = s;
		}
		free(fill);
	}

	/* transfers.txt */
	for (uint32_t f = 0; f < feed_count; f++) {
		const grens_gtfs_feed *feed = feeds[f];
		for (uint32_t i = 0; i < feed->transfer_count; i++) {
			const grens_gtfs_transfer *x = &feed->transfers[i];
			if (x->from_stop == GRENS_NONE || x->to_stop == GRENS_NONE)
				continue;
			if (x->from_route != GRENS_NONE || x->to_route != GRENS_NONE ||
			    x->from_trip != GRENS_NONE || x->to_trip != GRENS_NONE || x->type > 3) {
				grens_diag_add(diag, "transfer_not_routed", GRENS_SEVERITY_INFO,
					       "transfers.txt", 0, "transfer_type",
					       "%s: route-, trip-specific and in-seat transfers are "
					       "not used for routing",
					       feed->name);
				continue;
			}
			uint32_t a = stop_base[f] + x->from_stop, b = stop_base[f] + x->to_stop;
			const uint32_t *la, *lb;
			uint32_t na = expand_stop(tt, child_offset, children, a, &la);
			uint32_t nb = expand_stop(tt, child_offset, children, b, &lb);
			for (uint32_t i1 = 0; i1 < na; i1++) {
				uint32_t sa = la ? la[i1] : a;
				for (uint32_t i2 = 0; i2 < nb; i2++) {
					uint32_t sb = lb ? lb[i2] : b;
					if (sa == sb) {
						if (x->type == 1)
							tt->stop_min_change[sa] = 0;
						else if (x->type == 2 && x->min_transfer_time >= 0)
							tt->stop_min_change[sa] = x->min_transfer_time;
						else if (x->type == 3)
							tt->stop_min_change[sa] =
								GRENS_NET_CHANGE_FORBIDDEN;
						continue;
					}
					if (x->type == 3) {
						fb = malloc(sizeof(*fb));
						if (!fb) {
							rc = GRENS_ENOMEM;
							goto out;
						}
						fb->key = (uint64_t)sa << 32 | sb;
						struct forbidden *old = NULL;
						HASH_FIND(hh, forbidden, &fb->key, sizeof(uint64_t), old);
						if (old) {
							free(fb);
							continue;
						}
						HASH_ADD(hh, forbidden, key, sizeof(uint64_t), fb);
						if (hash_oom) {
							free(fb);
							rc = GRENS_ENOMEM;
							goto out;
						}
						continue;
					}
					int32_t d = x->type == 2 && x->min_transfer_time >= 0
							    ? x->min_transfer_time
							    : walk_seconds(tt, opts, sa, sb);
					rc = edge_push(&edges, sa, sb, d, 2);
					if (rc)
						goto out;
				}
			}
		}
	}

	/* Platforms of one station. */
	for (uint32_t p = 0; p < n; p++) {
		for (uint32_t i = child_offset[p]; i < child_offset[p + 1]; i++) {
			for (uint32_t j = child_offset[p]; j < child_offset[p + 1]; j++) {
				uint32_t a = children[i], b = children[j];
				if (a == b || tt->stop_location_type[a] != 0 ||
				    tt->stop_location_type[b] != 0)
					continue;
				int32_t d = walk_seconds(tt, opts, a, b);
				int32_t ca = tt->stop_min_change[a], cb = tt->stop_min_change[b];
				if (ca != GRENS_NET_CHANGE_FORBIDDEN && ca > d)
					d = ca;
				if (cb != GRENS_NET_CHANGE_FORBIDDEN && cb > d)
					d = cb;
				rc = edge_push(&edges, a, b, d, 0);
				if (rc)
					goto out;
			}
		}
	}

	/* Stations matched across feeds: every platform of one to every
	 * platform of the other, both ways, taking at least the change time
	 * at matched stations and the platforms' own change times. */
	*link_footpaths = 0;
	for (uint32_t m = 0; m < match_count; m++) {
		uint32_t x = matches[m].stop_a, y = matches[m].stop_b;
		const uint32_t *lx, *ly;
		uint32_t nx = expand_stop(tt, child_offset, children, x, &lx);
		uint32_t ny = expand_stop(tt, child_offset, children, y, &ly);
		for (uint32_t i = 0; i < nx; i++) {
			uint32_t a = lx ? lx[i] : x;
			if (tt->stop_location_type[a] != 0)
				continue;
			for (uint32_t j = 0; j < ny; j++) {
				uint32_t b = ly ? ly[j] : y;
				if (tt->stop_location_type[b] != 0)
					continue;
				int32_t d = walk_seconds(tt, opts, a, b);
				if (d < opts->link_min_change)
					d = opts->link_min_change;
				int32_t ca = tt->stop_min_change[a], cb = tt->stop_min_change[b];
				if (ca != GRENS_NET_CHANGE_FORBIDDEN && ca > d)
					d = ca;
				if (cb != GRENS_NET_CHANGE_FORBIDDEN && cb > d)
					d = cb;
				rc = edge_push(&edges, a, b, d, 1);
				if (!rc)
					rc = edge_push(&edges, b, a, d, 1);
				if (rc)
					goto out;
				*link_footpaths += 2;
			}
		}
	}

	/* Stops within a radius: a grid of cells about radius wide. */
	if (opts->footpath_radius_m > 0) {
		double cell_deg = opts->footpath_radius_m / 111000.0;
		struct cell {
			UT_hash_handle hh;
			int64_t key;
			uint32_t first;
		} *cells = NULL, *c, *ctmp;
		uint32_t *next = malloc((n ? n : 1) * sizeof(uint32_t));
		if (!next) {
			rc = GRENS_ENOMEM;
			goto out;
		}
		for (uint32_t s = 0; s < n && !rc; s++) {
			next[s] = GRENS_NONE;
			if (tt->stop_location_type[s] != 0 || isnan(tt->stop_lat[s]) ||
			    isnan(tt->stop_lon[s]))
				continue;
			int64_t cy = (int64_t)floor(tt->stop_lat[s] / cell_deg);
			int64_t cx = (int64_t)floor(tt->stop_lon[s] / cell_deg);
			int64_t key = cy * 4000003 + cx;
			HASH_FIND(hh, cells, &key, sizeof(key), c);
			if (!c) {
				c = malloc(sizeof(*c));
				if (!c) {
					rc = GRENS_ENOMEM;
					break;
				}
				c->key = key;
				c->first = GRENS_NONE;
				HASH_ADD(hh, cells, key, sizeof(int64_t), c);
				if (hash_oom) {
					free(c);
					rc = GRENS_ENOMEM;
					break;
				}
			}
			next[s] = c->first;
			c->first = s;
		}
		for (uint32_t s = 0; s < n && !rc; s++) {
			if (tt->stop_location_type[s] != 0 || isnan(tt->stop_lat[s]) ||
			    isnan(tt->stop_lon[s]))
				continue;
			int64_t cy = (int64_t)floor(tt->stop_lat[s] / cell_deg);
			/* Longitude cells shrink with latitude: widen the search. */
			double coslat = cos(tt->stop_lat[s] * M_PI / 180.0);
			int64_t span = coslat > 0.05 ? (int64_t)ceil(1.0 / coslat) : 20;
			int64_t cx = (int64_t)floor(tt->stop_lon[s] / cell_deg);
			for (int64_t dy = -1; dy <= 1 && !rc; dy++) {
				for (int64_t dx = -span; dx <= span && !rc; dx++) {
					int64_t key = (cy + dy) * 4000003 + (cx + dx);
					HASH_FIND(hh, cells, &key, sizeof(key), c);
					if (!c)
						continue;
					for (uint32_t o = c->first; o != GRENS_NONE; o = next[o]) {
						if (o == s)
							continue;
						double d = grens_geo_distance_m(
							tt->stop_lat[s], tt->stop_lon[s],
							tt->stop_lat[o], tt->stop_lon[o]);
						if (d > opts->footpath_radius_m)
							continue;
						rc = edge_push(&edges, s, o,
							       walk_seconds(tt, opts, s, o), 0);
						if (rc)
							break;
					}
				}
			}
		}
		HASH_ITER(hh, cells, c, ctmp)
		{
			HASH_DEL(cells, c);
			free(c);
		}
		free(next);
		if (rc)
			goto out;
	}

	/* One edge per pair: a transfers.txt row wins, then a matched-station
	 * edge (it carries the change time), else the shortest. */
	if (edges.n)
		qsort(edges.v, edges.n, sizeof(*edges.v), cmp_edge);
	size_t k = 0;
	for (size_t i = 0; i < edges.n; i++) {
		if (k && edges.v[k - 1].from == edges.v[i].from && edges.v[k - 1].to == edges.v[i].to)
			continue;
		uint64_t key = (uint64_t)edges.v[i].from << 32 | edges.v[i].to;
		HASH_FIND(hh, forbidden, &key, sizeof(key), fb);
		if (fb)
			continue;
		edges.v[k++] = edges.v[i];
	}
	edges.n = k;

	/* Adjacency for the closure. */
	adj_offset = calloc((size_t)n + 1, sizeof(uint32_t));
	adj = malloc((edges.n ? edges.n : 1) * sizeof(*adj));
	dist = malloc((n ? n : 1) * sizeof(int32_t));
	touched = malloc((n ? n : 1) * sizeof(uint32_t));
	heap = malloc((edges.n + 1) * sizeof(*heap));
	if (!adj_offset || !adj || !dist || !touched || !heap) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < edges.n; i++) {
		adj_offset[edges.v[i].from + 1]++;
		adj[i] = (struct grens_net_footpath){ edges.v[i].to, edges.v[i].duration };
	}
	for (uint32_t s = 0; s < n; s++) {
		adj_offset[s + 1] += adj_offset[s];
		dist[s] = INT32_MAX;
	}

	for (uint32_t s = 0; s < n; s++) {
		if (adj_offset[s + 1] == adj_offset[s])
			continue;
		size_t hn = 0, nt = 0;
		dist[s] = 0;
		touched[nt++] = s;
		heap_push(heap, &hn, (struct heap_item){ 0, s });
		while (hn) {
			struct heap_item it = heap_pop(heap, &hn);
			if (it.d > dist[it.s])
				continue;
			for (uint32_t e = adj_offset[it.s]; e < adj_offset[it.s + 1]; e++) {
				/* Only direct edges may exceed the closure bound. */
				int64_t nd = (int64_t)it.d + adj[e].duration;
				if (it.s != s && nd > GRENS_LIMIT_FOOTPATH_SECONDS)
					continue;
				uint32_t to = adj[e].to_stop;
				if (nd < dist[to]) {
					if (dist[to] == INT32_MAX)
						touched[nt++] = to;
					dist[to] = (int32_t)nd;
					if (hn < edges.n + 1)
						heap_push(heap, &hn, (struct heap_item){ (int32_t)nd, to });
				}
			}
		}
		uint32_t kept = 0;
		for (size_t i = 0; i < nt; i++) {
			uint32_t to = touched[i];
			if (to != s && kept < GRENS_LIMIT_FOOTPATHS_PER_STOP) {
				uint64_t key = (uint64_t)s << 32 | to;
				HASH_FIND(hh, forbidden, &key, sizeof(key), fb);
				if (!fb) {
					rc = edge_push(&closed, s, to, dist[to], 0);
					if (rc)
						goto out;
					kept++;
				}
			}
			dist[to] = INT32_MAX;
		}
	}
	if (closed.n)
		qsort(closed.v, closed.n, sizeof(*closed.v), cmp_edge);

	tt->footpath_offset = grens_arena_calloc(tt->arena, (size_t)n + 1, sizeof(uint32_t), 8);
	tt->footpaths = grens_arena_calloc(tt->arena, closed.n ? closed.n : 1,
					   sizeof(grens_net_footpath), 8);
	if (!tt->footpath_offset || !tt->footpaths) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	if (closed.n >= GRENS_NONE) {
		rc = GRENS_ELIMIT;
		goto out;
	}
	for (size_t i = 0; i < closed.n; i++) {
		tt->footpath_offset[closed.v[i].from + 1]++;
		tt->footpaths[i] = (grens_net_footpath){ closed.v[i].to, closed.v[i].duration };
	}
	for (uint32_t s = 0; s < n; s++)
		tt->footpath_offset[s + 1] += tt->footpath_offset[s];
out:
	HASH_ITER(hh, forbidden, fb, fbtmp)
	{
		HASH_DEL(forbidden, fb);
		free(fb);
	}
	free(edges.v);
	free(closed.v);
	free(child_offset);
	free(children);
	free(adj_offset);
	free(adj);
	free(dist);
	free(touched);
	free(heap);
	return rc;
}
