/* UTC offsets from the system time zone database (TZif files, RFC 8536).
 *
 * The library must not change the process's TZ (setenv/tzset are global and
 * not thread-safe), so zones are read directly: the version 2+ body with
 * 64-bit transition times, and the POSIX TZ footer for instants after the
 * last transition (slim TZif files end their table early). net/ uses it to
 * put linked feeds on one time base, rt/ to read absolute realtime times. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grens/core.h"
#include "grens/limits.h"

struct rule_date {
	int month, week, weekday; /* Mm.w.d */
	int32_t time;		  /* seconds after local midnight, may be negative or > 24h */
};

struct grens_tz {
	uint32_t count;	      /* transitions */
	int64_t *when;	      /* [count] UTC seconds */
	int32_t *offset;      /* [count] UTC offset after the transition */
	int32_t first_offset; /* before the first transition */
	/* POSIX footer, for instants after the last transition. */
	int has_footer, footer_dst;
	int32_t std_offset, dst_offset;
	struct rule_date start, end;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int zone_name_ok(const char *zone)
{
	if (!zone[0] || zone[0] == '/' || strlen(zone) > 128 || strstr(zone, ".."))
		return 0;
	for (const char *c = zone; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '+' || *c == '/'))
			return 0;
	return 1;
}

/* ---- POSIX TZ strings: "CET-1CEST,M3.5.0,M10.5.0/3" ------------------------- */

static const char *skip_name(const char *p)
{
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p ? p + 1 : NULL;
	}
	const char *s = p;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
		p++;
	return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] -> seconds. */
static const char *parse_hms(const char *p, int32_t *out)
{
	int sign = 1;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	int32_t parts[3] = {0, 0, 0};
	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return i ? p : NULL;
		int32_t v = 0;
		while (*p >= '0' && *p <= '9' && v < 1000)
			v = v * 10 + (*p++ - '0');
		parts[i] = v;
		if (*p != ':' || i == 2)
			break;
		p++;
	}
	*out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
	return p;
}

static const char *parse_rule_date(const char *p, struct rule_date *r)
{
	if (*p != 'M')
		return NULL; /* Jn and n forms are not used by the zones we meet */
	int v[3];
	p++;
	for (int i = 0; i < 3; i++) {
		if (*p < '0' || *p > '9')
			return NULL;
		v[i] = 0;
		while (*p >= '0' && *p <= '9' && v[i] < 100)
			v[i] = v[i] * 10 + (*p++ - '0');
		if (i < 2 && *p++ != '.')
			return NULL;
	}
	if (v[0] < 1 || v[0] > 12 || v[1] < 1 || v[1] > 5 || v[2] > 6)
		return NULL;
	r->month = v[0];
	r->week = v[1];
	r->weekday = v[2];
	r->time = 7200;
	if (*p == '/')
		p = parse_hms(p + 1, &r->time);
	return p;
}

static int parse_footer(grens_tz *tz, const char *s)
{
	int32_t std;
	const char *p = skip_name(s);
	if (!p || !(p = parse_hms(p, &std)))
		return -1;
	tz->std_offset = -std;
	tz->footer_dst = 0;
	if (*p == '\0') {
		tz->has_footer = 1;
		return 0;
	}
	if (!(p = skip_name(p)))
		return -1;
	tz->dst_offset = tz->std_offset + 3600;
	if (*p != ',') {
		int32_t dst;
		if (!(p = parse_hms(p, &dst)))
			return -1;
		tz->dst_offset = -dst;
	}
	if (*p++ != ',' || !(p = parse_rule_date(p, &tz->start)) || *p++ != ',' ||
	    !(p = parse_rule_date(p, &tz->end)) || *p != '\0')
		return -1;
	tz->has_footer = 1;
	tz->footer_dst = 1;
	return 0;
}

/* UTC instant of a rule date in a year, given the offset in force before it. */
static int64_t rule_utc(const struct rule_date *r, int year, int32_t offset_before)
{
	grens_date first = grens_date_from_ymd(year, r->month, 1);
	/* grens weekday: 0 = Monday; POSIX: 0 = Sunday. */
	int wd_first = (grens_date_weekday(first) + 1) % 7;
	int day = 1 + (r->weekday - wd_first + 7) % 7 + 7 * (r->week - 1);
	int next_y = r->month == 12 ? year + 1 : year, next_m = r->month == 12 ? 1 : r->month + 1;
	int days_in_month = (int)(grens_date_from_ymd(next_y, next_m, 1) - first);
	while (day > days_in_month)
		day -= 7;
	return ((int64_t)first + day - 1) * 86400 + r->time - offset_before;
}

static int32_t footer_offset(const grens_tz *tz, int64_t utc)
{
	if (!tz->footer_dst)
		return tz->std_offset;
	int y, m, d;
	grens_date_to_ymd((grens_date)(utc / 86400), &y, &m, &d);
	int64_t start = rule_utc(&tz->start, y, tz->std_offset);
	int64_t end = rule_utc(&tz->end, y, tz->dst_offset);
	if (start < end) /* northern hemisphere */
		return utc >= start && utc < end ? tz->dst_offset : tz->std_offset;
	return utc >= end && utc < start ? tz->std_offset : tz->dst_offset;
}

/* ---- TZif ------------------------------------------------------------------------ */

/* 0, 1 when buf is not a valid TZif file, GRENS_ENOMEM. */
static int parse_tzif(grens_tz *tz, const unsigned char *buf, size_t len)
{
	if (len < 44 || memcmp(buf, "TZif", 4) != 0)
		return 1;
	int version = buf[4];
	size_t pos = 0;
	int time_size = 4;
	for (int pass = 0; pass < 2; pass++) {
		if (pos + 44 > len || memcmp(buf + pos, "TZif", 4) != 0)
			return 1;
		uint32_t isutcnt = be32(buf + pos + 20), isstdcnt = be32(buf + pos + 24),
			 leapcnt = be32(buf + pos + 28), timecnt = be32(buf + pos + 32),
			 typecnt = be32(buf + pos + 36), charcnt = be32(buf + pos + 40);
		if (timecnt > 100000 || typecnt == 0 || typecnt > 256 || leapcnt > 100000 ||
		    charcnt > 100000 || isutcnt > 256 || isstdcnt > 256)
			return 1;
		uint64_t body = (uint64_t)timecnt * (uint64_t)time_size + timecnt + typecnt * 6u +
				charcnt + (uint64_t)leapcnt * (uint64_t)(time_size + 4) + isstdcnt +
				isutcnt;
		if (pos + 44 + body > len)
			return 1;
		if (version >= '2' && pass == 0) {
			/* Skip the 32-bit body; the 64-bit one follows. */
			pos += 44 + body;
			time_size = 8;
			continue;
		}
		const unsigned char *times = buf + pos + 44;
		const unsigned char *idx = times + (size_t)timecnt * (size_t)time_size;
		const unsigned char *types = idx + timecnt;
		tz->count = timecnt;
		tz->when = calloc(timecnt ? timecnt : 1, sizeof(int64_t));
		tz->offset = calloc(timecnt ? timecnt : 1, sizeof(int32_t));
		if (!tz->when || !tz->offset)
			return GRENS_ENOMEM;
		for (uint32_t i = 0; i < timecnt; i++) {
			tz->when[i] = time_size == 8 ? be64(times + 8 * (size_t)i)
						     : (int32_t)be32(times + 4 * (size_t)i);
			if (idx[i] >= typecnt)
				return 1;
			tz->offset[i] = (int32_t)be32(types + 6 * (size_t)idx[i]);
		}
		/* Before the first transition: the first standard-time type. */
		tz->first_offset = (int32_t)be32(types);
		for (uint32_t t = 0; t < typecnt; t++) {
			if (!types[6 * t + 4]) {
				tz->first_offset = (int32_t)be32(types + 6 * t);
				break;
			}
		}
		pos += 44 + body;
		if (time_size == 8 && pos < len && buf[pos] == '\n') {
			const unsigned char *end = memchr(buf + pos + 1, '\n', len - pos - 1);
			if (end && end - (buf + pos + 1) < 128) {
				char footer[128];
				size_t n = (size_t)(end - (buf + pos + 1));
				memcpy(footer, buf + pos + 1, n);
				footer[n] = '\0';
				if (n && parse_footer(tz, footer) != 0)
					tz->has_footer = 0;
			}
		}
		return 0;
	}
	return 1;
}

void grens_tz_free(grens_tz *tz)
{
	if (!tz)
		return;
	free(tz->when);
	free(tz->offset);
	free(tz);
}

int grens_tz_load(grens_tz **out, const char *dir, const char *zone, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_tz_load: out is NULL");
	if (!zone)
		return grens_error_set(err, GRENS_EINVAL, "grens_tz_load: zone is NULL");
	*out = NULL;
	if (!zone_name_ok(zone))
		return grens_error_set(err, GRENS_ENOTFOUND, "'%s' is not a time zone name", zone);
	char path[1024];
	int n = snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/usr/share/zoneinfo", zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return grens_error_set(err, GRENS_ELIMIT, "time zone path too long");
	FILE *f = fopen(path, "rb");
	if (!f)
		return grens_error_set(err, GRENS_ENOTFOUND,
				       "unknown time zone '%s' (%s: %s; is tzdata installed?)",
				       zone, path, strerror(errno));
	unsigned char *buf = malloc(GRENS_LIMIT_TZIF_BYTES);
	grens_tz *tz = calloc(1, sizeof(*tz));
	int rc = 0;
	if (!buf || !tz) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	size_t len = fread(buf, 1, GRENS_LIMIT_TZIF_BYTES, f);
	if (ferror(f)) {
		rc = grens_error_set(err, GRENS_EIO, "%s: read error", path);
		goto fail;
	}
	if (len == GRENS_LIMIT_TZIF_BYTES) {
		rc = grens_error_set(err, GRENS_ELIMIT, "%s: larger than %u bytes", path,
				     GRENS_LIMIT_TZIF_BYTES);
		goto fail;
	}
	rc = parse_tzif(tz, buf, len);
	if (rc) {
		rc = rc == GRENS_ENOMEM
			 ? grens_error_set(err, GRENS_ENOMEM, "out of memory")
			 : grens_error_set(err, GRENS_EFORMAT, "%s: not a valid TZif file", path);
		goto fail;
	}
	*out = tz;
	tz = NULL;
fail:
	fclose(f);
	free(buf);
	grens_tz_free(tz);
	return rc;
}

int32_t grens_tz_offset(const grens_tz *tz, int64_t utc)
{
	if (!tz)
		return 0;
	if (tz->count == 0 || utc < tz->when[0])
		return tz->count == 0 && tz->has_footer ? footer_offset(tz, utc) : tz->first_offset;
	if (utc >= tz->when[tz->count - 1] && tz->has_footer)
		return footer_offset(tz, utc);
	uint32_t lo = 0, hi = tz->count; /* last transition <= utc */
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (tz->when[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offset[lo];
}

int32_t grens_tz_noon_offset(const grens_tz *tz, grens_date d)
{
	if (!tz)
		return 0; /* NULL not allowed: docs/api.md */
	int64_t noon = (int64_t)d * 86400 + 12 * 3600;
	int32_t off = grens_tz_offset(tz, noon);
	return grens_tz_offset(tz, noon - off);
}

int64_t grens_tz_day_start(const grens_tz *tz, grens_date date)
{
	return (int64_t)date * 86400 - grens_tz_noon_offset(tz, date);
}

grens_date grens_tz_local_date(const grens_tz *tz, int64_t utc)
{
	if (!tz)
		return GRENS_DATE_NONE; /* NULL not allowed: docs/api.md */
	int64_t local = utc + grens_tz_offset(tz, utc);
	int64_t d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	return (grens_date)d;
}
