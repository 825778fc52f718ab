/* Clipping a loaded feed to a region (a box, or GeoJSON polygons): a
 * national feed becomes the part of it an analysis needs. The stops inside
 * are kept (with the stations they belong to), each trip is cut to its runs
 * of consecutive stops inside (a trip that leaves and re-enters becomes one
 * trip per run, named after it, with a notice), and what is left empty is
 * dropped: trips without a run of two stops, routes without trips, stops no
 * longer inside, transfers that name what was dropped. The stop_times rows
 * stay where they are: a cut trip points into its old block. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/gtfs.h"

/* A ring is points [first, first + count) of the clip's points (lon, lat). */
struct ring {
	uint32_t first, count;
};

/* A polygon is rings [first, first + count): the outer ring, then holes. */
struct polygon {
	uint32_t first, count;
	double min_lon, min_lat, max_lon, max_lat;
};

struct grens_gtfs_clip {
	double *points; /* lon, lat pairs */
	uint32_t point_count;
	struct ring *rings;
	uint32_t ring_count;
	struct polygon *polygons;
	uint32_t polygon_count;
	bool box; /* one box: inside on its edges too, no ring test */
};

static int oom(grens_error *err)
{
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

void grens_gtfs_clip_free(grens_gtfs_clip *clip)
{
	if (!clip)
		return;
	free(clip->points);
	free(clip->rings);
	free(clip->polygons);
	free(clip);
}

int grens_gtfs_clip_bbox(grens_gtfs_clip **out, double min_lon, double min_lat, double max_lon,
			 double max_lat, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_bbox: out is NULL");
	*out = NULL;
	if (!(min_lon >= -180 && max_lon <= 180 && min_lat >= -90 && max_lat <= 90 &&
	      min_lon < max_lon && min_lat < max_lat))
		return grens_error_set(err, GRENS_EARG,
				       "a box needs min_lon < max_lon in -180..180 and min_lat < "
				       "max_lat in -90..90");
	grens_gtfs_clip *c = calloc(1, sizeof(*c));
	if (!c)
		return oom(err);
	c->points = malloc(10 * sizeof(double));
	c->rings = malloc(sizeof(struct ring));
	c->polygons = malloc(sizeof(struct polygon));
	if (!c->points || !c->rings || !c->polygons) {
		grens_gtfs_clip_free(c);
		return oom(err);
	}
	const double p[10] = { min_lon, min_lat, max_lon, min_lat, max_lon,
			       max_lat, min_lon, max_lat, min_lon, min_lat };
	memcpy(c->points, p, sizeof(p));
	c->point_count = 5;
	c->rings[0] = (struct ring){ 0, 5 };
	c->ring_count = 1;
	c->polygons[0] = (struct polygon){ 0, 1, min_lon, min_lat, max_lon, max_lat };
	c->polygon_count = 1;
	c->box = true;
	*out = c;
	return 0;
}

/* ---- GeoJSON ------------------------------------------------------------------ */

static int bad(grens_error *err, const char *name, const char *why)
{
	return grens_error_set(err, GRENS_EFORMAT, "%s: %s", name, why);
}

/* Append one polygon (an array of rings of [lon, lat] positions). */
static int add_polygon(grens_gtfs_clip *c, const json_t *rings, const char *name,
		       grens_error *err)
{
	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return bad(err, name, "a polygon needs at least one ring");
	size_t nr = json_array_size(rings), np = 0;
	for (size_t r = 0; r < nr; r++) {
		const json_t *ring = json_array_get(rings, r);
		if (!json_is_array(ring) || json_array_size(ring) < 4)
			return bad(err, name, "a ring needs at least four positions");
		np += json_array_size(ring);
	}
	if (np > GRENS_LIMIT_CLIP_POINTS - c->point_count)
		return grens_error_set(err, GRENS_ELIMIT, "%s: more than %u points", name,
				       GRENS_LIMIT_CLIP_POINTS);
	double *pts = realloc(c->points, (c->point_count + np) * 2 * sizeof(double));
	if (!pts)
		return oom(err);
	c->points = pts;
	struct ring *rs = realloc(c->rings, (c->ring_count + nr) * sizeof(struct ring));
	if (!rs)
		return oom(err);
	c->rings = rs;
	struct polygon *ps = realloc(c->polygons, (c->polygon_count + 1) * sizeof(struct polygon));
	if (!ps)
		return oom(err);
	c->polygons = ps;
	struct polygon *poly = &c->polygons[c->polygon_count];
	*poly = (struct polygon){ c->ring_count, (uint32_t)nr, INFINITY, INFINITY, -INFINITY,
				  -INFINITY };
	for (size_t r = 0; r < nr; r++) {
		const json_t *ring = json_array_get(rings, r);
		c->rings[c->ring_count + r] =
		    (struct ring){ c->point_count, (uint32_t)json_array_size(ring) };
		size_t k;
		const json_t *pos;
		json_array_foreach(ring, k, pos) {
			const json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);
			if (!json_is_number(x) || !json_is_number(y))
				return bad(err, name, "a position is not [lon, lat]");
			double lon = json_number_value(x), lat = json_number_value(y);
			if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
				return bad(err, name, "a position is outside -180..180, -90..90");
			c->points[2 * c->point_count] = lon;
			c->points[2 * c->point_count + 1] = lat;
			c->point_count++;
			if (r == 0) {
				poly->min_lon = fmin(poly->min_lon, lon);
				poly->max_lon = fmax(poly->max_lon, lon);
				poly->min_lat = fmin(poly->min_lat, lat);
				poly->max_lat = fmax(poly->max_lat, lat);
			}
		}
	}
	c->ring_count += (uint32_t)nr;
	c->polygon_count++;
	return 0;
}

/* A geometry, a Feature or a FeatureCollection. */
static int add_object(grens_gtfs_clip *c, const json_t *o, const char *name, int depth,
		      grens_error *err)
{
	const char *type = json_string_value(json_object_get(o, "type"));
	if (!type || depth > 3)
		return bad(err, name, "not a GeoJSON Polygon, MultiPolygon, Feature or "
				      "FeatureCollection");
	const json_t *coords = json_object_get(o, "coordinates");
	if (strcmp(type, "Polygon") == 0)
		return add_polygon(c, coords, name, err);
	if (strcmp(type, "MultiPolygon") == 0) {
		if (!json_is_array(coords))
			return bad(err, name, "a MultiPolygon needs an array of polygons");
		size_t i;
		const json_t *p;
		json_array_foreach(coords, i, p) {
			int rc = add_polygon(c, p, name, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (strcmp(type, "Feature") == 0)
		return add_object(c, json_object_get(o, "geometry"), name, depth + 1, err);
	if (strcmp(type, "FeatureCollection") == 0) {
		size_t i;
		const json_t *f;
		json_array_foreach(json_object_get(o, "features"), i, f) {
			int rc = add_object(c, f, name, depth + 1, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	return bad(err, name, "only Polygon and MultiPolygon geometries clip a feed");
}

int grens_gtfs_clip_geojson(grens_gtfs_clip **out, const char *text, size_t len,
			    const char *name, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_geojson: out is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_geojson: text is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_geojson: name is NULL");
	*out = NULL;
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je);
	if (!root)
		return grens_error_set(err, GRENS_EFORMAT, "%s:%d: not JSON: %s", name, je.line,
				       je.text);
	grens_gtfs_clip *c = calloc(1, sizeof(*c));
	int rc = c ? add_object(c, root, name, 0, err) : oom(err);
	json_decref(root);
	if (!rc && c->polygon_count == 0)
		rc = bad(err, name, "no polygon");
	if (rc) {
		grens_gtfs_clip_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

/* Even-odd rule over one ring. */
static bool in_ring(const grens_gtfs_clip *c, const struct ring *r, double lon, double lat)
{
	bool in = false;
	const double *p = c->points + 2 * (size_t)r->first;
	for (uint32_t i = 0, j = r->count - 1; i < r->count; j = i++) {
		double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
		if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

bool grens_gtfs_clip_contains(const grens_gtfs_clip *c, double lat, double lon)
{
	if (!c)
		return false; /* NULL not allowed: docs/api.md */
	if (isnan(lat) || isnan(lon))
		return false;
	for (uint32_t k = 0; k < c->polygon_count; k++) {
		const struct polygon *p = &c->polygons[k];
		if (lon < p->min_lon || lon > p->max_lon || lat < p->min_lat || lat > p->max_lat)
			continue;
		if (c->box)
			return true;
		bool in = in_ring(c, &c->rings[p->first], lon, lat);
		for (uint32_t h = 1; in && h < p->count; h++)
			in = !in_ring(c, &c->rings[p->first + h], lon, lat);
		if (in)
			return true;
	}
	return false;
}

/* ---- applying it -------------------------------------------------------------- */

/* Which stops stay: inside, the stations of stops inside, and the nodes
 * without coordinates of stations that stay. */
static void keep_stops(const grens_gtfs_feed *f, const grens_gtfs_clip *c, uint8_t *keep)
{
	for (uint32_t s = 0; s < f->stop_count; s++)
		keep[s] = grens_gtfs_clip_contains(c, f->stops[s].lat, f->stops[s].lon);
	for (uint32_t s = 0; s < f->stop_count; s++)
		if (keep[s] && f->stops[s].parent != GRENS_NONE)
			keep[f->stops[s].parent] = 1;
	for (uint32_t s = 0; s < f->stop_count; s++)
		if (!keep[s] && isnan(f->stops[s].lat) && f->stops[s].parent != GRENS_NONE &&
		    keep[f->stops[s].parent])
			keep[s] = 1;
}

/* The runs of at least two consecutive kept stops of trip t: the first
 * row and the row count of each (up to cap of them) into first and count;
 * returns how many there are. */
static uint32_t runs(const grens_gtfs_feed *f, const grens_gtfs_trip *t, const uint8_t *keep,
		     uint32_t *first, uint32_t *count, uint32_t cap)
{
	uint32_t n = 0, start = 0, len = 0;
	for (uint32_t i = 0; i <= t->stop_time_count; i++) {
		bool in = i < t->stop_time_count && keep[f->stop_times[t->first_stop_time + i].stop];
		if (in) {
			if (!len)
				start = i;
			len++;
			continue;
		}
		if (len >= 2) {
			if (n < cap) {
				first[n] = t->first_stop_time + start;
				count[n] = len;
			}
			n++;
		}
		len = 0;
	}
	return n;
}

int grens_gtfs_clip_apply(grens_gtfs_feed *f, const grens_gtfs_clip *clip,
			  grens_gtfs_clip_counts *counts, grens_diag *diag, grens_error *err)
{
	if (!f)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_apply: f is NULL");
	if (!clip)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_clip_apply: clip is NULL");
	grens_gtfs_clip_counts k = { f->stop_count, 0, f->route_count, 0, f->trip_count, 0, 0, 0, 0 };
	for (uint32_t t = 0; t < f->trip_count; t++)
		k.stop_times_before += f->trips[t].stop_time_count;
	uint8_t *keep = calloc((size_t)f->stop_count + 1, 1);
	uint32_t *stop_map = malloc(((size_t)f->stop_count + 1) * sizeof(uint32_t));
	uint32_t *trip_map = malloc(((size_t)f->trip_count + 1) * sizeof(uint32_t));
	uint32_t *route_map = malloc(((size_t)f->route_count + 1) * sizeof(uint32_t));
	uint32_t *first = NULL, *count = NULL, cap = 0;
	grens_gtfs_trip *trips = NULL;
	uint32_t trip_n = 0, trip_cap = 0;
	int rc = 0;
	char file[4200];
	snprintf(file, sizeof(file), "%s/trips.txt", f->path ? f->path : f->name);
	if (!keep || !stop_map || !trip_map || !route_map) {
		rc = oom(err);
		goto done;
	}
	keep_stops(f, clip, keep);
	/* trips: one per run inside */
	for (uint32_t t = 0; t < f->trip_count; t++) {
		const grens_gtfs_trip *tr = &f->trips[t];
		uint32_t n = runs(f, tr, keep, first, count, cap);
		if (n > cap) {
			uint32_t nc = n > 2 * cap ? n : 2 * cap;
			uint32_t *a = realloc(first, nc * sizeof(uint32_t));
			if (a)
				first = a;
			uint32_t *b = a ? realloc(count, nc * sizeof(uint32_t)) : NULL;
			if (!a || !b) {
				rc = oom(err);
				goto done;
			}
			count = b;
			cap = nc;
			runs(f, tr, keep, first, count, cap);
		}
		trip_map[t] = n ? trip_n : GRENS_NONE;
		if (n == 0)
			continue;
		if (trip_n + n > trip_cap) {
			uint32_t nc = trip_cap ? 2 * trip_cap : 1024;
			while (nc < trip_n + n)
				nc *= 2;
			grens_gtfs_trip *v = realloc(trips, (size_t)nc * sizeof(*v));
			if (!v) {
				rc = oom(err);
				goto done;
			}
			trips = v;
			trip_cap = nc;
		}
		for (uint32_t p = 0; p < n; p++) {
			grens_gtfs_trip nt = *tr;
			nt.first_stop_time = first[p];
			nt.stop_time_count = count[p];
			if (n > 1) {
				/* "ID#1", "ID#2": each part a trip of its own */
				char id[1024];
				int len = snprintf(id, sizeof(id), "%s#%u", tr->id, p + 1);
				nt.id = grens_arena_strndup(f->arena, id,
							    len > 0 && (size_t)len < sizeof(id)
								? (size_t)len
								: sizeof(id) - 1);
				if (!nt.id) {
					rc = oom(err);
					goto done;
				}
			}
			k.stop_times += count[p];
			trips[trip_n++] = nt;
		}
		if (n > 1) {
			k.trips_split++;
			grens_diag_add(diag, "clip_trip_split", GRENS_SEVERITY_INFO, file, 0,
				       "trip_id",
				       "trip %s leaves the region and comes back: kept as %u trips "
				       "%s#1 .. %s#%u",
				       tr->id, n, tr->id, tr->id, n);
		}
	}
	k.trips = trip_n;
	/* routes with a trip left */
	for (uint32_t r = 0; r < f->route_count; r++)
		route_map[r] = GRENS_NONE;
	for (uint32_t t = 0; t < trip_n; t++)
		route_map[trips[t].route] = 0;
	for (uint32_t r = 0; r < f->route_count; r++)
		if (route_map[r] == 0) {
			route_map[r] = k.routes;
			f->routes[k.routes++] = f->routes[r];
		}
	for (uint32_t t = 0; t < trip_n; t++)
		trips[t].route = route_map[trips[t].route];
	/* stops */
	for (uint32_t s = 0; s < f->stop_count; s++) {
		stop_map[s] = keep[s] ? k.stops : GRENS_NONE;
		if (keep[s])
			f->stops[k.stops++] = f->stops[s];
	}
	for (uint32_t s = 0; s < k.stops; s++)
		if (f->stops[s].parent != GRENS_NONE)
			f->stops[s].parent = stop_map[f->stops[s].parent];
	/* rows of the trips kept name kept stops; the other rows are unused */
	for (uint32_t i = 0; i < f->stop_time_count; i++) {
		uint32_t s = f->stop_times[i].stop;
		f->stop_times[i].stop = s < f->stop_count ? stop_map[s] : GRENS_NONE;
	}
	/* transfers: only those whose stops, routes and trips are all kept */
	uint32_t nt = 0;
	for (uint32_t i = 0; i < f->transfer_count; i++) {
		grens_gtfs_transfer x = f->transfers[i];
#define MAP(field, map)                                                                            \
	if (x.field != GRENS_NONE && (x.field = map[x.field]) == GRENS_NONE)                       \
		continue;
		MAP(from_stop, stop_map)
		MAP(to_stop, stop_map)
		MAP(from_route, route_map)
		MAP(to_route, route_map)
		MAP(from_trip, trip_map)
		MAP(to_trip, trip_map)
#undef MAP
		f->transfers[nt++] = x;
	}
	f->transfer_count = nt;
	for (uint32_t i = 0; i < f->frequency_count; i++)
		if (f->frequencies[i].trip != GRENS_NONE)
			f->frequencies[i].trip = trip_map[f->frequencies[i].trip];
	free(f->trips);
	f->trips = trips;
	f->trip_count = trip_n;
	trips = NULL;
	f->stop_count = k.stops;
	f->route_count = k.routes;
	rc = grens_gtfs_index_build(f, err);
	if (!rc && counts)
		*counts = k;
done:
	free(trips);
	free(first);
	free(count);
	free(keep);
	free(stop_map);
	free(trip_map);
	free(route_map);
	return rc;
}
