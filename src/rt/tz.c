/* Time zones from the system TZ database, read directly from TZif files so
 * that converting between POSIX times and GTFS service days never changes
 * the process's TZ (setenv + tzset would be global state). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

#define TZ_DIR "/usr/share/zoneinfo"
#define TZ_MAX_FILE (1024 * 1024)

static int zone_name_ok(const char *z)
{
	size_t n = strlen(z);
	if (n == 0 || n > 128 || z[0] == '/' || strstr(z, ".."))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = z[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const uint8_t *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static void read_counts(const uint8_t *h, tzif_counts *c)
{
	c->isut = be32(h + 20);
	c->isstd = be32(h + 24);
	c->leap = be32(h + 28);
	c->time = be32(h + 32);
	c->type = be32(h + 36);
	c->chars = be32(h + 40);
}

/* Size of a data block with time values of tsize bytes; 0 on overflow. */
static size_t block_size(const tzif_counts *c, size_t tsize)
{
	uint64_t n = (uint64_t)c->time * tsize + c->time + (uint64_t)c->type * 6 + c->chars +
		     (uint64_t)c->leap * (tsize + 4) + c->isstd + c->isut;
	return n > TZ_MAX_FILE ? 0 : (size_t)n;
}

int rt_tz_load(rt_tz *tz, const char *zone, grens_error *err)
{
	memset(tz, 0, sizeof(*tz));
	uint8_t *buf = NULL;
	int rc = 0;
	char path[256];
	if (!zone_name_ok(zone))
		return grens_error_set(err, GRENS_ENOTFOUND, "time zone \"%s\": not a zone name",
				       zone);
	snprintf(path, sizeof(path), "%s/%s", TZ_DIR, zone);
	FILE *f = fopen(path, "rb");
	if (!f)
		return grens_error_set(err, GRENS_ENOTFOUND, "time zone \"%s\": %s: %s", zone, path,
				       strerror(errno));
	buf = malloc(TZ_MAX_FILE);
	if (!buf) {
		fclose(f);
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	}
	size_t len = fread(buf, 1, TZ_MAX_FILE, f);
	fclose(f);

	tzif_counts c;
	const uint8_t *data;
	size_t tsize = 4;
	if (len < 44 || memcmp(buf, "TZif", 4) != 0)
		goto bad;
	read_counts(buf, &c);
	size_t b1 = block_size(&c, 4);
	if (b1 == 0 && (c.time || c.type))
		goto bad;
	data = buf + 44;
	if (buf[4] >= '2') {
		/* Version 2+: skip the 32-bit block, use the 64-bit one. */
		if (len < 44 + b1 + 44 || memcmp(buf + 44 + b1, "TZif", 4) != 0)
			goto bad;
		read_counts(buf + 44 + b1, &c);
		data = buf + 44 + b1 + 44;
		tsize = 8;
	}
	size_t b = block_size(&c, tsize);
	if (c.type == 0 || b == 0 || (size_t)(data - buf) + b > len)
		goto bad;
	const uint8_t *times = data;
	const uint8_t *idx = times + (size_t)c.time * tsize;
	const uint8_t *types = idx + c.time;
	tz->at = calloc(c.time ? c.time : 1, sizeof(*tz->at));
	tz->offset = calloc(c.time ? c.time : 1, sizeof(*tz->offset));
	if (!tz->at || !tz->offset) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	/* Before the first transition: the first standard-time type (RFC 8536
	 * says type 0 in current files). */
	tz->before = (int32_t)be32(types);
	for (uint32_t i = 0; i < c.type; i++) {
		if (types[i * 6 + 4] == 0) {
			tz->before = (int32_t)be32(types + i * 6);
			break;
		}
	}
	for (uint32_t i = 0; i < c.time; i++) {
		uint8_t k = idx[i];
		if (k >= c.type)
			goto bad;
		tz->at[i] = tsize == 8 ? be64(times + (size_t)i * 8)
				       : (int64_t)(int32_t)be32(times + (size_t)i * 4);
		if (i > 0 && tz->at[i] < tz->at[i - 1])
			goto bad;
		tz->offset[i] = (int32_t)be32(types + (size_t)k * 6);
	}
	tz->count = c.time;
	if (tsize == 8) {
		/* Footer: "\n" POSIX-TZ "\n" after the 64-bit block. */
		const uint8_t *foot = data + b, *end = buf + len;
		if (foot < end && *foot == '\n') {
			const uint8_t *nl = memchr(foot + 1, '\n', (size_t)(end - foot - 1));
			if (nl && rt_tz_parse_rule(tz, (const char *)foot + 1,
						   (size_t)(nl - foot - 1)) != 0)
				tz->has_rule = false; /* unsupported form: keep the last offset */
		}
	}
	free(buf);
	return 0;
bad:
	rc = grens_error_set(err, GRENS_EFORMAT, "time zone \"%s\": %s is not a valid TZif file",
			     zone, path);
fail:
	free(buf);
	rt_tz_free(tz);
	return rc;
}

void rt_tz_free(rt_tz *tz)
{
	free(tz->at);
	free(tz->offset);
	memset(tz, 0, sizeof(*tz));
}

/* ---- POSIX TZ rules (RFC 8536 footer) ----------------------------------- */

typedef struct rule_cursor {
	const char *s;
	size_t len, pos;
} rule_cursor;

static int rc_peek(const rule_cursor *c)
{
	return c->pos < c->len ? (unsigned char)c->s[c->pos] : -1;
}

static int rc_number(rule_cursor *c, int max, int *out)
{
	int v = 0, digits = 0;
	while (rc_peek(c) >= '0' && rc_peek(c) <= '9') {
		v = v * 10 + (c->s[c->pos++] - '0');
		if (++digits > 3 || v > max)
			return -1;
	}
	*out = v;
	return digits ? 0 : -1;
}

/* A zone abbreviation: letters, or anything between < and >. */
static int rc_name(rule_cursor *c)
{
	size_t start = c->pos;
	if (rc_peek(c) == '<') {
		while (c->pos < c->len && c->s[c->pos] != '>')
			c->pos++;
		if (rc_peek(c) != '>')
			return -1;
		c->pos++;
		return 0;
	}
	while ((rc_peek(c) >= 'A' && rc_peek(c) <= 'Z') || (rc_peek(c) >= 'a' && rc_peek(c) <= 'z'))
		c->pos++;
	return c->pos - start >= 3 ? 0 : -1;
}

/* [+-]hh[:mm[:ss]] in seconds; hours up to 167 (RFC 8536). */
static int rc_hms(rule_cursor *c, int32_t *out)
{
	int sign = 1, h, m = 0, sec = 0;
	if (rc_peek(c) == '+' || rc_peek(c) == '-')
		sign = c->s[c->pos++] == '-' ? -1 : 1;
	if (rc_number(c, 167, &h) != 0)
		return -1;
	if (rc_peek(c) == ':') {
		c->pos++;
		if (rc_number(c, 59, &m) != 0)
			return -1;
		if (rc_peek(c) == ':') {
			c->pos++;
			if (rc_number(c, 59, &sec) != 0)
				return -1;
		}
	}
	*out = sign * (h * 3600 + m * 60 + sec);
	return 0;
}

static int rc_switch(rule_cursor *c, rt_tz_switch *sw)
{
	if (rc_peek(c) != ',')
		return -1;
	c->pos++;
	if (rc_peek(c) != 'M') /* Jn and n forms are not used by tzdata */
		return -1;
	c->pos++;
	if (rc_number(c, 12, &sw->month) != 0 || sw->month < 1 || rc_peek(c) != '.')
		return -1;
	c->pos++;
	if (rc_number(c, 5, &sw->week) != 0 || sw->week < 1 || rc_peek(c) != '.')
		return -1;
	c->pos++;
	if (rc_number(c, 6, &sw->weekday) != 0)
		return -1;
	sw->time = 7200;
	if (rc_peek(c) == '/') {
		c->pos++;
		if (rc_hms(c, &sw->time) != 0)
			return -1;
	}
	return 0;
}

int rt_tz_parse_rule(rt_tz *tz, const char *s, size_t len)
{
	rule_cursor c = {s, len, 0};
	int32_t std;
	tz->has_rule = false;
	if (rc_name(&c) != 0 || rc_hms(&c, &std) != 0)
		return -1;
	tz->rule_std = -std; /* POSIX offsets count west */
	tz->rule_dst = false;
	if (c.pos < c.len) {
		int32_t dst = std - 3600;
		if (rc_name(&c) != 0)
			return -1;
		if (rc_peek(&c) != ',' && rc_hms(&c, &dst) != 0)
			return -1;
		if (rc_switch(&c, &tz->rule_start) != 0 || rc_switch(&c, &tz->rule_end) != 0)
			return -1;
		tz->rule_dst = true;
		tz->rule_dst_off = -dst;
	}
	if (c.pos != c.len)
		return -1;
	tz->has_rule = true;
	return 0;
}

/* Day number of the switch's day in year y. */
static grens_date switch_day(int y, const rt_tz_switch *sw)
{
	grens_date first = grens_date_from_ymd(y, sw->month, 1);
	/* grens weekdays: 0 = Monday; POSIX: 0 = Sunday. */
	int wd_first = (grens_date_weekday(first) + 1) % 7;
	grens_date d = first + (sw->weekday - wd_first + 7) % 7 + (sw->week - 1) * 7;
	int ny = sw->month == 12 ? y + 1 : y, nm = sw->month == 12 ? 1 : sw->month + 1;
	grens_date next = grens_date_from_ymd(ny, nm, 1);
	while (d >= next) /* week 5: the last such weekday */
		d -= 7;
	return d;
}

static int32_t rule_offset(const rt_tz *tz, int64_t t)
{
	if (!tz->rule_dst)
		return tz->rule_std;
	int y, m, d;
	int64_t local = t + tz->rule_std;
	grens_date_to_ymd((grens_date)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400)),
			  &y, &m, &d);
	/* Switch instants in UTC: into DST at local standard time, out of it at
	 * local daylight time. */
	int64_t on =
	    (int64_t)switch_day(y, &tz->rule_start) * 86400 + tz->rule_start.time - tz->rule_std;
	int64_t off =
	    (int64_t)switch_day(y, &tz->rule_end) * 86400 + tz->rule_end.time - tz->rule_dst_off;
	bool dst = on < off ? (t >= on && t < off) : (t >= on || t < off); /* southern */
	return dst ? tz->rule_dst_off : tz->rule_std;
}

int32_t rt_tz_offset(const rt_tz *tz, int64_t t)
{
	if (tz->has_rule && (tz->count == 0 || t > tz->at[tz->count - 1]))
		return rule_offset(tz, t);
	if (tz->count == 0 || t < tz->at[0])
		return tz->before;
	uint32_t lo = 0, hi = tz->count; /* last transition <= t is in [lo, hi) */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tz->at[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offset[lo];
}

int64_t rt_tz_day_start(const rt_tz *tz, grens_date date)
{
	/* Local noon as if it were UTC, corrected by the offset in force at
	 * noon (twice, so a transition between UTC noon and local noon is
	 * seen); noon never falls in a DST gap. */
	int64_t naive = (int64_t)date * 86400 + 43200;
	int64_t t = naive - rt_tz_offset(tz, naive);
	t = naive - rt_tz_offset(tz, t);
	return t - 43200;
}

grens_date rt_tz_local_date(const rt_tz *tz, int64_t t)
{
	int64_t local = t + rt_tz_offset(tz, t);
	int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	return (grens_date)d;
}

int grens_rt_day_start(const char *zone, grens_date date, int64_t *out, grens_error *err)
{
	rt_tz tz;
	int rc = rt_tz_load(&tz, zone, err);
	if (rc != 0)
		return rc;
	*out = rt_tz_day_start(&tz, date);
	rt_tz_free(&tz);
	return 0;
}

int grens_rt_local_date(const char *zone, int64_t t, grens_date *out, grens_error *err)
{
	rt_tz tz;
	int rc = rt_tz_load(&tz, zone, err);
	if (rc != 0)
		return rc;
	*out = rt_tz_local_date(&tz, t);
	rt_tz_free(&tz);
	return 0;
}
