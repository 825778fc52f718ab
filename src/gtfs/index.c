/* Id lookups (an open-addressing hash table per id kind), service
 * calendars, and freeing. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* The table grows when more than 7/10 of its slots are used. */
#define ID_MAP_MIN_SLOTS 64u
#define ID_MAP_MAX_SLOTS (1ull << 33)
#define ID_MAP_HUGE_BYTES (4u << 20)

static inline uint32_t id_hash(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	/* FNV's low bits are weak for short similar keys ("S1", "S2"): mix
	 * (MurmurHash3's finalizer) before the table masks them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* Slot of id (hash h): the one holding it, or the empty one where it
 * would go. The table always has an empty slot. */
static inline struct id_entry *id_slot(const id_map *m, const char *id, size_t len, uint32_t h)
{
	uint64_t i = h & m->mask;
	for (;;) {
		struct id_entry *e = &m->slots[i];
		if (!e->id || (e->hash == h && id_equal(e->id, id, len)))
			return e;
		i = (i + 1) & m->mask;
	}
}

/* Rehash into a table of size slots (a power of two above the count). */
static int id_map_resize(id_map *m, uint64_t size)
{
	if (size > ID_MAP_MAX_SLOTS)
		return GRENS_ENOMEM;
	struct id_entry *slots = calloc((size_t)size, sizeof(*slots));
	if (!slots)
		return GRENS_ENOMEM;
	size_t bytes = (size_t)size * sizeof(*slots);
	if (bytes >= ID_MAP_HUGE_BYTES) {
		/* Lookups land anywhere in the table: huge pages save most of
		 * their TLB misses. Only advice; failure is harmless. */
		uintptr_t lo = (uintptr_t)slots & ~(uintptr_t)0xFFF;
		uintptr_t hi = ((uintptr_t)slots + bytes + 0xFFF) & ~(uintptr_t)0xFFF;
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	uint64_t mask = size - 1;
	for (uint64_t k = 0; m->slots && k <= m->mask; k++) {
		const struct id_entry *e = &m->slots[k];
		if (!e->id)
			continue;
		uint64_t i = e->hash & mask;
		while (slots[i].id)
			i = (i + 1) & mask;
		slots[i] = *e;
	}
	free(m->slots);
	m->slots = slots;
	m->mask = mask;
	return 0;
}

/* Slots for count ids at most 7/10 full. */
static uint64_t id_map_slots_for(uint64_t count)
{
	uint64_t size = ID_MAP_MIN_SLOTS;
	while (size * 7 < count * 10 && size <= ID_MAP_MAX_SLOTS)
		size *= 2;
	return size;
}

int id_map_reserve(id_map *m, uint64_t count)
{
	uint64_t size = id_map_slots_for(count);
	if (m->slots && size <= m->mask + 1)
		return 0;
	return id_map_resize(m, size);
}

int id_map_add(id_map *m, const char *id, size_t len, uint32_t row, uint32_t *existing)
{
	if (!m->slots || (m->count + 1) * 10 > (m->mask + 1) * 7) {
		if (id_map_resize(m, m->slots ? (m->mask + 1) * 2 : ID_MAP_MIN_SLOTS))
			return GRENS_ENOMEM;
	}
	uint32_t h = id_hash(id, len);
	struct id_entry *e = id_slot(m, id, len, h);
	if (e->id) {
		if (existing)
			*existing = e->row;
		return 1;
	}
	e->id = id;
	e->hash = h;
	e->row = row;
	m->count++;
	return 0;
}

void id_map_prefetch(const id_map *m, const char *id, size_t len)
{
	if (m->slots)
		__builtin_prefetch(&m->slots[id_hash(id, len) & m->mask]);
}

uint32_t id_map_find(const id_map *m, const char *id, size_t len)
{
	if (!m->count)
		return GRENS_NONE;
	const struct id_entry *e = id_slot(m, id, len, id_hash(id, len));
	return e->id ? e->row : GRENS_NONE;
}

void id_map_clear(id_map *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

uint32_t grens_gtfs_find_stop(const grens_gtfs_feed *feed, const char *id)
{
	if (!feed || !feed->index || !id)
		return GRENS_NONE;
	return id_map_find(&feed->index->stops, id, strlen(id));
}

uint32_t grens_gtfs_find_route(const grens_gtfs_feed *feed, const char *id)
{
	if (!feed || !feed->index || !id)
		return GRENS_NONE;
	return id_map_find(&feed->index->routes, id, strlen(id));
}

uint32_t grens_gtfs_find_trip(const grens_gtfs_feed *feed, const char *id)
{
	if (!feed || !feed->index || !id)
		return GRENS_NONE;
	return id_map_find(&feed->index->trips, id, strlen(id));
}

uint32_t grens_gtfs_find_service(const grens_gtfs_feed *feed, const char *id)
{
	if (!feed || !feed->index || !id)
		return GRENS_NONE;
	return id_map_find(&feed->index->services, id, strlen(id));
}

uint32_t grens_gtfs_find_agency(const grens_gtfs_feed *feed, const char *id)
{
	if (!feed || !feed->index || !id)
		return GRENS_NONE;
	return id_map_find(&feed->index->agencies, id, strlen(id));
}

const char *grens_gtfs_stop_headsign(const grens_gtfs_feed *feed, const grens_gtfs_stop_time *st)
{
	if (!feed || !st || st->headsign >= feed->stop_headsign_count)
		return "";
	return feed->stop_headsigns[st->headsign];
}

bool grens_gtfs_service_active(const grens_gtfs_feed *feed, uint32_t service, grens_date date)
{
	if (!feed || service >= feed->service_count || date == GRENS_DATE_NONE)
		return false;
	const grens_gtfs_service *s = &feed->services[service];
	/* Exceptions are sorted by date: binary search. A feed without any has
	 * no exceptions array at all (pointer arithmetic on NULL is undefined). */
	if (s->exception_count) {
		const grens_gtfs_service_exception *ex = feed->exceptions + s->first_exception;
		uint32_t lo = 0, hi = s->exception_count;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			if (ex[mid].date < date)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < s->exception_count && ex[lo].date == date)
			return ex[lo].type == 1;
	}
	if (!s->has_calendar || date < s->start_date || date > s->end_date)
		return false;
	return (s->weekdays >> grens_date_weekday(date)) & 1u;
}

void gtfs_service_dates(grens_gtfs_feed *feed)
{
	grens_date first = GRENS_DATE_NONE, last = GRENS_DATE_NONE;
	for (uint32_t i = 0; i < feed->service_count; i++) {
		const grens_gtfs_service *s = &feed->services[i];
		grens_date lo = GRENS_DATE_NONE, hi = GRENS_DATE_NONE;
		if (s->has_calendar && s->weekdays) {
			/* First and last days in range that fall on a running weekday. */
			for (grens_date d = s->start_date; d <= s->end_date && d < s->start_date + 7;
			     d++)
				if ((s->weekdays >> grens_date_weekday(d)) & 1u) {
					lo = d;
					break;
				}
			for (grens_date d = s->end_date; d >= s->start_date && d > s->end_date - 7;
			     d--)
				if ((s->weekdays >> grens_date_weekday(d)) & 1u) {
					hi = d;
					break;
				}
		}
		for (uint32_t k = 0; k < s->exception_count; k++) {
			const grens_gtfs_service_exception *e = &feed->exceptions[s->first_exception + k];
			if (e->type != 1)
				continue;
			if (lo == GRENS_DATE_NONE || e->date < lo)
				lo = e->date;
			if (hi == GRENS_DATE_NONE || e->date > hi)
				hi = e->date;
		}
		/* A removal on the first or last calendar day moves the bound inward. */
		while (lo != GRENS_DATE_NONE && lo <= hi && !grens_gtfs_service_active(feed, i, lo))
			lo++;
		while (hi != GRENS_DATE_NONE && hi >= lo && !grens_gtfs_service_active(feed, i, hi))
			hi--;
		if (lo == GRENS_DATE_NONE || hi == GRENS_DATE_NONE || lo > hi)
			continue;
		if (first == GRENS_DATE_NONE || lo < first)
			first = lo;
		if (last == GRENS_DATE_NONE || hi > last)
			last = hi;
	}
	feed->first_service_date = first;
	feed->last_service_date = last;
	/* a cut calendar range (load_calendar) declared more */
	if (feed->declared_last_date < last)
		feed->declared_last_date = last;
}

static void index_free(struct grens_gtfs_index *ix)
{
	if (!ix)
		return;
	id_map_clear(&ix->agencies);
	id_map_clear(&ix->stops);
	id_map_clear(&ix->routes);
	id_map_clear(&ix->trips);
	id_map_clear(&ix->services);
	id_map_clear(&ix->shapes);
	free(ix);
}

/* Add the ids of one table; a repeated id keeps its first row (as the
 * loader does: for trips, the first run of a frequency trip). */
static int index_table(id_map *m, const void *rows, size_t row_size, uint32_t count,
		       size_t id_offset)
{
	if (id_map_reserve(m, count))
		return GRENS_ENOMEM;
	for (uint32_t i = 0; i < count; i++) {
		const char *id;
		memcpy(&id, (const char *)rows + (size_t)i * row_size + id_offset, sizeof(id));
		if (!id)
			continue;
		uint32_t existing;
		if (id_map_add(m, id, strlen(id), i, &existing) < 0)
			return GRENS_ENOMEM;
	}
	return 0;
}

int grens_gtfs_index_build(grens_gtfs_feed *feed, grens_error *err)
{
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_index_build: feed is NULL");
	struct grens_gtfs_index *ix = calloc(1, sizeof(*ix));
	if (!ix)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory indexing %s", feed->name);
#define INDEX(map, arr, n, type)                                                                   \
	index_table(&ix->map, feed->arr, sizeof(type), feed->n, offsetof(type, id))
	int rc = INDEX(agencies, agencies, agency_count, grens_gtfs_agency);
	if (!rc)
		rc = INDEX(stops, stops, stop_count, grens_gtfs_stop);
	if (!rc)
		rc = INDEX(routes, routes, route_count, grens_gtfs_route);
	if (!rc)
		rc = INDEX(trips, trips, trip_count, grens_gtfs_trip);
	if (!rc)
		rc = INDEX(services, services, service_count, grens_gtfs_service);
#undef INDEX
	if (rc) {
		index_free(ix);
		return grens_error_set(err, rc, "out of memory indexing %s", feed->name);
	}
	index_free(feed->index);
	feed->index = ix;
	return 0;
}

void grens_gtfs_index_free(grens_gtfs_feed *feed)
{
	if (!feed)
		return;
	index_free(feed->index);
	feed->index = NULL;
}

void grens_gtfs_free(grens_gtfs_feed *feed)
{
	if (!feed)
		return;
	index_free(feed->index);
	free(feed->agencies);
	free(feed->stops);
	free(feed->routes);
	free(feed->trips);
	free(feed->stop_times);
	free(feed->stop_headsigns);
	free(feed->services);
	free(feed->exceptions);
	free(feed->transfers);
	free(feed->frequencies);
	grens_arena *arena = feed->arena;
	grens_arena_free(arena); /* feed itself lives outside the arena */
	free(feed);
}

int grens_gtfs_busiest_date(grens_date *out, const grens_gtfs_feed *const *feeds, uint32_t n,
			    int weekday, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_busiest_date: out is NULL");
	*out = GRENS_DATE_NONE;
	if (!feeds && n)
		return grens_error_set(err, GRENS_EINVAL, "grens_gtfs_busiest_date: feeds is NULL");
	if (weekday < 0 || weekday > 6)
		return grens_error_set(err, GRENS_EARG,
				       "grens_gtfs_busiest_date: weekday %d is not 0 (Monday) to 6",
				       weekday);
	grens_date first = GRENS_DATE_NONE, last = GRENS_DATE_NONE;
	for (uint32_t f = 0; f < n; f++) {
		if (!feeds[f] || feeds[f]->first_service_date == GRENS_DATE_NONE)
			continue;
		if (first == GRENS_DATE_NONE || feeds[f]->first_service_date < first)
			first = feeds[f]->first_service_date;
		if (last == GRENS_DATE_NONE || feeds[f]->last_service_date > last)
			last = feeds[f]->last_service_date;
	}
	if (first == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_ENOTFOUND, "the feeds have no service dates");
	if (last - first > GRENS_LIMIT_SERVICE_DAYS)
		last = first + GRENS_LIMIT_SERVICE_DAYS;
	/* trips per service, so each date costs one pass over the services */
	uint32_t **per_service = calloc((size_t)n + 1, sizeof(*per_service));
	int rc = per_service ? 0 : GRENS_ENOMEM;
	for (uint32_t f = 0; f < n && !rc; f++) {
		if (!feeds[f])
			continue;
		per_service[f] = calloc((size_t)feeds[f]->service_count + 1, sizeof(uint32_t));
		if (!per_service[f]) {
			rc = GRENS_ENOMEM;
			break;
		}
		for (uint32_t t = 0; t < feeds[f]->trip_count; t++)
			per_service[f][feeds[f]->trips[t].service]++;
	}
	grens_date best = GRENS_DATE_NONE;
	uint64_t best_trips = 0;
	for (grens_date d = first; d <= last && !rc; d++) {
		if (grens_date_weekday(d) != weekday)
			continue;
		uint64_t trips = 0;
		for (uint32_t f = 0; f < n; f++)
			for (uint32_t s = 0; feeds[f] && s < feeds[f]->service_count; s++)
				if (per_service[f][s] && grens_gtfs_service_active(feeds[f], s, d))
					trips += per_service[f][s];
		/* Ties (every ordinary week looks alike) go to the date nearest
		 * the middle of the period, away from timetable changes. */
		int64_t mid2 = (int64_t)first + last;
		if (trips > best_trips ||
		    (trips == best_trips && trips > 0 &&
		     llabs(2 * (int64_t)d - mid2) < llabs(2 * (int64_t)best - mid2))) {
			best_trips = trips;
			best = d;
		}
	}
	for (uint32_t f = 0; per_service && f < n; f++)
		free(per_service[f]);
	free(per_service);
	if (rc)
		return grens_error_set(err, rc, "out of memory counting trips per date");
	if (best == GRENS_DATE_NONE)
		return grens_error_set(err, GRENS_ENOTFOUND, "no trip runs on that weekday");
	*out = best;
	return 0;
}
