/* Decoding GTFS-realtime FeedMessages with protobuf-c, with a bounded input
 * size, a bounded decoded size, and errors that say what the bytes were
 * instead (an HTML page, a truncated message, a missing header). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rt_internal.h"

/* Each block carries its size in front so free can return it to the count. */
typedef union alloc_head {
	size_t size;
	max_align_t align;
} alloc_head;

static void *cap_alloc(void *ctx, size_t size)
{
	rt_alloc_state *st = ctx;
	size_t total;
	if (grens_size_add(size, sizeof(alloc_head), &total) != 0 || total > st->limit - st->used) {
		st->exceeded = 1;
		return NULL;
	}
	alloc_head *h = malloc(total);
	if (!h)
		return NULL;
	h->size = total;
	st->used += total;
	return h + 1;
}

static void cap_free(void *ctx, void *ptr)
{
	rt_alloc_state *st = ctx;
	if (!ptr)
		return;
	alloc_head *h = (alloc_head *)ptr - 1;
	st->used -= h->size;
	free(h);
}

/* ---- diagnosing bytes that did not decode ---------------------------------- */

typedef struct wire_walk {
	const uint8_t *p;
	size_t len;
	size_t pos;
	const char *problem; /* static reason when the walk failed */
	size_t problem_at;
} wire_walk;

static int read_varint(wire_walk *w, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 70; shift += 7) {
		if (w->pos >= w->len) {
			w->problem = "message ends inside a varint (truncated)";
			return -1;
		}
		uint8_t b = w->p[w->pos++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	w->problem = "varint longer than 10 bytes";
	return -1;
}

/* Read one field: its number, wire type and, for length-delimited fields,
 * the payload slice. Returns 0, 1 at the end, -1 on bad bytes. */
static int next_field(wire_walk *w, uint32_t *field, unsigned *wire_type, const uint8_t **payload,
		      size_t *payload_len)
{
	if (w->pos >= w->len)
		return 1;
	w->problem_at = w->pos;
	uint64_t key, v;
	if (read_varint(w, &key) != 0)
		return -1;
	*field = (uint32_t)(key >> 3);
	*wire_type = (unsigned)(key & 7);
	*payload = NULL;
	*payload_len = 0;
	if ((key >> 3) == 0 || (key >> 3) > 536870911u) {
		w->problem = "invalid field number";
		return -1;
	}
	switch (*wire_type) {
	case 0:
		return read_varint(w, &v);
	case 1:
		if (w->len - w->pos < 8) {
			w->problem = "message ends inside a 64-bit field (truncated)";
			return -1;
		}
		w->pos += 8;
		return 0;
	case 5:
		if (w->len - w->pos < 4) {
			w->problem = "message ends inside a 32-bit field (truncated)";
			return -1;
		}
		w->pos += 4;
		return 0;
	case 2:
		if (read_varint(w, &v) != 0)
			return -1;
		if (v > w->len - w->pos) {
			w->problem = "length-delimited field runs past the end (truncated)";
			return -1;
		}
		*payload = w->p + w->pos;
		*payload_len = (size_t)v;
		w->pos += (size_t)v;
		return 0;
	default:
		w->problem = "invalid wire type (not a protobuf message)";
		return -1;
	}
}

/* Does the message in p[0..len) have a well-formed field `want`? */
static int has_field(const uint8_t *p, size_t len, uint32_t want)
{
	wire_walk w = {p, len, 0, NULL, 0};
	uint32_t f;
	unsigned wt;
	const uint8_t *pl;
	size_t pll;
	int found = 0;
	int r = next_field(&w, &f, &wt, &pl, &pll);
	while (r == 0) {
		if (f == want)
			found = 1;
		r = next_field(&w, &f, &wt, &pl, &pll);
	}
	return r < 0 ? -1 : found;
}

static int looks_like_text(const uint8_t *p, size_t len)
{
	size_t n = len < 256 ? len : 256;
	size_t i = 0;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	for (; i < n; i++) {
		uint8_t c = p[i];
		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
			return 0;
		if (c == 0x7f)
			return 0;
	}
	return 1;
}

static int diagnose(const uint8_t *p, size_t len, const char *name, grens_error *err)
{
	size_t i = 0;
	while (i < len && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t'))
		i++;
	if (len - i >= 3 && p[i] == 0xef && p[i + 1] == 0xbb && p[i + 2] == 0xbf)
		i += 3;
	if (i < len && p[i] == '<')
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: an HTML or XML page (starts with '<'), not a "
				       "GTFS-realtime protobuf FeedMessage",
				       name);
	if (looks_like_text(p, len))
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: plain text (first byte '%c'), not a GTFS-realtime "
				       "protobuf FeedMessage",
				       name, p[0] >= 0x20 && p[0] < 0x7f ? p[0] : '?');

	wire_walk w = {p, len, 0, NULL, 0};
	uint32_t f;
	unsigned wt;
	const uint8_t *pl, *header = NULL;
	size_t pll, header_len = 0;
	uint32_t entity = 0;
	int r;
	for (r = next_field(&w, &f, &wt, &pl, &pll); r == 0;
	     r = next_field(&w, &f, &wt, &pl, &pll)) {
		if (f == 1 && wt == 2) {
			header = pl;
			header_len = pll;
		} else if (f == 2 && wt == 2) {
			int id = has_field(pl, pll, 1);
			if (id < 0)
				return grens_error_set(
				    err, GRENS_EFORMAT,
				    "%s: entity %u (at byte %zu) is corrupt: not a valid message",
				    name, entity, w.problem_at);
			if (id == 0)
				return grens_error_set(err, GRENS_EFORMAT,
						       "%s: entity %u (at byte %zu) has no id",
						       name, entity, w.problem_at);
			entity++;
		}
	}
	if (r < 0)
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: not a valid FeedMessage: %s at byte %zu of %zu", name,
				       w.problem, w.problem_at, len);
	if (!header)
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: FeedMessage has no header (field 1 missing)", name);
	int v = has_field(header, header_len, 1);
	if (v < 0)
		return grens_error_set(err, GRENS_EFORMAT, "%s: FeedMessage header is corrupt",
				       name);
	if (v == 0)
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: FeedMessage header has no gtfs_realtime_version", name);
	return grens_error_set(err, GRENS_EFORMAT,
			       "%s: FeedMessage does not decode: a nested message lacks a "
			       "required field or has a field of the wrong type",
			       name);
}

/* ---- decoding --------------------------------------------------------------- */

static void summarize(grens_rt_feed *feed)
{
	const TransitRealtime__FeedMessage *m = feed->msg;
	grens_rt_feed_summary *s = &feed->summary;
	memset(s, 0, sizeof(*s));
	s->version = m->header->gtfs_realtime_version;
	s->incrementality = m->header->has_incrementality &&
				    m->header->incrementality ==
					TRANSIT_REALTIME__FEED_HEADER__INCREMENTALITY__DIFFERENTIAL
				? GRENS_RT_DIFFERENTIAL
				: GRENS_RT_FULL_DATASET;
	s->timestamp = m->header->has_timestamp && m->header->timestamp <= (uint64_t)RT_TIME_LIMIT
			   ? (int64_t)m->header->timestamp
			   : 0;
	s->entities = m->n_entity > UINT32_MAX ? UINT32_MAX : (uint32_t)m->n_entity;
	for (size_t i = 0; i < m->n_entity; i++) {
		const TransitRealtime__FeedEntity *e = m->entity[i];
		if (e->has_is_deleted && e->is_deleted)
			s->deleted++;
		if (e->trip_update)
			s->trip_updates++;
		if (e->vehicle)
			s->vehicle_positions++;
		if (e->alert)
			s->alerts++;
	}
}

int grens_rt_decode(grens_rt_feed **out, const uint8_t *buf, size_t len, const char *name,
		    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_decode: out is NULL");
	if (!buf && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_decode: buf is NULL");
	*out = NULL;
	if (!name)
		name = "FeedMessage";
	if (len == 0)
		return grens_error_set(err, GRENS_EFORMAT,
				       "%s: empty (0 bytes), not a GTFS-realtime FeedMessage",
				       name);
	if (len > GRENS_LIMIT_RT_BYTES)
		return grens_error_set(err, GRENS_ELIMIT,
				       "%s: %zu bytes, more than the limit of %u bytes", name, len,
				       GRENS_LIMIT_RT_BYTES);
	grens_rt_feed *feed = calloc(1, sizeof(*feed));
	if (!feed)
		return grens_error_set(err, GRENS_ENOMEM, "%s: out of memory", name);
	snprintf(feed->name, sizeof(feed->name), "%s", name);
	feed->alloc_state.limit = (size_t)GRENS_LIMIT_RT_DECODED_BYTES;
	feed->allocator.alloc = cap_alloc;
	feed->allocator.free = cap_free;
	feed->allocator.allocator_data = &feed->alloc_state;
	feed->msg = transit_realtime__feed_message__unpack(&feed->allocator, len, buf);
	if (!feed->msg) {
		int rc;
		if (feed->alloc_state.exceeded)
			rc =
			    grens_error_set(err, GRENS_ELIMIT,
					    "%s: decoded message would take more than %llu bytes",
					    name, (unsigned long long)GRENS_LIMIT_RT_DECODED_BYTES);
		else
			rc = diagnose(buf, len, name, err);
		free(feed);
		return rc;
	}
	summarize(feed);
	*out = feed;
	return 0;
}

void grens_rt_feed_free(grens_rt_feed *feed)
{
	if (!feed)
		return;
	if (feed->msg)
		transit_realtime__feed_message__free_unpacked(feed->msg, &feed->allocator);
	free(feed);
}

void grens_rt_feed_summarize(const grens_rt_feed *feed, grens_rt_feed_summary *out)
{
	if (!feed || !out)
		return; /* NULL not allowed: docs/api.md */
	*out = feed->summary;
}

int rt_read_file(const char *path, uint8_t **out, size_t *out_len, grens_error *err)
{
	*out = NULL;
	*out_len = 0;
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return grens_error_set(err, errno == ENOENT ? GRENS_ENOTFOUND : GRENS_EIO,
				       "%s: cannot open: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = grens_error_set(err, GRENS_EFORMAT, "%s: a directory, not a FeedMessage file",
				     path);
		goto fail;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size > GRENS_LIMIT_RT_BYTES) {
		rc = grens_error_set(err, GRENS_ELIMIT,
				     "%s: %lld bytes, more than the limit of %u bytes", path,
				     (long long)st.st_size, GRENS_LIMIT_RT_BYTES);
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			if (cap >= GRENS_LIMIT_RT_BYTES + 1u) {
				rc = grens_error_set(err, GRENS_ELIMIT,
						     "%s: more than the limit of %u bytes", path,
						     GRENS_LIMIT_RT_BYTES);
				goto fail;
			}
			size_t ncap = cap ? cap * 2 : 64 * 1024;
			if (ncap > GRENS_LIMIT_RT_BYTES + 1u)
				ncap = GRENS_LIMIT_RT_BYTES + 1u;
			uint8_t *nb = realloc(buf, ncap);
			if (!nb) {
				rc = grens_error_set(err, GRENS_ENOMEM, "%s: out of memory", path);
				goto fail;
			}
			buf = nb;
			cap = ncap;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			if (ferror(f)) {
				rc = grens_error_set(err, GRENS_EIO, "%s: read error", path);
				goto fail;
			}
			break;
		}
	}
	if (len > GRENS_LIMIT_RT_BYTES) {
		rc = grens_error_set(err, GRENS_ELIMIT, "%s: more than the limit of %u bytes", path,
				     GRENS_LIMIT_RT_BYTES);
		goto fail;
	}
	fclose(f);
	*out = buf;
	*out_len = len;
	return 0;
fail:
	fclose(f);
	free(buf);
	return rc;
}

int grens_rt_decode_file(grens_rt_feed **out, const char *path, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_decode_file: out is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_decode_file: path is NULL");
	uint8_t *buf;
	size_t len;
	*out = NULL;
	int rc = rt_read_file(path, &buf, &len, err);
	if (rc == 0)
		rc = grens_rt_decode(out, buf, len, path, err);
	free(buf);
	if (rc != 0)
		grens_error_at(err, path, 0, 0, NULL);
	return rc;
}

int grens_rt_check(const char *path, grens_error *err)
{
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_check: path is NULL");
	grens_rt_feed *feed;
	int rc = grens_rt_decode_file(&feed, path, err);
	grens_rt_feed_free(feed);
	return rc;
}
