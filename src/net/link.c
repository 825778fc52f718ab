/* Matching stops of different feeds: which station of one feed is which
 * station of another.
 *
 * Candidates are stations (location_type 1) and stops without a parent.
 * Pairs are decided strongest rule first: an override forbids or forces a
 * pair; the links file names pairs; then a shared station code (UIC/EVA
 * number, IFOPT/DHID), the same normalised name within link_name_radius_m,
 * and any two stops within link_distance_m. Rule-based matches are one to
 * one per feed pair (a station takes the best candidate of the other feed);
 * explicit ones are taken as given. Pairs that came close but were not
 * matched are kept as near misses with the reason. */
#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net_internal.h"

/* ---- explicit links ------------------------------------------------------------ */

enum { ACTION_LINK = 0, ACTION_FORCE = 1, ACTION_FORBID = 2 };

struct link_row {
	char *feed_a, *id_a, *feed_b, *id_b;
	int action;
	char *file; /* the whole path, as given */
	uint32_t line;
};

struct grens_net_links {
	struct link_row *rows;
	uint32_t count, cap;
};

int net_grow(void **v, uint32_t *cap, size_t elem, uint32_t need)
{
	if (need <= *cap)
		return 0;
	uint32_t ncap = *cap ? *cap : 16;
	while (ncap < need) {
		if (ncap > UINT32_MAX / 2)
			return GRENS_ELIMIT;
		ncap *= 2;
	}
	size_t bytes;
	if (grens_size_mul(ncap, elem, &bytes))
		return GRENS_ELIMIT;
	void *p = realloc(*v, bytes);
	if (!p)
		return GRENS_ENOMEM;
	*v = p;
	*cap = ncap;
	return 0;
}

grens_net_links *grens_net_links_new(void)
{
	return calloc(1, sizeof(grens_net_links));
}

void grens_net_links_free(grens_net_links *links)
{
	if (!links)
		return;
	for (uint32_t i = 0; i < links->count; i++) {
		free(links->rows[i].feed_a);
		free(links->rows[i].id_a);
		free(links->rows[i].feed_b);
		free(links->rows[i].id_b);
		free(links->rows[i].file);
	}
	free(links->rows);
	free(links);
}

uint32_t grens_net_links_count(const grens_net_links *links)
{
	return links ? links->count : 0;
}

#define LINK_MAX_FIELDS 16
#define LINK_MAX_FIELD GRENS_LIMIT_LINK_FIELD_BYTES

/* Split one CSV record starting at p (quotes, "" escapes; CRLF). Returns the
 * position after the record's line end; fields are copied into f. *nul is
 * the first field holding a NUL byte (which its copy would end at), or -1. */
static const char *csv_record(const char *p, const char *end, char f[][LINK_MAX_FIELD],
			      uint32_t *nf, uint32_t *lines, int *nul)
{
	*nf = 0;
	*nul = -1;
	size_t len = 0;
	int quoted = 0, in_field = 1;
	f[0][0] = '\0';
	while (p < end) {
		char ch = *p++;
		if (quoted) {
			if (ch == '"' && p < end && *p == '"') {
				p++;
			} else if (ch == '"') {
				quoted = 0;
				continue;
			} else if (ch == '\n') {
				(*lines)++;
			}
		} else if (ch == '"' && len == 0) {
			quoted = 1;
			continue;
		} else if (ch == ',') {
			if (*nf + 1 < LINK_MAX_FIELDS) {
				(*nf)++;
				f[*nf][0] = '\0';
			}
			len = 0;
			continue;
		} else if (ch == '\r') {
			continue;
		} else if (ch == '\n') {
			(*lines)++;
			break;
		}
		if (ch == '\0' && *nul < 0)
			*nul = (int)*nf;
		if (len + 1 < LINK_MAX_FIELD) {
			f[*nf][len++] = ch;
			f[*nf][len] = '\0';
		}
	}
	*nf += in_field;
	return p;
}

static char *trim_dup(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int grens_net_links_parse(grens_net_links *links, const char *text, size_t len, int kind,
			  const char *file, grens_diag *diag, grens_error *err)
{
	if (!links)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_links_parse: links is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_net_links_parse: text is NULL");
	static const char *names[] = {"feed_a", "stop_id_a", "feed_b", "stop_id_b", "action"};
	char(*f)[LINK_MAX_FIELD] = malloc(sizeof(char[LINK_MAX_FIELDS][LINK_MAX_FIELD]));
	if (!f)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	const char *p = text, *end = text + len;
	int rc = 0;
	int col[5] = {-1, -1, -1, -1, -1};
	int need = kind == GRENS_NET_LINKS_OVERRIDES ? 5 : 4;
	uint32_t nf, line = 1, lines = 0;
	int nul;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	p = csv_record(p, end, f, &nf, &lines, &nul);
	if (nul >= 0) {
		/* Column names decide what every field means: no guessing. */
		rc = grens_error_set(err, GRENS_EFORMAT, "NUL byte in column %d of the header",
				     nul + 1);
		grens_error_at(err, file, 1, (uint32_t)nul + 1, NULL);
		goto out;
	}
	for (uint32_t i = 0; i < nf; i++)
		for (int k = 0; k < 5; k++) {
			char *h = trim_dup(f[i]);
			if (h && strcmp(h, names[k]) == 0)
				col[k] = (int)i;
			free(h);
		}
	for (int k = 0; k < need; k++) {
		if (col[k] < 0) {
			rc = grens_error_set(err, GRENS_EFORMAT, "missing column %s", names[k]);
			grens_error_at(err, file, 1, 0, names[k]);
			goto out;
		}
	}
	while (p < end) {
		line += lines;
		lines = 0;
		uint32_t row_line = line;
		p = csv_record(p, end, f, &nf, &lines, &nul);
		if (nul >= 0) {
			const char *field = NULL;
			for (int k = 0; k < 5; k++)
				if (col[k] == nul)
					field = names[k];
			grens_diag_add(diag, "invalid_character", GRENS_SEVERITY_ERROR, file,
				       row_line, field, "NUL byte in field %d; skipped", nul + 1);
			continue;
		}
		if (nf == 1 && f[0][0] == '\0')
			continue; /* empty line */
		int ok = 1;
		for (int k = 0; k < need; k++)
			ok &= col[k] < (int)nf && f[col[k]][0] != '\0';
		int action = ACTION_LINK;
		if (ok && kind == GRENS_NET_LINKS_OVERRIDES) {
			char *a = trim_dup(f[col[4]]);
			if (a && strcmp(a, "force") == 0)
				action = ACTION_FORCE;
			else if (a && strcmp(a, "forbid") == 0)
				action = ACTION_FORBID;
			else
				ok = 0;
			free(a);
		}
		if (!ok) {
			grens_diag_add(
			    diag, "link_invalid_row", GRENS_SEVERITY_ERROR, file, row_line, NULL,
			    "a row needs feed_a, stop_id_a, feed_b, stop_id_b%s; skipped",
			    kind == GRENS_NET_LINKS_OVERRIDES ? " and action force|forbid" : "");
			continue;
		}
		rc = net_grow((void **)&links->rows, &links->cap, sizeof(*links->rows),
			      links->count + 1);
		if (rc) {
			grens_error_set(err, rc, "out of memory");
			goto out;
		}
		struct link_row *r = &links->rows[links->count];
		memset(r, 0, sizeof(*r));
		r->feed_a = trim_dup(f[col[0]]);
		r->id_a = trim_dup(f[col[1]]);
		r->feed_b = trim_dup(f[col[2]]);
		r->id_b = trim_dup(f[col[3]]);
		r->file = strdup(file ? file : "");
		links->count++;
		if (!r->feed_a || !r->id_a || !r->feed_b || !r->id_b || !r->file) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto out;
		}
		r->action = action;
		r->line = row_line;
	}
out:
	free(f);
	return rc;
}

/* ---- names and codes -------------------------------------------------------------- */

/* A station code of an id or stop_code: a UIC/EVA number (7 to 9 digits) or
 * the station part of an IFOPT/DHID ("de:05334:1008:1:6" -> "de:05334:1008").
 * Returns 0 when s carries none. */
static int station_code(const char *s, char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n >= 7 && n <= 9) {
		size_t i = 0;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		if (i == n) {
			snprintf(out, cap, "uic:%s", s);
			return 1;
		}
	}
	/* cc:nnnnn:n... */
	if (n >= 6 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1]) && s[2] == ':') {
		const char *c2 = strchr(s + 3, ':');
		if (!c2 || c2 == s + 3)
			return 0;
		for (const char *q = s + 3; q < c2; q++)
			if (!isdigit((unsigned char)*q))
				return 0;
		const char *q = c2 + 1;
		size_t digits = 0;
		while (isalnum((unsigned char)q[digits]))
			digits++;
		if (!digits || (q[digits] != '\0' && q[digits] != ':'))
			return 0;
		size_t len = (size_t)(q + digits - s);
		if (len + 7 > cap)
			return 0;
		memcpy(out, "ifopt:", 6);
		for (size_t i = 0; i < len; i++)
			out[6 + i] = (char)tolower((unsigned char)s[i]);
		out[6 + len] = '\0';
		return 1;
	}
	return 0;
}

/* ---- matching ---------------------------------------------------------------------- */

struct cand {
	uint32_t a, b; /* stop indices, feed of a < feed of b */
	grens_net_rule rule;
	double distance;
};

struct pair_key {
	UT_hash_handle hh;
	uint64_t key;
};

static uint64_t pair_of(uint32_t a, uint32_t b)
{
	return a < b ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
}

static int pair_add(struct pair_key **set, uint64_t key)
{
	int hash_oom = 0;
	struct pair_key *e = NULL;
	HASH_FIND(hh, *set, &key, sizeof(key), e);
	if (e)
		return 0;
	e = malloc(sizeof(*e));
	if (!e)
		return GRENS_ENOMEM;
	e->key = key;
	HASH_ADD(hh, *set, key, sizeof(uint64_t), e);
	if (hash_oom) {
		free(e);
		return GRENS_ENOMEM;
	}
	return 0;
}

static int pair_has(struct pair_key *set, uint64_t key)
{
	struct pair_key *e = NULL;
	HASH_FIND(hh, set, &key, sizeof(key), e);
	return e != NULL;
}

static void pair_clear(struct pair_key **set)
{
	struct pair_key *e, *tmp;
	HASH_ITER(hh, *set, e, tmp)
	{
		HASH_DEL(*set, e);
		free(e);
	}
}

static double stop_distance(const grens_timetable *tt, uint32_t a, uint32_t b)
{
	if (isnan(tt->stop_lat[a]) || isnan(tt->stop_lon[a]) || isnan(tt->stop_lat[b]) ||
	    isnan(tt->stop_lon[b]))
		return NAN;
	return grens_geo_distance_m(tt->stop_lat[a], tt->stop_lon[a], tt->stop_lat[b],
				    tt->stop_lon[b]);
}

/* A row that joins stops farther apart than one walks between platforms
 * makes two places one (a 0:00 journey between towns): taken as asked, but
 * warned about and listed in the report. */
static int check_far_link(struct net_ctx *c, const struct link_row *r, uint32_t a, uint32_t b)
{
	const grens_net_options *o = c->opts;
	double limit = o->footpath_radius_m > 0 ? o->footpath_radius_m : o->link_name_radius_m;
	double d = stop_distance(c->tt, a, b);
	if (!(d > limit))
		return 0; /* near enough, or no coordinates to tell */
	grens_diag_add(c->diag, "link_too_far", GRENS_SEVERITY_WARNING, r->file, r->line, NULL,
		       "%s:%s - %s:%s are %.0f m apart, more than the walking radius of %.0f m; "
		       "taken as one station",
		       r->feed_a, r->id_a, r->feed_b, r->id_b, d, limit);
	int rc = net_grow((void **)&c->far_links, &c->far_link_cap, sizeof(*c->far_links),
			  c->far_link_count + 1);
	if (rc)
		return rc;
	grens_net_far_link *f = &c->far_links[c->far_link_count++];
	memset(f, 0, sizeof(*f));
	int swap = c->tt->stop_feed[a] > c->tt->stop_feed[b];
	f->stop_a = swap ? b : a;
	f->stop_b = swap ? a : b;
	f->distance_m = d;
	f->limit_m = limit;
	snprintf(f->file, sizeof(f->file), "%s", r->file);
	f->line = r->line;
	return 0;
}

static int is_candidate(const grens_timetable *tt, uint32_t s)
{
	return tt->stop_location_type[s] == 1 ||
	       (tt->stop_location_type[s] == 0 && tt->stop_parent[s] == GRENS_NONE);
}

static uint32_t feed_index(const struct net_ctx *c, const char *name)
{
	for (uint32_t f = 0; f < c->feed_count; f++)
		if (strcmp(c->feeds[f]->name, name) == 0)
			return f;
	return GRENS_NONE;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	double da = isnan(a->distance) ? 1e18 : a->distance;
	double db = isnan(b->distance) ? 1e18 : b->distance;
	if (da != db)
		return da < db ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : (a->b > b->b);
}

static int push_match(struct net_ctx *c, uint32_t a, uint32_t b, grens_net_rule rule)
{
	if (c->tt->stop_feed[a] > c->tt->stop_feed[b]) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	int rc =
	    net_grow((void **)&c->matches, &c->match_cap, sizeof(*c->matches), c->match_count + 1);
	if (rc)
		return rc;
	c->matches[c->match_count++] =
	    (grens_net_stop_match){a, b, stop_distance(c->tt, a, b), rule};
	return 0;
}

static int push_miss(struct net_ctx *c, uint32_t a, uint32_t b, double d, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int push_miss(struct net_ctx *c, uint32_t a, uint32_t b, double d, const char *fmt, ...)
{
	if (c->miss_count >= GRENS_LIMIT_NEAR_MISSES) {
		c->misses_over_limit++;
		return 0;
	}
	if (c->tt->stop_feed[a] > c->tt->stop_feed[b]) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	int rc = net_grow((void **)&c->misses, &c->miss_cap, sizeof(*c->misses), c->miss_count + 1);
	if (rc)
		return rc;
	grens_net_near_miss *m = &c->misses[c->miss_count++];
	m->stop_a = a;
	m->stop_b = b;
	m->distance_m = d;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m->reason, sizeof(m->reason), fmt, ap);
	va_end(ap);
	return 0;
}

/* Union-find over stops for places. */
static uint32_t uf_find(uint32_t *up, uint32_t x)
{
	while (up[x] != x) {
		up[x] = up[up[x]];
		x = up[x];
	}
	return x;
}

static void uf_union(uint32_t *up, uint32_t a, uint32_t b)
{
	a = uf_find(up, a);
	b = uf_find(up, b);
	if (a < b)
		up[b] = a;
	else if (b < a)
		up[a] = b;
}

/* A station already matched to a stop of feed f? (bit f of matched[s]) */
static int matched_to(const uint64_t *matched, uint32_t s, uint32_t f)
{
	return f < 64 && ((matched[s] >> f) & 1u);
}

static uint32_t partner_in(const struct net_ctx *c, uint32_t s, uint32_t f)
{
	for (uint32_t i = 0; i < c->match_count; i++) {
		const grens_net_stop_match *m = &c->matches[i];
		if (m->stop_a == s && c->tt->stop_feed[m->stop_b] == f)
			return m->stop_b;
		if (m->stop_b == s && c->tt->stop_feed[m->stop_a] == f)
			return m->stop_a;
	}
	return GRENS_NONE;
}

struct cell {
	UT_hash_handle hh;
	int64_t key;
	uint32_t first;
};

struct code_entry {
	UT_hash_handle hh;
	uint32_t first;
	char key[48];
};

int net_link_stops(struct net_ctx *c)
{
	int hash_oom = 0;
	grens_timetable *tt = c->tt;
	const grens_net_options *o = c->opts;
	uint32_t n = tt->stop_count;
	int rc = 0;
	struct pair_key *forbidden = NULL, *decided = NULL;
	struct cand *cands = NULL;
	uint32_t cand_count = 0, cand_cap = 0;
	uint64_t *matched = calloc(n ? n : 1, sizeof(uint64_t));
	uint32_t *up = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *next = malloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *code_next = malloc((n ? n : 1) * 2 * sizeof(uint32_t));
	char(*norm)[128] = calloc(n ? n : 1, sizeof(*norm));
	struct cell *cells = NULL, *cl, *cltmp;
	struct code_entry *codes = NULL, *ce, *cetmp;
	tt->stop_place = grens_arena_calloc(tt->arena, n ? n : 1, sizeof(uint32_t), 8);
	if (!matched || !up || !next || !code_next || !norm || !tt->stop_place) {
		rc = GRENS_ENOMEM;
		goto out;
	}
	for (uint32_t s = 0; s < n; s++) {
		up[s] = s;
		next[s] = GRENS_NONE;
		if (is_candidate(tt, s))
			grens_net_name_key(grens_net_str(tt, tt->stop_name[s]), norm[s],
					   sizeof(norm[s]));
	}

	if (c->feed_count > 1 && o->link_stops) {
		/* Explicit rows: forbid first, then force, then links. */
		const grens_net_links *L = o->links;
		for (int pass = 0; L && pass < 3; pass++) {
			int want = pass == 0   ? ACTION_FORBID
				   : pass == 1 ? ACTION_FORCE
					       : ACTION_LINK;
			for (uint32_t i = 0; i < L->count; i++) {
				const struct link_row *r = &L->rows[i];
				if (r->action != want)
					continue;
				uint32_t fa = feed_index(c, r->feed_a),
					 fb = feed_index(c, r->feed_b);
				if (fa == GRENS_NONE || fb == GRENS_NONE)
					continue; /* a feed that is not loaded: not an error */
				uint32_t sa = grens_gtfs_find_stop(c->feeds[fa], r->id_a);
				uint32_t sb = grens_gtfs_find_stop(c->feeds[fb], r->id_b);
				if (sa == GRENS_NONE || sb == GRENS_NONE || fa == fb) {
					c->links_unresolved++;
					grens_diag_add(c->diag, "link_unknown_stop",
						       GRENS_SEVERITY_WARNING, r->file, r->line,
						       sa == GRENS_NONE ? "stop_id_a" : "stop_id_b",
						       "%s:%s - %s:%s: %s; row skipped", r->feed_a,
						       r->id_a, r->feed_b, r->id_b,
						       fa == fb ? "both stops are in one feed"
								: "no such stop");
					continue;
				}
				sa += c->stop_base[fa];
				sb += c->stop_base[fb];
				uint64_t key = pair_of(sa, sb);
				if (pass == 0) {
					rc = pair_add(&forbidden, key);
					if (rc)
						goto out;
					continue;
				}
				if (pair_has(forbidden, key) || pair_has(decided, key))
					continue;
				rc = pair_add(&decided, key);
				if (!rc)
					rc = push_match(c, sa, sb,
							pass == 1 ? GRENS_NET_RULE_OVERRIDE
								  : GRENS_NET_RULE_LINKS);
				/* a forced override is meant to join what the rules would not */
				if (!rc && pass == 2)
					rc = check_far_link(c, r, sa, sb);
				if (rc)
					goto out;
				if (fb < 64)
					matched[sa] |= (uint64_t)1 << fb;
				if (fa < 64)
					matched[sb] |= (uint64_t)1 << fa;
			}
		}

		/* Station codes: a hash from code to the stops carrying it. */
		for (uint32_t s = 0; s < n; s++) {
			code_next[2 * s] = code_next[2 * s + 1] = GRENS_NONE;
			if (!is_candidate(tt, s))
				continue;
			const grens_gtfs_stop *gs =
			    &c->feeds[tt->stop_feed[s]]->stops[s - c->stop_base[tt->stop_feed[s]]];
			const char *srcs[2] = {gs->id, gs->code};
			char key[48];
			for (int k = 0; k < 2; k++) {
				if (!station_code(srcs[k], key, sizeof(key)))
					continue;
				HASH_FIND_STR(codes, key, ce);
				if (ce && k == 1 && ce->first == 2 * s)
					continue; /* id and code say the same */
				if (!ce) {
					ce = calloc(1, sizeof(*ce));
					if (!ce) {
						rc = GRENS_ENOMEM;
						goto out;
					}
					memcpy(ce->key, key, strlen(key) + 1);
					ce->first = GRENS_NONE;
					HASH_ADD_STR(codes, key, ce);
					if (hash_oom) {
						free(ce);
						rc = GRENS_ENOMEM;
						goto out;
					}
				}
				code_next[2 * s + (uint32_t)k] = ce->first;
				ce->first = 2 * s + (uint32_t)k;
			}
		}
		HASH_ITER(hh, codes, ce, cetmp)
		{
			for (uint32_t x = ce->first; x != GRENS_NONE; x = code_next[x])
				for (uint32_t y = code_next[x]; y != GRENS_NONE; y = code_next[y]) {
					uint32_t a = x / 2, b = y / 2;
					if (tt->stop_feed[a] == tt->stop_feed[b])
						continue;
					if (tt->stop_feed[a] > tt->stop_feed[b]) {
						uint32_t t = a;
						a = b;
						b = t;
					}
					rc = net_grow((void **)&cands, &cand_cap, sizeof(*cands),
						      cand_count + 1);
					if (rc)
						goto out;
					cands[cand_count++] = (struct cand){
					    a, b, GRENS_NET_RULE_CODE, stop_distance(tt, a, b)};
				}
		}

		/* Neighbours on a grid of cells `reach` wide. */
		double reach = 2.0 * o->link_name_radius_m;
		if (reach < 2.0 * o->link_distance_m)
			reach = 2.0 * o->link_distance_m;
		if (reach < 100.0)
			reach = 100.0;
		double cell_deg = reach / 111000.0;
		for (uint32_t s = 0; s < n; s++) {
			if (!is_candidate(tt, s) || isnan(tt->stop_lat[s]) ||
			    isnan(tt->stop_lon[s]))
				continue;
			int64_t key = (int64_t)floor(tt->stop_lat[s] / cell_deg) * 4000003 +
				      (int64_t)floor(tt->stop_lon[s] / cell_deg);
			HASH_FIND(hh, cells, &key, sizeof(key), cl);
			if (!cl) {
				cl = malloc(sizeof(*cl));
				if (!cl) {
					rc = GRENS_ENOMEM;
					goto out;
				}
				cl->key = key;
				cl->first = GRENS_NONE;
				HASH_ADD(hh, cells, key, sizeof(int64_t), cl);
				if (hash_oom) {
					free(cl);
					rc = GRENS_ENOMEM;
					goto out;
				}
			}
			next[s] = cl->first;
			cl->first = s;
		}
		for (uint32_t s = 0; s < n; s++) {
			if (!is_candidate(tt, s) || isnan(tt->stop_lat[s]) ||
			    isnan(tt->stop_lon[s]))
				continue;
			int64_t cy = (int64_t)floor(tt->stop_lat[s] / cell_deg);
			int64_t cx = (int64_t)floor(tt->stop_lon[s] / cell_deg);
			double coslat = cos(tt->stop_lat[s] * M_PI / 180.0);
			int64_t span = coslat > 0.05 ? (int64_t)ceil(1.0 / coslat) : 20;
			for (int64_t dy = -1; dy <= 1; dy++)
				for (int64_t dx = -span; dx <= span; dx++) {
					int64_t key = (cy + dy) * 4000003 + (cx + dx);
					HASH_FIND(hh, cells, &key, sizeof(key), cl);
					for (uint32_t t = cl ? cl->first : GRENS_NONE;
					     t != GRENS_NONE; t = next[t]) {
						if (tt->stop_feed[t] <= tt->stop_feed[s])
							continue; /* each pair once, other feeds
								     only */
						double d = stop_distance(tt, s, t);
						if (!(d <= reach))
							continue;
						int same =
						    norm[s][0] && strcmp(norm[s], norm[t]) == 0;
						grens_net_rule rule;
						if (same && d <= o->link_name_radius_m)
							rule = GRENS_NET_RULE_NAME;
						else if (d <= o->link_distance_m)
							rule = GRENS_NET_RULE_DISTANCE;
						else
							continue;
						rc = net_grow((void **)&cands, &cand_cap,
							      sizeof(*cands), cand_count + 1);
						if (rc)
							goto out;
						cands[cand_count++] = (struct cand){s, t, rule, d};
					}
				}
		}

		/* Decide: strongest rule, then nearest, one partner per feed. */
		if (cand_count)
			qsort(cands, cand_count, sizeof(*cands), cmp_cand);
		for (uint32_t i = 0; i < cand_count; i++) {
			const struct cand *cd = &cands[i];
			uint64_t key = pair_of(cd->a, cd->b);
			if (pair_has(decided, key))
				continue;
			uint32_t fa = tt->stop_feed[cd->a], fb = tt->stop_feed[cd->b];
			rc = pair_add(&decided, key);
			if (rc)
				goto out;
			if (pair_has(forbidden, key)) {
				rc = push_miss(c, cd->a, cd->b, cd->distance,
					       "forbidden by override (rule %s would match)",
					       grens_net_rule_name(cd->rule));
				if (rc)
					goto out;
				continue;
			}
			if (matched_to(matched, cd->a, fb) || matched_to(matched, cd->b, fa)) {
				int a_taken = matched_to(matched, cd->a, fb);
				uint32_t who = a_taken ? cd->a : cd->b;
				uint32_t other = partner_in(c, who, a_taken ? fb : fa);
				rc = push_miss(
				    c, cd->a, cd->b, cd->distance,
				    "rule %s, but %s:%s is already matched to %s:%s",
				    grens_net_rule_name(cd->rule),
				    c->feeds[tt->stop_feed[who]]->name,
				    grens_net_str(tt, tt->stop_id[who]),
				    other == GRENS_NONE ? "?"
							: c->feeds[tt->stop_feed[other]]->name,
				    other == GRENS_NONE ? "?"
							: grens_net_str(tt, tt->stop_id[other]));
				if (rc)
					goto out;
				continue;
			}
			rc = push_match(c, cd->a, cd->b, cd->rule);
			if (rc)
				goto out;
			if (fb < 64)
				matched[cd->a] |= (uint64_t)1 << fb;
			if (fa < 64)
				matched[cd->b] |= (uint64_t)1 << fa;
		}

		/* Near misses among neighbours that were not decided: the same
		 * name too far apart, similar names, or different names close by. */
		for (uint32_t s = 0; s < n; s++) {
			if (!is_candidate(tt, s) || isnan(tt->stop_lat[s]) ||
			    isnan(tt->stop_lon[s]))
				continue;
			int64_t cy = (int64_t)floor(tt->stop_lat[s] / cell_deg);
			int64_t cx = (int64_t)floor(tt->stop_lon[s] / cell_deg);
			double coslat = cos(tt->stop_lat[s] * M_PI / 180.0);
			int64_t span = coslat > 0.05 ? (int64_t)ceil(1.0 / coslat) : 20;
			for (int64_t dy = -1; dy <= 1; dy++)
				for (int64_t dx = -span; dx <= span; dx++) {
					int64_t key = (cy + dy) * 4000003 + (cx + dx);
					HASH_FIND(hh, cells, &key, sizeof(key), cl);
					for (uint32_t t = cl ? cl->first : GRENS_NONE;
					     t != GRENS_NONE; t = next[t]) {
						uint32_t fs = tt->stop_feed[s],
							 ft = tt->stop_feed[t];
						if (ft <= fs || pair_has(decided, pair_of(s, t)))
							continue;
						/* Only stops without a partner in the other feed.
						 */
						if (matched_to(matched, s, ft) &&
						    matched_to(matched, t, fs))
							continue;
						double d = stop_distance(tt, s, t);
						if (!(d <= reach))
							continue;
						size_t ls = strcspn(norm[s], " "),
						       lt = strcspn(norm[t], " ");
						int same = strcmp(norm[s], norm[t]) == 0;
						int similar = ls && ls == lt &&
							      memcmp(norm[s], norm[t], ls) == 0;
						if (same)
							rc =
							    push_miss(c, s, t, d,
								      "same name, but %.0f m apart "
								      "(name rule: within %.0f m)",
								      d, o->link_name_radius_m);
						else if (similar && d <= o->link_name_radius_m)
							rc = push_miss(
							    c, s, t, d,
							    "similar names, %.0f m apart; "
							    "names differ",
							    d);
						else if (d <= 4.0 * o->link_distance_m)
							rc = push_miss(
							    c, s, t, d,
							    "different names, %.0f m apart "
							    "(distance rule: within %.0f m)",
							    d, o->link_distance_m);
						if (rc)
							goto out;
					}
				}
		}
	}

	/* Places: a station with its platforms, joined with matched stations. */
	for (uint32_t s = 0; s < n; s++)
		if (tt->stop_parent[s] != GRENS_NONE)
			uf_union(up, s, tt->stop_parent[s]);
	for (uint32_t i = 0; i < c->match_count; i++)
		uf_union(up, c->matches[i].stop_a, c->matches[i].stop_b);
	for (uint32_t s = 0; s < n; s++)
		tt->stop_place[s] = uf_find(up, s);
out:
	pair_clear(&forbidden);
	pair_clear(&decided);
	HASH_ITER(hh, cells, cl, cltmp)
	{
		HASH_DEL(cells, cl);
		free(cl);
	}
	HASH_ITER(hh, codes, ce, cetmp)
	{
		HASH_DEL(codes, ce);
		free(ce);
	}
	free(cands);
	free(matched);
	free(up);
	free(next);
	free(code_next);
	free(norm);
	return rc;
}

const char *grens_net_rule_name(grens_net_rule rule)
{
	switch (rule) {
	case GRENS_NET_RULE_OVERRIDE:
		return "override";
	case GRENS_NET_RULE_LINKS:
		return "links";
	case GRENS_NET_RULE_CODE:
		return "code";
	case GRENS_NET_RULE_NAME:
		return "name";
	case GRENS_NET_RULE_DISTANCE:
		return "distance";
	}
	return "?";
}

const char *grens_net_merge_kind_name(grens_net_merge_kind kind)
{
	switch (kind) {
	case GRENS_NET_MERGE_SAME:
		return "same";
	case GRENS_NET_MERGE_CONTAINED:
		return "contained";
	case GRENS_NET_MERGE_JOINED:
		return "joined";
	}
	return "?";
}
