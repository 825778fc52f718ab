/* Lookups into a built timetable: ids scoped by feed, and stop names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "net_derive.h"
#include "net_internal.h"

/* The slot a key starts probing at: the feed index and the key's bytes. */
static uint32_t key_hash(uint32_t feed, const char *key)
{
	return (uint32_t)grens_xxh64(key, strlen(key), feed);
}

/* Slots for n keys: a power of two at least 2n, so probes stay short. */
static int slot_mask(size_t n, uint32_t *mask)
{
	if (n > UINT32_MAX / 4)
		return GRENS_ELIMIT;
	uint32_t slots = 2;
	while (slots < 2 * n)
		slots *= 2;
	*mask = slots - 1;
	return 0;
}

static uint32_t *slots_new(uint32_t mask)
{
	uint32_t *v = malloc(((size_t)mask + 1) * sizeof(uint32_t));
	if (v)
		memset(v, 0xff, ((size_t)mask + 1) * sizeof(uint32_t)); /* GRENS_NONE */
	return v;
}

/* The key of a slot value in the stop (kind 0) or trip (kind 1) table. */
static void slot_key(const grens_timetable *tt, int kind, uint32_t v, uint32_t *feed,
		     const char **id)
{
	if (kind == 0) {
		*feed = tt->stop_feed[v];
		*id = grens_net_str(tt, tt->stop_id[v]);
	} else if (v & NET_INDEX_ALT) {
		*feed = tt->trip_alt_feed[v & ~NET_INDEX_ALT];
		*id = grens_net_str(tt, tt->trip_alt_id[v & ~NET_INDEX_ALT]);
	} else {
		*feed = tt->trip_feed[v];
		*id = grens_net_str(tt, tt->trip_id[v]);
	}
}

/* The slot holding (feed, id), or the empty slot where it would go. */
static uint32_t id_slot(const grens_timetable *tt, int kind, const uint32_t *slots, uint32_t mask,
			uint32_t feed, const char *id)
{
	uint32_t i = key_hash(feed, id) & mask;
	for (;;) {
		uint32_t v = slots[i];
		if (v == GRENS_NONE)
			return i;
		uint32_t f;
		const char *k;
		slot_key(tt, kind, v, &f, &k);
		if (f == feed && strcmp(k, id) == 0)
			return i;
		i = (i + 1) & mask;
	}
}

/* Add value under its own key unless the key is there already (the first
 * wins: for trips, the first run of a frequency trip). */
static void id_add(const grens_timetable *tt, int kind, uint32_t *slots, uint32_t mask,
		   uint32_t value)
{
	uint32_t f;
	const char *k;
	slot_key(tt, kind, value, &f, &k);
	uint32_t i = id_slot(tt, kind, slots, mask, f, k);
	if (slots[i] == GRENS_NONE)
		slots[i] = value;
}

static uint32_t id_find(const grens_timetable *tt, int kind, uint32_t feed, const char *id)
{
	const struct grens_net_index *ix = tt->index;
	const uint32_t *slots = kind == 0 ? ix->stop_slots : ix->trip_slots;
	uint32_t mask = kind == 0 ? ix->stop_mask : ix->trip_mask;
	uint32_t v = slots[id_slot(tt, kind, slots, mask, feed, id)];
	return v == GRENS_NONE ? GRENS_NONE : v & ~(kind == 0 ? 0u : NET_INDEX_ALT);
}

/* The slot of a folded name in the name table (holding its first stop), or
 * the empty slot where it would go. */
static uint32_t name_slot(const struct grens_net_index *ix, const char *folded)
{
	uint32_t i = key_hash(0, folded) & ix->name_mask;
	while (ix->name_slots[i] != GRENS_NONE &&
	       strcmp(net_index_folded(ix, ix->name_slots[i]), folded) != 0)
		i = (i + 1) & ix->name_mask;
	return i;
}

int net_index_build(grens_timetable *tt, grens_error *err)
{
	int rc = 0;
	struct grens_net_index *ix = calloc(1, sizeof(*ix));
	if (!ix)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	tt->index = ix;
	ix->owned = true;
	ix->stop_count = tt->stop_count;
	ix->trip_count = tt->trip_count;
	uint32_t alt_count = 0;
	for (uint32_t t = 0; tt->trip_alt_feed && t < tt->trip_count; t++)
		alt_count += tt->trip_alt_feed[t] != GRENS_NONE;
	if (tt->trip_count >= NET_INDEX_ALT) {
		rc = GRENS_ELIMIT;
		goto fail;
	}
	if ((rc = slot_mask(tt->stop_count, &ix->stop_mask)) ||
	    (rc = slot_mask((size_t)tt->trip_count + alt_count, &ix->trip_mask)) ||
	    (rc = slot_mask(tt->stop_count, &ix->name_mask)))
		goto fail;
	ix->stop_slots = slots_new(ix->stop_mask);
	ix->trip_slots = slots_new(ix->trip_mask);
	ix->name_slots = slots_new(ix->name_mask);
	ix->name_next = malloc((tt->stop_count ? tt->stop_count : 1) * sizeof(uint32_t));
	ix->folded_off = malloc((tt->stop_count ? tt->stop_count : 1) * sizeof(uint64_t));
	if (!ix->stop_slots || !ix->trip_slots || !ix->name_slots || !ix->name_next ||
	    !ix->folded_off) {
		rc = GRENS_ENOMEM;
		goto fail;
	}
	size_t cap = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		id_add(tt, 0, ix->stop_slots, ix->stop_mask, s);
		const char *name = grens_net_str(tt, tt->stop_name[s]);
		size_t need = grens_net_name_key(name, NULL, 0) + 1;
		if ((rc = grens_array_reserve((void **)&ix->folded, &cap, 1, ix->folded_size + need)))
			goto fail;
		grens_net_name_key(name, ix->folded + ix->folded_size, need);
		ix->folded_off[s] = ix->folded_size;
		ix->folded_size += need;
		ix->name_next[s] = GRENS_NONE;
	}
	/* Name lists in descending stop order so that each list ends up ascending. */
	for (uint32_t s = tt->stop_count; s-- > 0;) {
		uint32_t i = name_slot(ix, net_index_folded(ix, s));
		ix->name_next[s] = ix->name_slots[i];
		ix->name_slots[i] = s;
	}
	for (uint32_t t = 0; t < tt->trip_count; t++)
		id_add(tt, 1, ix->trip_slots, ix->trip_mask, t);
	/* A trip merged from another feed is found by that feed's id too,
	 * unless the id still names a run of its own there. */
	for (uint32_t t = 0; tt->trip_alt_feed && t < tt->trip_count; t++)
		if (tt->trip_alt_feed[t] != GRENS_NONE)
			id_add(tt, 1, ix->trip_slots, ix->trip_mask, t | NET_INDEX_ALT);
	return 0;
fail:
	return grens_error_set(err, rc, "building the timetable index failed: %s",
			       grens_strerror(rc));
}

void net_index_free(struct grens_net_index *ix)
{
	if (!ix)
		return;
	if (ix->owned) {
		free(ix->stop_slots);
		free(ix->trip_slots);
		free(ix->name_slots);
		free(ix->name_next);
		free(ix->folded_off);
		free(ix->folded);
	}
	if (ix->map)
		munmap(ix->map, ix->map_size);
	free(ix);
}

static uint32_t feed_by_name(const grens_timetable *tt, const char *name, size_t len)
{
	for (uint32_t f = 0; f < tt->feed_count; f++) {
		const char *fn = grens_net_str(tt, tt->feed_name[f]);
		if (strlen(fn) == len && memcmp(fn, name, len) == 0)
			return f;
	}
	return GRENS_NONE;
}

uint32_t grens_net_stop_by_id(const grens_timetable *tt, const char *feed, const char *stop_id)
{
	if (!tt || !feed || !stop_id)
		return GRENS_NONE; /* NULL not allowed: docs/api.md */
	uint32_t f = feed_by_name(tt, feed, strlen(feed));
	return f == GRENS_NONE ? GRENS_NONE : id_find(tt, 0, f, stop_id);
}

uint32_t grens_net_trip_by_id(const grens_timetable *tt, const char *feed, const char *trip_id)
{
	if (!tt || !feed || !trip_id)
		return GRENS_NONE; /* NULL not allowed: docs/api.md */
	uint32_t f = feed_by_name(tt, feed, strlen(feed));
	return f == GRENS_NONE ? GRENS_NONE : id_find(tt, 1, f, trip_id);
}

/* The station a stop belongs to: its parent, or itself. */
static uint32_t station_of(const grens_timetable *tt, uint32_t s)
{
	return tt->stop_parent[s] != GRENS_NONE ? tt->stop_parent[s] : s;
}

/* Append v to list[0..*n) unless it is there already or the list is full. */
static void push_unique(uint32_t *list, uint32_t cap, uint32_t *n, uint32_t v)
{
	for (uint32_t i = 0; i < *n; i++)
		if (list[i] == v)
			return;
	if (*n < cap)
		list[(*n)++] = v;
}

/* Append a station and its platforms (or a single stop) to out, without duplicates. */
static void add_place(const grens_timetable *tt, uint32_t s, uint32_t *out, uint32_t cap,
		      uint32_t *n)
{
	uint32_t st = station_of(tt, s);
	push_unique(out, cap, n, st);
	/* Platforms of the station. A linear scan: this runs once per query. */
	for (uint32_t c = 0; c < tt->stop_count; c++)
		if (tt->stop_parent[c] == st)
			push_unique(out, cap, n, c);
	/* Stations matched to it in other feeds, with their platforms. */
	if (!tt->stop_place)
		return;
	for (uint32_t c = 0; c < tt->stop_count; c++)
		if (tt->stop_place[c] == tt->stop_place[st])
			push_unique(out, cap, n, c);
}

uint32_t net_name_first(const grens_timetable *tt, const char *key)
{
	return tt->index->name_slots[name_slot(tt->index, key)];
}

uint32_t net_name_next(const grens_timetable *tt, uint32_t stop)
{
	return tt->index->name_next[stop];
}

const char *net_name_key_of(const grens_timetable *tt, uint32_t stop)
{
	return net_index_folded(tt->index, stop);
}

/* Candidate stations for a folded name: exact matches first; when there are
 * none, stations whose folded name starts with the query. */
static uint32_t collect_by_name(const grens_timetable *tt, const char *folded, uint32_t *stations,
				uint32_t cap)
{
	const struct grens_net_index *ix = tt->index;
	uint32_t n = 0;
	uint32_t first = ix->name_slots[name_slot(ix, folded)];
	if (first != GRENS_NONE) {
		for (uint32_t s = first; s != GRENS_NONE; s = ix->name_next[s])
			push_unique(stations, cap, &n, station_of(tt, s));
		return n;
	}
	size_t len = strlen(folded);
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		if (strncmp(net_index_folded(ix, s), folded, len) != 0 ||
		    (net_index_folded(ix, s)[len] != '\0' && net_index_folded(ix, s)[len] != ' '))
			continue;
		push_unique(stations, cap, &n, station_of(tt, s));
	}
	return n;
}

/* Several candidate stations are one place when they carry the same name and
 * lie within 1 km of each other (the same station in two feeds). */
static int same_place(const grens_timetable *tt, const uint32_t *st, uint32_t n)
{
	/* Stations matched across feeds are one place whatever their names. */
	int matched = tt->stop_place != NULL;
	for (uint32_t i = 1; i < n && matched; i++)
		matched = tt->stop_place[st[i]] == tt->stop_place[st[0]];
	if (matched)
		return 1;
	for (uint32_t i = 1; i < n; i++) {
		if (strcmp(net_index_folded(tt->index, st[i]), net_index_folded(tt->index, st[0])) != 0)
			return 0;
		double d = grens_geo_distance_m(tt->stop_lat[st[0]], tt->stop_lon[st[0]],
						tt->stop_lat[st[i]], tt->stop_lon[st[i]]);
		if (!(d <= 1000.0))
			return 0;
	}
	return 1;
}

/* "lat,lon" in decimal degrees, nothing else: 1 and the two values, or 0. */
static int parse_coordinates(const char *q, double *lat, double *lon)
{
	const char *comma = strchr(q, ',');
	if (!comma || strchr(comma + 1, ','))
		return 0;
	const char *lon_s = comma + 1;
	while (*lon_s == ' ')
		lon_s++;
	if (grens_parse_double(q, (size_t)(comma - q), lat) != 0 ||
	    grens_parse_double(lon_s, strlen(lon_s), lon) != 0)
		return 0;
	return *lat >= -90.0 && *lat <= 90.0 && *lon >= -180.0 && *lon <= 180.0;
}

/* The nearest stations within GRENS_NET_NEAR_RADIUS_M of (lat, lon), one per
 * place (stations matched across feeds count once), with their platforms. */
static int find_near(const grens_timetable *tt, const char *query, double lat, double lon,
		     uint32_t *out, uint32_t cap, uint32_t *n, grens_error *err)
{
	uint32_t best[GRENS_NET_NEAR_STOPS];
	double best_d[GRENS_NET_NEAR_STOPS];
	uint32_t nb = 0, closest = GRENS_NONE;
	double closest_d = INFINITY;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		double d = grens_geo_distance_m(lat, lon, tt->stop_lat[s], tt->stop_lon[s]);
		if (!(d < INFINITY))
			continue; /* no coordinates */
		uint32_t st = station_of(tt, s);
		if (d < closest_d)
			closest_d = d, closest = st;
		if (!(d <= GRENS_NET_NEAR_RADIUS_M))
			continue;
		uint32_t place = tt->stop_place ? tt->stop_place[st] : st;
		uint32_t i = 0;
		while (i < nb && (tt->stop_place ? tt->stop_place[best[i]] : best[i]) != place)
			i++;
		if (i < nb && best_d[i] <= d)
			continue;
		if (i == nb) {
			if (nb < GRENS_NET_NEAR_STOPS)
				nb++;
			else if (best_d[nb - 1] <= d)
				continue;
			i = nb - 1;
		}
		/* insert at its rank, dropping the entry at i */
		while (i > 0 && best_d[i - 1] > d) {
			best[i] = best[i - 1], best_d[i] = best_d[i - 1];
			i--;
		}
		best[i] = st, best_d[i] = d;
	}
	if (nb == 0) {
		if (closest == GRENS_NONE)
			return grens_error_set(err, GRENS_ENOTFOUND,
					       "'%s' matches no stop: no stop has coordinates",
					       query);
		return grens_error_set(err, GRENS_ENOTFOUND,
				       "'%s' matches no stop: none within %.0f m; the nearest is "
				       "\"%s\" (%s:%s), %.0f m away",
				       query, GRENS_NET_NEAR_RADIUS_M,
				       grens_net_str(tt, tt->stop_name[closest]),
				       grens_net_str(tt, tt->feed_name[tt->stop_feed[closest]]),
				       grens_net_str(tt, tt->stop_id[closest]), closest_d);
	}
	for (uint32_t i = 0; i < nb; i++)
		add_place(tt, best[i], out, cap, n);
	return 0;
}

/* Levenshtein distance of a and b (each cut at 127 bytes). */
static uint32_t edit_distance(const char *a, const char *b)
{
	uint32_t row[128];
	size_t la = strlen(a), lb = strlen(b);
	la = la > 127 ? 127 : la;
	lb = lb > 127 ? 127 : lb;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (uint32_t)j;
	for (size_t i = 1; i <= la; i++) {
		uint32_t diag = row[0];
		row[0] = (uint32_t)i;
		for (size_t j = 1; j <= lb; j++) {
			uint32_t up = row[j];
			uint32_t v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
		}
	}
	return row[lb];
}

/* The three station names closest to key (edit distance on the compared
 * spelling, ties by stop order), as "\"A\", \"B\", \"C\"" into buf ("" when
 * the timetable has no stops). */
static void nearest_names(const grens_timetable *tt, const char *key, char *buf, size_t bufsz)
{
	const struct grens_net_index *ix = tt->index;
	uint32_t best[3], best_d[3], nb = 0;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		if (station_of(tt, s) != s)
			continue; /* platforms carry their station's name or a longer one */
		uint32_t i = 0;
		while (i < nb && strcmp(net_index_folded(ix, best[i]), net_index_folded(ix, s)) != 0)
			i++;
		if (i < nb)
			continue; /* that name is listed already */
		uint32_t d = edit_distance(key, net_index_folded(ix, s));
		if (nb == 3 && best_d[2] <= d)
			continue;
		i = nb < 3 ? nb++ : 2;
		while (i > 0 && best_d[i - 1] > d) {
			best[i] = best[i - 1], best_d[i] = best_d[i - 1];
			i--;
		}
		best[i] = s, best_d[i] = d;
	}
	size_t used = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < nb && used < bufsz; i++) {
		int w = snprintf(buf + used, bufsz - used, "%s\"%s\"", i ? ", " : "",
				 grens_net_str(tt, tt->stop_name[best[i]]));
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

int grens_net_find_stops(const grens_timetable *tt, const char *query, uint32_t *out, uint32_t cap,
			 uint32_t *n, grens_error *err)
{
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_find_stops: tt is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_find_stops: out is NULL");
	if (!n)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_find_stops: n is NULL");
	*n = 0;
	if (!query || !*query)
		return grens_error_set(err, GRENS_EARG, "empty stop");
	/* feed:stop_id */
	const char *colon = strchr(query, ':');
	if (colon) {
		uint32_t f = feed_by_name(tt, query, (size_t)(colon - query));
		if (f != GRENS_NONE) {
			uint32_t s = id_find(tt, 0, f, colon + 1);
			if (s == GRENS_NONE)
				return grens_error_set(err, GRENS_ENOTFOUND,
						       "'%s' matches no stop: feed '%.*s' has no "
						       "stop_id '%s'",
						       query, (int)(colon - query), query, colon + 1);
			add_place(tt, s, out, cap, n);
			return 0;
		}
	}
	/* A bare stop_id in any feed. */
	uint32_t hits[8], nh = 0;
	for (uint32_t f = 0; f < tt->feed_count && nh < 8; f++) {
		uint32_t s = id_find(tt, 0, f, query);
		if (s != GRENS_NONE)
			hits[nh++] = s;
	}
	if (nh == 1) {
		add_place(tt, hits[0], out, cap, n);
		return 0;
	}
	if (nh > 1) {
		char list[400] = "";
		size_t used = 0;
		for (uint32_t i = 0; i < nh && used < sizeof(list); i++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s:%s",
						 i ? ", " : "",
						 grens_net_str(tt, tt->feed_name[tt->stop_feed[hits[i]]]),
						 query);
		return grens_error_set(err, GRENS_EARG,
				       "stop id '%s' exists in several feeds; say which: %s", query,
				       list);
	}
	/* Coordinates. */
	double lat, lon;
	if (parse_coordinates(query, &lat, &lon))
		return find_near(tt, query, lat, lon, out, cap, n, err);
	/* A name. */
	char folded[512];
	size_t need = grens_net_name_key(query, folded, sizeof(folded));
	if (need >= sizeof(folded) || need == 0)
		return grens_error_set(err, GRENS_ENOTFOUND, "'%s' matches no stop", query);
	uint32_t stations[64];
	uint32_t ns = collect_by_name(tt, folded, stations, 64);
	if (ns == 0) {
		char near[400];
		nearest_names(tt, folded, near, sizeof(near));
		return grens_error_set(err, GRENS_ENOTFOUND, "'%s' matches no stop%s%s",
				       query, near[0] ? "; nearest names: " : "", near);
	}
	if (ns > 1 && !same_place(tt, stations, ns)) {
		char list[450] = "";
		size_t used = 0;
		for (uint32_t i = 0; i < ns && used < sizeof(list); i++)
			used += (size_t)snprintf(
				list + used, sizeof(list) - used, "%s\"%s\" (%s:%s)", i ? ", " : "",
				grens_net_str(tt, tt->stop_name[stations[i]]),
				grens_net_str(tt, tt->feed_name[tt->stop_feed[stations[i]]]),
				grens_net_str(tt, tt->stop_id[stations[i]]));
		return grens_error_set(err, GRENS_EARG, "'%s' matches %u stops: %s", query, ns,
				       list);
	}
	for (uint32_t i = 0; i < ns; i++)
		add_place(tt, stations[i], out, cap, n);
	return 0;
}
