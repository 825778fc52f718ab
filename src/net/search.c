/* Searching stations: by name for a search box, and the ones nearest a
 * point (a click on a map). Each is one linear scan over the stops; the
 * best cap hits are kept in a heap inside the caller's array, so a search
 * costs no allocation per stop and the ranking does not depend on cap. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

/* Parent links followed from a stop to its station: a boarding area's
 * parent is a platform, whose parent is the station. */
#define PARENT_DEPTH 3

static bool is_station(const grens_timetable *tt, uint32_t s)
{
	return tt->stop_parent[s] == GRENS_NONE ||
	       (tt->stop_location_type && tt->stop_location_type[s] == 1);
}

/* The station a stop belongs to (itself for a station). */
static uint32_t station_of(const grens_timetable *tt, uint32_t s)
{
	for (int i = 0; i < PARENT_DEPTH && !is_station(tt, s); i++)
		s = tt->stop_parent[s];
	return s;
}

/* ---- the best cap hits -------------------------------------------------- */

/* < 0 when hit a ranks before hit b; a total order (stop indices differ). */
typedef int (*hit_order)(const void *ctx, const grens_net_stop_hit *a, const grens_net_stop_hit *b);

/* The best hits offered so far, a heap in v[0..n) with the worst at v[0]. */
struct best {
	grens_net_stop_hit *v;
	uint32_t n, cap;
	hit_order order;
	const void *ctx;
};

static void swap_hits(grens_net_stop_hit *a, grens_net_stop_hit *b)
{
	grens_net_stop_hit t = *a;
	*a = *b;
	*b = t;
}

/* Restore the heap below v[i] among v[0..n). */
static void sift_down(struct best *b, uint32_t i, uint32_t n)
{
	for (;;) {
		uint64_t l = 2 * (uint64_t)i + 1, r = l + 1;
		uint32_t w = i;
		if (l < n && b->order(b->ctx, &b->v[l], &b->v[w]) > 0)
			w = (uint32_t)l;
		if (r < n && b->order(b->ctx, &b->v[r], &b->v[w]) > 0)
			w = (uint32_t)r;
		if (w == i)
			return;
		swap_hits(&b->v[i], &b->v[w]);
		i = w;
	}
}

static void best_offer(struct best *b, grens_net_stop_hit h)
{
	if (b->n < b->cap) {
		uint32_t i = b->n++;
		b->v[i] = h;
		while (i > 0 && b->order(b->ctx, &b->v[i], &b->v[(i - 1) / 2]) > 0) {
			swap_hits(&b->v[i], &b->v[(i - 1) / 2]);
			i = (i - 1) / 2;
		}
		return;
	}
	if (b->cap == 0 || b->order(b->ctx, &h, &b->v[0]) >= 0)
		return; /* not better than the worst kept */
	b->v[0] = h;
	sift_down(b, 0, b->n);
}

/* The heap sorted best first (heapsort: the worst goes to the end). */
static void best_finish(struct best *b)
{
	for (uint32_t n = b->n; n > 1; n--) {
		swap_hits(&b->v[0], &b->v[n - 1]);
		sift_down(b, 0, n - 1);
	}
}

/* ---- by name ----------------------------------------------------------- */

/* The compared spelling of a text of GRENS_LIMIT_SEARCH_BYTES: folding
 * and the station words never make a text longer, and its words are
 * separated by single spaces. */
#define KEY_BYTES (GRENS_LIMIT_SEARCH_BYTES + 1)
#define MAX_WORDS (GRENS_LIMIT_SEARCH_BYTES / 2 + 1)

/* A text's words: each words[i], lens[i] bytes long. */
struct words {
	const char *words[MAX_WORDS];
	size_t lens[MAX_WORDS];
	uint32_t word_count;
};

struct name_query {
	const struct grens_net_index *ix;
	const char *key; /* the text's compared spelling */
	size_t len;
	struct words key_words;
	/* the text only folded (grens_text_fold), its station words as typed:
	 * "amsterdam cen" is still being typed towards "Centraal", whose
	 * compared spelling is "c" */
	struct words folded_words;
};

static void split_words(const char *text, struct words *out)
{
	out->word_count = 0;
	for (const char *w = text; *w && out->word_count < MAX_WORDS;) {
		if (*w == ' ') {
			w++;
			continue;
		}
		const char *sp = strchr(w, ' ');
		size_t wl = sp ? (size_t)(sp - w) : strlen(w);
		out->words[out->word_count] = w;
		out->lens[out->word_count++] = wl;
		w += wl;
	}
}

/* 0: the name is the text, 1: it starts with the text, 2: it matches
 * word by word only. */
static int name_tier(const struct name_query *q, const char *name)
{
	if (strncmp(name, q->key, q->len) != 0)
		return 2;
	return name[q->len] == '\0' ? 0 : 1;
}

static int name_order(const void *ctx, const grens_net_stop_hit *a, const grens_net_stop_hit *b)
{
	const struct name_query *q = ctx;
	const char *ka = net_index_folded(q->ix, a->stop), *kb = net_index_folded(q->ix, b->stop);
	int ta = name_tier(q, ka), tb = name_tier(q, kb);
	if (ta != tb)
		return ta < tb ? -1 : 1;
	/* "aachen" is nearer "Aachen Hbf" than "Aachen Bushof" */
	size_t la = strlen(ka), lb = strlen(kb);
	if (la != lb)
		return la < lb ? -1 : 1;
	int c = strcmp(ka, kb);
	if (c != 0)
		return c;
	return a->stop < b->stop ? -1 : a->stop > b->stop;
}

/* Is every word of q the start of some word of name? */
static bool words_match(const struct words *q, const char *name)
{
	for (uint32_t i = 0; i < q->word_count; i++) {
		bool found = false;
		for (const char *w = name; *w && !found;) {
			found = strncmp(w, q->words[i], q->lens[i]) == 0;
			const char *sp = strchr(w, ' ');
			w = sp ? sp + 1 : w + strlen(w);
		}
		if (!found)
			return false;
	}
	return true;
}

/* The query's words in the stop's compared spelling, or its folded words
 * in the stop's folded name. */
static bool name_matches(const struct name_query *q, const grens_timetable *tt, uint32_t s)
{
	if (words_match(&q->key_words, net_index_folded(q->ix, s)))
		return true;
	char folded[1024];
	const char *name = grens_net_str(tt, tt->stop_name[s]);
	size_t n = grens_text_fold(name, strlen(name), folded, sizeof(folded));
	return n < sizeof(folded) && words_match(&q->folded_words, folded);
}

int grens_net_search_stops(const grens_timetable *tt, const char *text, grens_net_stop_hit *out,
			   uint32_t cap, uint32_t *n, grens_error *err)
{
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_search_stops: tt is NULL");
	if (!text)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_search_stops: text is NULL");
	if (!n)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_search_stops: n is NULL");
	if (!out && cap > 0)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_search_stops: out is NULL");
	*n = 0;
	size_t len = strlen(text);
	if (len > GRENS_LIMIT_SEARCH_BYTES)
		return grens_error_set(err, GRENS_EARG,
				       "the search text is %zu bytes long; at most %u are searched",
				       len, GRENS_LIMIT_SEARCH_BYTES);
	if (!grens_utf8_valid(text, len))
		return grens_error_set(err, GRENS_EARG, "the search text is not UTF-8");
	if (strspn(text, " \t\r\n\v\f") == len)
		return grens_error_set(err, GRENS_EARG, "empty search text");
	const struct grens_net_index *ix = tt->index;
	if (!ix || ix->stop_count != tt->stop_count)
		return grens_error_set(
		    err, GRENS_EARG,
		    "the timetable has no name index of its own (a cut or a "
		    "selection of trips): search the timetable it was made from");
	struct name_query q = {.ix = ix};
	char key[KEY_BYTES];
	q.len = grens_net_name_key(text, key, sizeof(key));
	if (q.len >= sizeof(key))
		return grens_error_set(err, GRENS_EARG, "the search text is too long");
	if (q.len == 0)
		return grens_error_set(err, GRENS_EARG, "'%s' has no letter or digit to search for",
				       text);
	q.key = key;
	split_words(key, &q.key_words);
	char folded[KEY_BYTES * 4];
	size_t fl = grens_text_fold(text, len, folded, sizeof(folded));
	if (fl >= sizeof(folded))
		folded[0] = '\0';
	split_words(folded, &q.folded_words);

	struct best b = {.v = out, .cap = cap, .order = name_order, .ctx = &q};
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		if (!is_station(tt, s) || !name_matches(&q, tt, s))
			continue;
		best_offer(&b, (grens_net_stop_hit){.stop = s, .distance_m = NAN});
	}
	best_finish(&b);
	*n = b.n;
	return 0;
}

/* ---- near a point ------------------------------------------------------- */

static int near_order(const void *ctx, const grens_net_stop_hit *a, const grens_net_stop_hit *b)
{
	(void)ctx;
	if (a->distance_m != b->distance_m)
		return a->distance_m < b->distance_m ? -1 : 1;
	return a->stop < b->stop ? -1 : a->stop > b->stop;
}

int grens_net_nearest_stops(const grens_timetable *tt, double lat, double lon, double radius_m,
			    grens_net_stop_hit *out, uint32_t cap, uint32_t *n, grens_error *err)
{
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_nearest_stops: tt is NULL");
	if (!n)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_nearest_stops: n is NULL");
	if (!out && cap > 0)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_nearest_stops: out is NULL");
	*n = 0;
	if (!(lat >= -90.0 && lat <= 90.0) || !(lon >= -180.0 && lon <= 180.0))
		return grens_error_set(err, GRENS_EARG,
				       "%g,%g is not a point: latitude -90 to 90, longitude -180 "
				       "to 180 degrees",
				       lat, lon);
	if (!(radius_m > 0.0 && radius_m <= GRENS_LIMIT_SEARCH_RADIUS_M))
		return grens_error_set(err, GRENS_EARG,
				       "radius %g m: it must be above 0 and at most %.0f m",
				       radius_m, GRENS_LIMIT_SEARCH_RADIUS_M);
	/* [station] the distance to the nearest of it and its stops */
	double *dist = malloc((tt->stop_count ? tt->stop_count : 1) * sizeof(double));
	if (!dist)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	for (uint32_t s = 0; s < tt->stop_count; s++)
		dist[s] = INFINITY;
	for (uint32_t s = 0; s < tt->stop_count; s++) {
		double d = grens_geo_distance_m(lat, lon, tt->stop_lat[s], tt->stop_lon[s]);
		uint32_t st = station_of(tt, s);
		if (d < dist[st]) /* false for a stop without coordinates (NAN) */
			dist[st] = d;
	}
	struct best b = {.v = out, .cap = cap, .order = near_order};
	for (uint32_t s = 0; s < tt->stop_count; s++)
		if (is_station(tt, s) && dist[s] <= radius_m)
			best_offer(&b, (grens_net_stop_hit){.stop = s, .distance_m = dist[s]});
	free(dist);
	best_finish(&b);
	*n = b.n;
	return 0;
}
