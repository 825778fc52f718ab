/* Id lookups (uthash, non-fatal on OOM), service calendars, and freeing. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HASH_NONFATAL_OOM 1
/* A Bloom filter (2^20 bits per table) lets the duplicate check of a new
 * id skip walking its bucket chain. */
#define HASH_BLOOM 20
#define uthash_nonfatal_oom(e) (m->oom = true)
#include <uthash.h>

struct id_entry {
	const char *id;
	uint32_t row;
	UT_hash_handle hh;
};

int id_map_add(id_map *m, grens_arena *arena, const char *id, size_t len, uint32_t row,
	       uint32_t *existing)
{
	struct id_entry *e = NULL;
	HASH_FIND(hh, m->head, id, len, e);
	if (e) {
		if (existing)
			*existing = e->row;
		return 1;
	}
	e = grens_arena_alloc(arena, sizeof(*e), _Alignof(struct id_entry));
	if (!e)
		return GRENS_ENOMEM;
	e->id = id;
	e->row = row;
	m->oom = false;
	HASH_ADD_KEYPTR(hh, m->head, e->id, len, e);
	if (m->oom)
		return GRENS_ENOMEM;
	return 0;
}

uint32_t id_map_find(const id_map *m, const char *id, size_t len)
{
	struct id_entry *e = NULL;
	if (!m->head)
		return GRENS_NONE;
	HASH_FIND(hh, m->head, id, len, e);
	return e ? e->row : GRENS_NONE;
}

void id_map_clear(id_map *m)
{
	HASH_CLEAR(hh, m->head);
	m->head = NULL;
}

static inline uint32_t flat_hash(const char *s, size_t len)
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

int flat_map_build(flat_map *fm, const void *rows, size_t stride, uint32_t count)
{
	memset(fm, 0, sizeof(*fm));
	uint64_t size = 16;
	while (size < (uint64_t)count * 2)
		size *= 2;
	if (size > ((uint64_t)1 << 33))
		return GRENS_ELIMIT;
	fm->slots = calloc((size_t)size, sizeof(*fm->slots));
	if (!fm->slots)
		return GRENS_ENOMEM;
	fm->mask = (uint32_t)(size - 1);
	fm->base = rows;
	fm->stride = stride;
	for (uint32_t row = 0; row < count; row++) {
		const char *id = *(const char *const *)(const void *)(fm->base + (size_t)row * stride);
		size_t len = strlen(id);
		if (flat_map_find(fm, id, len) != GRENS_NONE)
			continue;
		uint32_t h = flat_hash(id, len), i = h & fm->mask;
		while (fm->slots[i])
			i = (i + 1) & fm->mask;
		fm->slots[i] = (uint64_t)h << 32 | ((uint64_t)row + 1);
	}
	return 0;
}

uint32_t flat_map_find(const flat_map *fm, const char *id, size_t len)
{
	uint32_t h = flat_hash(id, len), i = h & fm->mask;
	for (;;) {
		uint64_t slot = fm->slots[i];
		if (!slot)
			return GRENS_NONE;
		if ((uint32_t)(slot >> 32) == h) {
			uint32_t row = (uint32_t)slot - 1;
			const char *key =
				*(const char *const *)(const void *)(fm->base + (size_t)row * fm->stride);
			if (memcmp(key, id, len) == 0 && key[len] == '\0')
				return row;
		}
		i = (i + 1) & fm->mask;
	}
}

void flat_map_free(flat_map *fm)
{
	free(fm->slots);
	memset(fm, 0, sizeof(*fm));
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
}

void grens_gtfs_free(grens_gtfs_feed *feed)
{
	if (!feed)
		return;
	struct grens_gtfs_index *ix = feed->index;
	if (ix) {
		id_map_clear(&ix->agencies);
		id_map_clear(&ix->stops);
		id_map_clear(&ix->routes);
		id_map_clear(&ix->trips);
		id_map_clear(&ix->services);
		id_map_clear(&ix->shapes);
		free(ix);
	}
	free(feed->agencies);
	free(feed->stops);
	free(feed->routes);
	free(feed->trips);
	free(feed->stop_times);
	free(feed->services);
	free(feed->exceptions);
	free(feed->transfers);
	free(feed->frequencies);
	grens_arena *arena = feed->arena;
	grens_arena_free(arena); /* feed itself lives outside the arena */
	free(feed);
}
