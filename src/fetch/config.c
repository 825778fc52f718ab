/* The feed list file: feeds.yaml (a `feeds:` list of mappings, `defaults:`
 * before them), or the older INI-like feeds.conf with [sections] and
 * key = value lines. Both syntaxes share one key table and one apply_key,
 * so a value means the same whichever way it is written. */
#include <errno.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/grens_yaml.h"
#include "grens/fetch.h"

struct grens_fetch_config {
	grens_fetch_feed *feeds;
	size_t count;
	size_t cap;
	grens_fetch_feed defaults; /* what every feed started from */
};

/* The per-feed numeric overrides, in the order they are written: the
 * value lives at off, an unsigned or a uint64_t as size says. */
static const struct numeric_key {
	const char *key;
	unsigned bit;
	uint64_t min, max;
	bool suffix; /* K/M/G allowed */
	size_t off, size;
} numeric_keys[] = {
#define FIELD(f) offsetof(grens_fetch_feed, f), sizeof(((grens_fetch_feed *)0)->f)
    {"max_bytes", GRENS_FETCH_SET_MAX_BYTES, 1, UINT64_MAX / 2, true, FIELD(max_bytes)},
    {"retries", GRENS_FETCH_SET_RETRIES, 0, GRENS_FETCH_MAX_RETRIES_CAP, false, FIELD(retries)},
    {"timeout", GRENS_FETCH_SET_TIMEOUT, 1, 86400, false, FIELD(timeout_s)},
    {"connect_timeout", GRENS_FETCH_SET_CONNECT_TIMEOUT, 1, 3600, false, FIELD(connect_timeout_s)},
    {"low_speed_time", GRENS_FETCH_SET_LOW_SPEED_TIME, 0, 3600, false, FIELD(low_speed_time_s)},
    {"low_speed_bytes", GRENS_FETCH_SET_LOW_SPEED_BYTES, 0, UINT32_MAX, true,
     FIELD(low_speed_bytes)},
    {"keep_versions", GRENS_FETCH_SET_KEEP_VERSIONS, 0, GRENS_FETCH_MAX_KEEP_VERSIONS, false,
     FIELD(keep_versions)},
    {"max_redirects", GRENS_FETCH_SET_MAX_REDIRECTS, 0, GRENS_FETCH_MAX_REDIRECTS_CAP, false,
     FIELD(max_redirects)},
    {"backoff_ms", GRENS_FETCH_SET_BACKOFF, 0, 600000, false, FIELD(backoff_ms)},
#undef FIELD
};
#define NUMERIC_KEYS (sizeof(numeric_keys) / sizeof(numeric_keys[0]))
_Static_assert(sizeof(unsigned) == 4, "unsigned fields hold up to UINT32_MAX");

static uint64_t numeric_get(const grens_fetch_feed *f, const struct numeric_key *nk)
{
	const char *at = (const char *)f + nk->off;
	if (nk->size == sizeof(uint64_t)) {
		uint64_t v;
		memcpy(&v, at, sizeof(v));
		return v;
	}
	unsigned v;
	memcpy(&v, at, sizeof(v));
	return v;
}

/* u is within nk's range, so it fits the field. */
static void numeric_set(grens_fetch_feed *f, const struct numeric_key *nk, uint64_t u)
{
	char *at = (char *)f + nk->off;
	f->set |= nk->bit;
	if (nk->size == sizeof(uint64_t)) {
		memcpy(at, &u, sizeof(u));
		return;
	}
	unsigned v = (unsigned)u;
	memcpy(at, &v, sizeof(v));
}

const char *grens_fetch_kind_name(grens_fetch_kind kind)
{
	return kind == GRENS_FETCH_GTFS_RT ? "gtfs-rt" : "gtfs";
}

int grens_fetch_kind_parse(const char *s, grens_fetch_kind *out)
{
	if (!s || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	if (strcmp(s, "gtfs") == 0) {
		*out = GRENS_FETCH_GTFS;
		return 0;
	}
	if (strcmp(s, "gtfs-rt") == 0) {
		*out = GRENS_FETCH_GTFS_RT;
		return 0;
	}
	return GRENS_EARG;
}

bool grens_fetch_name_valid(const char *name)
{
	if (!name)
		return false; /* NULL not allowed: docs/api.md */
	size_t n = strlen(name);
	if (n == 0 || n >= GRENS_FETCH_NAME_BYTES || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

/* Copy s into dst[cap]; GRENS_ELIMIT when it does not fit. */
static int copy_text(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		return GRENS_ELIMIT;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

/* A URL we are willing to request: http:// or https:// and no control
 * characters or spaces. */
static bool url_valid(const char *url)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
		return false;
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

int grens_fetch_feed_init(grens_fetch_feed *feed, const char *name, grens_fetch_kind kind,
			  const char *url, grens_error *err)
{
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_feed_init: feed is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_feed_init: name is NULL");
	if (!url)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_feed_init: url is NULL");
	grens_error_clear(err);
	memset(feed, 0, sizeof(*feed));
	feed->enabled = true;
	feed->kind = kind;
	if (!grens_fetch_name_valid(name))
		return grens_error_set(
		    err, GRENS_EARG,
		    "feed name '%s' must be 1..%u characters of A-Z a-z 0-9 . _ - "
		    "and not start with '.' or '-'",
		    name, GRENS_FETCH_NAME_BYTES - 1);
	copy_text(feed->name, sizeof(feed->name), name, strlen(name));
	if (!url_valid(url))
		return grens_error_set(err, GRENS_EARG,
				       "feed '%s': URL must start with http:// or https:// and "
				       "contain no spaces: '%s'",
				       name, url);
	if (copy_text(feed->url, sizeof(feed->url), url, strlen(url)))
		return grens_error_set(err, GRENS_EARG, "feed '%s': URL longer than %u bytes", name,
				       GRENS_FETCH_URL_BYTES - 1);
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* Trim [*s, *s + *len) in place. */
static void trim(const char **s, size_t *len)
{
	while (*len && is_space((*s)[0])) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

/* Parse an unsigned number in [min, max] with an optional K/M/G (binary)
 * suffix when allow_suffix. */
static int parse_unsigned(const char *s, size_t len, uint64_t min, uint64_t max, bool allow_suffix,
			  uint64_t *out)
{
	uint64_t mult = 1;
	if (allow_suffix && len > 0) {
		char c = s[len - 1];
		if (c == 'k' || c == 'K')
			mult = 1024;
		else if (c == 'm' || c == 'M')
			mult = 1024ull * 1024;
		else if (c == 'g' || c == 'G')
			mult = 1024ull * 1024 * 1024;
		if (mult != 1)
			len--;
	}
	int64_t v;
	int rc = grens_parse_i64(s, len, 0, INT64_MAX, &v);
	if (rc)
		return rc;
	uint64_t u;
	if (__builtin_mul_overflow((uint64_t)v, mult, &u))
		return GRENS_ELIMIT;
	if (u < min || u > max)
		return GRENS_ELIMIT;
	*out = u;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	static const char *yes[] = {"yes", "true", "on", "1"};
	static const char *no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return GRENS_EFORMAT;
}

/* "Name: value" into header; the name must be a token, the value free of CR/LF. */
static int parse_header(const char *value, grens_fetch_header *h, bool from_env)
{
	const char *colon = strchr(value, ':');
	if (!colon || colon == value)
		return GRENS_EFORMAT;
	size_t nlen = (size_t)(colon - value);
	for (size_t i = 0; i < nlen; i++) {
		char c = value[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_';
		if (!ok)
			return GRENS_EFORMAT;
	}
	const char *v = colon + 1;
	size_t vlen = strlen(v);
	trim(&v, &vlen);
	for (size_t i = 0; i < vlen; i++)
		if (v[i] == '\r' || v[i] == '\n')
			return GRENS_EFORMAT;
	memset(h, 0, sizeof(*h));
	if (copy_text(h->name, sizeof(h->name), value, nlen))
		return GRENS_ELIMIT;
	if (from_env) {
		if (vlen == 0)
			return GRENS_EFORMAT;
		for (size_t i = 0; i < vlen; i++) {
			char c = v[i];
			bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
				  (i > 0 && c >= '0' && c <= '9');
			if (!ok)
				return GRENS_EFORMAT;
		}
		return copy_text(h->env, sizeof(h->env), v, vlen);
	}
	return copy_text(h->value, sizeof(h->value), v, vlen);
}

struct parse_state {
	const char *file;
	uint32_t line, column; /* column 0 in the INI syntax */
	grens_fetch_feed defaults;
	grens_fetch_feed *cur; /* current section, or &defaults */
	bool have_kind;
	bool in_defaults;
};

static int fail_at(grens_error *err, const struct parse_state *st, const char *key, int code,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail_at(grens_error *err, const struct parse_state *st, const char *key, int code,
		   const char *fmt, ...)
{
	char msg[sizeof(err->message)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	grens_error_set(err, code, "%s", msg);
	grens_error_at(err, st->file, st->line, st->column, key);
	return code;
}

/* Apply one key = value to the current section. */
static int apply_key(struct parse_state *st, const char *key, const char *value, grens_error *err)
{
	grens_fetch_feed *f = st->cur;
	uint64_t u = 0;
	int rc = 0;
	for (size_t i = 0; i < NUMERIC_KEYS; i++) {
		const struct numeric_key *nk = &numeric_keys[i];
		if (strcmp(key, nk->key) != 0)
			continue;
		rc = parse_unsigned(value, strlen(value), nk->min, nk->max, nk->suffix, &u);
		if (rc == GRENS_ELIMIT) {
			char range[64];
			snprintf(range, sizeof(range), "%llu..%llu", (unsigned long long)nk->min,
				 (unsigned long long)nk->max);
			return fail_at(err, st, key, GRENS_EFORMAT, "value '%s' out of range %s",
				       value, range);
		}
		if (rc)
			return fail_at(err, st, key, GRENS_EFORMAT, "'%s' is not a number%s", value,
				       nk->suffix ? " (K/M/G suffix allowed)" : "");
		numeric_set(f, nk, u);
		return 0;
	}
	if (strcmp(key, "enabled") == 0) {
		if (parse_bool(value, &f->enabled))
			return fail_at(err, st, key, GRENS_EFORMAT, "'%s' is not yes/no", value);
		return 0;
	}
	if (strcmp(key, "licence") == 0 || strcmp(key, "license") == 0) {
		if (copy_text(f->licence, sizeof(f->licence), value, strlen(value)))
			return fail_at(err, st, key, GRENS_EFORMAT,
				       "licence longer than 255 bytes");
		return 0;
	}
	if (strcmp(key, "clip") == 0) {
		if (copy_text(f->clip, sizeof(f->clip), value, strlen(value)))
			return fail_at(err, st, key, GRENS_EFORMAT, "clip longer than 255 bytes");
		return 0;
	}
	if (strcmp(key, "header") == 0 || strcmp(key, "header_env") == 0) {
		bool env = strcmp(key, "header_env") == 0;
		if (f->header_count >= GRENS_FETCH_MAX_HEADERS)
			return fail_at(err, st, key, GRENS_ELIMIT, "more than %u headers",
				       GRENS_FETCH_MAX_HEADERS);
		rc = parse_header(value, &f->headers[f->header_count], env);
		if (rc)
			return fail_at(err, st, key, GRENS_EFORMAT,
				       "expected 'Header-Name: %s', got '%s'",
				       env ? "ENV_VARIABLE" : "value", value);
		f->header_count++;
		return 0;
	}
	if (st->in_defaults)
		return fail_at(err, st, key, GRENS_EFORMAT, "key '%s' is not allowed in [%s]", key,
			       "defaults");
	if (strcmp(key, "kind") == 0) {
		if (grens_fetch_kind_parse(value, &f->kind))
			return fail_at(err, st, key, GRENS_EFORMAT,
				       "kind must be gtfs or gtfs-rt, not '%s'", value);
		st->have_kind = true;
		return 0;
	}
	if (strcmp(key, "url") == 0 || strcmp(key, "mirror") == 0) {
		bool mirror = key[0] == 'm';
		if (!url_valid(value))
			return fail_at(err, st, key, GRENS_EFORMAT,
				       "'%s' is not an http:// or https:// URL", value);
		if (mirror && f->mirror_count >= GRENS_FETCH_MAX_MIRRORS)
			return fail_at(err, st, key, GRENS_ELIMIT, "more than %u mirrors",
				       GRENS_FETCH_MAX_MIRRORS);
		char *dst = mirror ? f->mirrors[f->mirror_count] : f->url;
		if (copy_text(dst, GRENS_FETCH_URL_BYTES, value, strlen(value)))
			return fail_at(err, st, key, GRENS_EFORMAT, "URL longer than %u bytes",
				       GRENS_FETCH_URL_BYTES - 1);
		if (mirror)
			f->mirror_count++;
		return 0;
	}
	return fail_at(err, st, key, GRENS_EFORMAT, "unknown key '%s'", key);
}

/* Check the section just finished. */
static int finish_section(struct parse_state *st, grens_error *err)
{
	if (st->in_defaults || !st->cur)
		return 0;
	grens_fetch_feed *f = st->cur;
	uint32_t line = st->line, column = st->column;
	st->line = f->line;
	st->column = 0;
	int rc = 0;
	if (!f->url[0])
		rc = fail_at(err, st, "url", GRENS_EFORMAT, "feed [%s] has no url", f->name);
	else if (!st->have_kind)
		rc = fail_at(err, st, "kind", GRENS_EFORMAT,
			     "feed [%s] has no kind (gtfs or gtfs-rt)", f->name);
	st->line = line;
	st->column = column;
	return rc;
}

static int new_section(grens_fetch_config *cfg, struct parse_state *st, const char *name,
		       size_t len, grens_error *err)
{
	char nm[GRENS_FETCH_NAME_BYTES];
	int rc = finish_section(st, err);
	if (rc)
		return rc;
	if (len >= sizeof(nm))
		return fail_at(err, st, NULL, GRENS_EFORMAT, "section name longer than %u bytes",
			       GRENS_FETCH_NAME_BYTES - 1);
	memcpy(nm, name, len);
	nm[len] = '\0';
	if (strcmp(nm, "defaults") == 0) {
		if (cfg->count > 0)
			return fail_at(err, st, NULL, GRENS_EFORMAT,
				       "[%s] must come before the first feed", nm);
		st->cur = &st->defaults;
		st->in_defaults = true;
		return 0;
	}
	st->in_defaults = false;
	if (!grens_fetch_name_valid(nm))
		return fail_at(err, st, NULL, GRENS_EFORMAT,
			       "feed name '%s' must be characters of A-Z a-z 0-9 . _ - and not "
			       "start with '.' or '-'",
			       nm);
	if (grens_fetch_config_find(cfg, nm))
		return fail_at(err, st, NULL, GRENS_EFORMAT, "feed [%s] defined twice", nm);
	if (cfg->count >= GRENS_FETCH_MAX_FEEDS)
		return fail_at(err, st, NULL, GRENS_ELIMIT, "more than %u feeds",
			       GRENS_FETCH_MAX_FEEDS);
	if (cfg->count == cfg->cap) {
		size_t ncap = cfg->cap ? cfg->cap * 2 : 8;
		size_t bytes;
		if (grens_size_mul(ncap, sizeof(*cfg->feeds), &bytes))
			return grens_error_set(err, GRENS_ENOMEM, "feed list too large");
		grens_fetch_feed *nf = realloc(cfg->feeds, bytes);
		if (!nf)
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
		cfg->feeds = nf;
		cfg->cap = ncap;
	}
	grens_fetch_feed *f = &cfg->feeds[cfg->count++];
	*f = st->defaults;
	memcpy(f->name, nm, len + 1);
	f->line = st->line;
	st->cur = f;
	st->have_kind = false;
	return 0;
}

/* The older syntax: [name] sections of key = value lines. */
static int parse_ini(grens_fetch_config *cfg, struct parse_state *st, const char *text, size_t len,
		     grens_error *err)
{
	int rc = 0;
	char key[64];
	char value[GRENS_FETCH_URL_BYTES];
	size_t pos = 0;
	while (pos < len) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;
		pos += llen + (nl ? 1 : 0);
		st->line++;
		if (llen && line[llen - 1] == '\r')
			llen--;
		if (st->line == 1 && llen >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3;
			llen -= 3;
		}
		if (memchr(line, '\0', llen)) {
			rc = fail_at(err, st, NULL, GRENS_EFORMAT, "NUL byte in line");
			return rc;
		}
		trim(&line, &llen);
		if (llen == 0 || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			if (line[llen - 1] != ']' || llen < 3) {
				rc = fail_at(err, st, NULL, GRENS_EFORMAT, "expected '[name]'");
				return rc;
			}
			const char *nm = line + 1;
			size_t nlen = llen - 2;
			trim(&nm, &nlen);
			rc = new_section(cfg, st, nm, nlen, err);
			if (rc)
				return rc;
			continue;
		}
		const char *eq = memchr(line, '=', llen);
		if (!eq) {
			rc = fail_at(err, st, NULL, GRENS_EFORMAT,
				     "expected 'key = value' or '[name]'");
			return rc;
		}
		const char *k = line;
		size_t klen = (size_t)(eq - line);
		const char *v = eq + 1;
		size_t vlen = llen - klen - 1;
		trim(&k, &klen);
		trim(&v, &vlen);
		if (klen == 0 || copy_text(key, sizeof(key), k, klen)) {
			rc = fail_at(err, st, NULL, GRENS_EFORMAT, "bad key before '='");
			return rc;
		}
		if (copy_text(value, sizeof(value), v, vlen)) {
			rc = fail_at(err, st, key, GRENS_EFORMAT, "value longer than %zu bytes",
				     sizeof(value) - 1);
			return rc;
		}
		if (!st->cur) {
			rc = fail_at(err, st, key, GRENS_EFORMAT,
				     "'%s' before the first [name] section", key);
			return rc;
		}
		rc = apply_key(st, key, value, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* Keys of a feed in feeds.yaml: the INI keys, with mirror, header and
 * header_env taking a list. */
static const char *const yaml_feed_keys[] = {
    "name",
    "kind",
    "url",
    "mirror",
    "licence",
    "license",
    "clip",
    "header",
    "header_env",
    "enabled",
    "max_bytes",
    "retries",
    "timeout",
    "connect_timeout",
    "low_speed_time",
    "low_speed_bytes",
    "keep_versions",
    "max_redirects",
    "backoff_ms",
    NULL,
};

static bool repeatable(const char *key)
{
	return strcmp(key, "mirror") == 0 || strcmp(key, "header") == 0 ||
	       strcmp(key, "header_env") == 0;
}

/* One scalar value of key, applied to the current feed at its position. */
static int yaml_value(grens_yaml *y, struct parse_state *st, const char *key, yaml_node_t *node,
		      grens_error *err)
{
	const char *v;
	size_t vlen;
	int rc = grens_yaml_text(y, node, key, &v, &vlen, err);
	if (rc)
		return rc;
	char value[GRENS_FETCH_URL_BYTES];
	st->line = grens_yaml_line(node);
	st->column = grens_yaml_column(node);
	if (copy_text(value, sizeof(value), v, vlen))
		return fail_at(err, st, key, GRENS_EFORMAT, "value longer than %zu bytes",
			       sizeof(value) - 1);
	return apply_key(st, key, value, err);
}

/* Every key: value of one mapping (a feed or the defaults), in file order. */
static int yaml_keys(grens_yaml *y, struct parse_state *st, yaml_node_t *map, grens_error *err)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = grens_yaml_node(y, p->key);
		yaml_node_t *v = grens_yaml_node(y, p->value);
		const char *key = (const char *)k->data.scalar.value; /* checked by check_keys */
		if (strcmp(key, "name") == 0)
			continue;
		int rc = 0;
		if (v->type == YAML_SEQUENCE_NODE && repeatable(key)) {
			for (yaml_node_item_t *it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top && !rc; it++)
				rc = yaml_value(y, st, key, grens_yaml_node(y, *it), err);
		} else {
			rc = yaml_value(y, st, key, v, err);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* feeds.yaml: `defaults:` (a mapping) and `feeds:` (a list of mappings,
 * each with a name). */
static int parse_yaml(grens_fetch_config *cfg, struct parse_state *st, const char *text, size_t len,
		      grens_error *err)
{
	static const char *const top_keys[] = {"defaults", "feeds", NULL};
	static const char *const default_keys[] = {
	    "licence",	     "license",		"clip",		  "header",
	    "header_env",    "enabled",		"max_bytes",	  "retries",
	    "timeout",	     "connect_timeout", "low_speed_time", "low_speed_bytes",
	    "keep_versions", "max_redirects",	"backoff_ms",	  NULL,
	};
	grens_yaml y;
	int rc = grens_yaml_load(&y, text, len, st->file, 8, err);
	if (rc)
		goto done;
	yaml_node_t *root = grens_yaml_root(&y);
	if (!root)
		goto done; /* an empty file: no feeds */
	rc = grens_yaml_check_keys(&y, root, "feed list", top_keys, err);
	if (rc)
		goto done;
	yaml_node_t *defaults = grens_yaml_get(&y, root, "defaults");
	if (defaults) {
		rc = grens_yaml_check_keys(&y, defaults, "defaults", default_keys, err);
		if (rc)
			goto done;
		st->cur = &st->defaults;
		st->in_defaults = true;
		rc = yaml_keys(&y, st, defaults, err);
		st->in_defaults = false;
		st->cur = NULL;
		if (rc)
			goto done;
	}
	yaml_node_t *feeds = grens_yaml_get(&y, root, "feeds");
	if (!feeds)
		goto done;
	if (feeds->type != YAML_SEQUENCE_NODE) {
		rc = grens_yaml_fail(&y, err, GRENS_EFORMAT, feeds, "feeds",
				     "feeds: expected a list of feeds (- name: ...)");
		goto done;
	}
	for (yaml_node_item_t *it = feeds->data.sequence.items.start;
	     it < feeds->data.sequence.items.top; it++) {
		yaml_node_t *feed = grens_yaml_node(&y, *it);
		rc = grens_yaml_check_keys(&y, feed, "feed", yaml_feed_keys, err);
		if (rc)
			goto done;
		yaml_node_t *name = grens_yaml_get(&y, feed, "name");
		if (!name) {
			rc = grens_yaml_fail(&y, err, GRENS_EFORMAT, feed, "name",
					     "feed: 'name' is required");
			goto done;
		}
		const char *nm;
		size_t nlen;
		rc = grens_yaml_text(&y, name, "name", &nm, &nlen, err);
		if (rc)
			goto done;
		if (strcmp(nm, "defaults") == 0) {
			/* the INI reader's [defaults]; here it is a key of its own */
			rc = grens_yaml_fail(&y, err, GRENS_EFORMAT, name, "name",
					     "name: 'defaults' is not a feed name (use the "
					     "top-level 'defaults:' mapping)");
			goto done;
		}
		st->line = grens_yaml_line(feed);
		st->column = grens_yaml_column(feed);
		rc = new_section(cfg, st, nm, nlen, err);
		if (rc)
			goto done;
		/* new_section's checks name the name, at its position */
		rc = yaml_keys(&y, st, feed, err);
		if (rc)
			goto done;
		rc = finish_section(st, err);
		if (rc)
			goto done;
		st->cur = NULL;
	}
done:
	grens_yaml_free(&y);
	return rc;
}

int grens_fetch_config_parse(grens_fetch_config **out, const char *text, size_t len,
			     const char *file, grens_diag *diag, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_parse: out is NULL");
	if (!text && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_parse: text is NULL");
	*out = NULL;
	int rc = 0;
	grens_error_clear(err);
	grens_fetch_config *cfg = calloc(1, sizeof(*cfg));
	if (!cfg)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	struct parse_state st;
	memset(&st, 0, sizeof(st));
	st.file = file ? file : "feeds.yaml";
	st.defaults.enabled = true;
	if (grens_config_is_ini(file, text, len)) {
		grens_diag_add(diag, "deprecated_syntax", GRENS_SEVERITY_WARNING, st.file, 0, "",
			       "INI syntax is deprecated; see grens-feeds.yaml(5); convert with "
			       "grens config convert");
		rc = parse_ini(cfg, &st, text, len, err);
		if (!rc)
			rc = finish_section(&st, err);
	} else {
		rc = parse_yaml(cfg, &st, text, len, err);
	}
	if (rc)
		goto fail;
	cfg->defaults = st.defaults;
	*out = cfg;
	return 0;
fail:
	grens_fetch_config_free(cfg);
	return rc;
}

int grens_fetch_config_load(grens_fetch_config **out, const char *path, grens_diag *diag,
			    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_load: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_load: path is NULL");
	*out = NULL;
	int rc = 0;
	char *buf = NULL;
	grens_error_clear(err);
	FILE *f = fopen(path, "rb");
	if (!f) {
		rc = grens_error_set(err, GRENS_EIO, "cannot open: %s", strerror(errno));
		grens_error_at(err, path, 0, 0, NULL);
		return rc;
	}
	buf = malloc(GRENS_FETCH_CONFIG_MAX_BYTES + 1);
	if (!buf) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	size_t n = fread(buf, 1, GRENS_FETCH_CONFIG_MAX_BYTES + 1, f);
	if (ferror(f)) {
		rc = grens_error_set(err, GRENS_EIO, "read error");
		grens_error_at(err, path, 0, 0, NULL);
		goto fail;
	}
	if (n > GRENS_FETCH_CONFIG_MAX_BYTES) {
		rc = grens_error_set(err, GRENS_ELIMIT, "larger than %u bytes",
				     GRENS_FETCH_CONFIG_MAX_BYTES);
		grens_error_at(err, path, 0, 0, NULL);
		goto fail;
	}
	rc = grens_fetch_config_parse(out, buf, n, path, diag, err);
fail:
	free(buf);
	fclose(f);
	return rc;
}

/* A byte count with the largest K/M/G suffix that divides it. */
static void write_bytes(FILE *out, uint64_t u)
{
	static const char suffix[] = {'G', 'M', 'K'};
	for (int i = 0; i < 3; i++) {
		uint64_t unit = 1ull << (10 * (3 - i));
		if (u && u % unit == 0) {
			fprintf(out, "%llu%c", (unsigned long long)(u / unit), suffix[i]);
			return;
		}
	}
	fprintf(out, "%llu", (unsigned long long)u);
}

static void write_key(FILE *out, const char *indent, const char *key, const char *value)
{
	fprintf(out, "%s%s: ", indent, key);
	grens_yaml_write_scalar(out, value);
	fputc('\n', out);
}

/* What f says beyond base (the defaults it started from; NULL: write all
 * of it): the keys of one mapping at indent. */
static void write_overrides(FILE *out, const char *indent, const grens_fetch_feed *f,
			    const grens_fetch_feed *base)
{
	if (f->licence[0] && (!base || strcmp(f->licence, base->licence) != 0))
		write_key(out, indent, "licence", f->licence);
	if (f->clip[0] && (!base || strcmp(f->clip, base->clip) != 0))
		write_key(out, indent, "clip", f->clip);
	unsigned from = base ? base->header_count : 0; /* a feed's list starts with the defaults' */
	for (int env = 0; env < 2; env++) {
		bool any = false;
		for (unsigned i = from; i < f->header_count; i++) {
			const grens_fetch_header *h = &f->headers[i];
			if ((h->env[0] != 0) != env)
				continue;
			if (!any)
				fprintf(out, "%s%s:\n", indent, env ? "header_env" : "header");
			any = true;
			char line[GRENS_FETCH_TEXT_BYTES + GRENS_FETCH_VALUE_BYTES + 4];
			snprintf(line, sizeof(line), "%s: %s", h->name, env ? h->env : h->value);
			fprintf(out, "%s  - ", indent);
			grens_yaml_write_scalar(out, line);
			fputc('\n', out);
		}
	}
	if (f->enabled != (base ? base->enabled : true))
		fprintf(out, "%senabled: %s\n", indent, f->enabled ? "yes" : "no");
	for (size_t i = 0; i < NUMERIC_KEYS; i++) {
		const struct numeric_key *nk = &numeric_keys[i];
		uint64_t v = numeric_get(f, nk);
		if (!(f->set & nk->bit) ||
		    (base && (base->set & nk->bit) && numeric_get(base, nk) == v))
			continue;
		fprintf(out, "%s%s: ", indent, nk->key);
		if (nk->suffix)
			write_bytes(out, v);
		else
			fprintf(out, "%llu", (unsigned long long)v);
		fputc('\n', out);
	}
}

int grens_fetch_config_write_yaml(const grens_fetch_config *config, FILE *out, grens_error *err)
{
	if (!config)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_write_yaml: config is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_config_write_yaml: out is NULL");
	grens_error_clear(err);
	const grens_fetch_feed *d = &config->defaults;
	grens_fetch_feed plain;
	memset(&plain, 0, sizeof(plain));
	plain.enabled = true;
	/* only what the defaults change */
	if (d->set || d->licence[0] || d->clip[0] || d->header_count || !d->enabled) {
		fputs("defaults:\n", out);
		write_overrides(out, "  ", d, &plain);
	}
	fputs(config->count ? "feeds:\n" : "feeds: []\n", out);
	for (size_t i = 0; i < config->count; i++) {
		const grens_fetch_feed *f = &config->feeds[i];
		if (i)
			fputc('\n', out);
		fputs("  - name: ", out);
		grens_yaml_write_scalar(out, f->name);
		fputc('\n', out);
		write_key(out, "    ", "kind", grens_fetch_kind_name(f->kind));
		write_key(out, "    ", "url", f->url);
		if (f->mirror_count) {
			fputs("    mirror:\n", out);
			for (unsigned m = 0; m < f->mirror_count; m++) {
				fputs("      - ", out);
				grens_yaml_write_scalar(out, f->mirrors[m]);
				fputc('\n', out);
			}
		}
		write_overrides(out, "    ", f, d);
	}
	if (ferror(out) || fflush(out) != 0)
		return grens_error_set(err, GRENS_EIO, "write error");
	return 0;
}

void grens_fetch_config_free(grens_fetch_config *config)
{
	if (!config)
		return;
	free(config->feeds);
	free(config);
}

size_t grens_fetch_config_count(const grens_fetch_config *config)
{
	return config ? config->count : 0;
}

grens_fetch_feed *grens_fetch_config_feed(grens_fetch_config *config, size_t i)
{
	return config && i < config->count ? &config->feeds[i] : NULL;
}

grens_fetch_feed *grens_fetch_config_find(grens_fetch_config *config, const char *name)
{
	if (!name)
		return NULL; /* NULL not allowed: docs/api.md */
	for (size_t i = 0; config && i < config->count; i++)
		if (strcmp(config->feeds[i].name, name) == 0)
			return &config->feeds[i];
	return NULL;
}
