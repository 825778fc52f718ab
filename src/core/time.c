#include <stdio.h>

#include "grens/core.h"

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + (int)d;
	}
	*out = v;
	return 0;
}

int grens_time_parse(const char *s, size_t len, int allow_hhmm, int32_t *out)
{
	if ((!s && len) || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	/* H:MM:SS, HH:MM:SS, HHH:MM:SS; optionally H:MM / HH:MM. */
	size_t colon = 0;
	while (colon < len && s[colon] != ':')
		colon++;
	if (colon == 0 || colon > 3 || colon == len)
		return GRENS_EFORMAT;
	int h, m, sec = 0;
	if (digits(s, colon, &h))
		return GRENS_EFORMAT;
	size_t rest = len - colon - 1;
	const char *r = s + colon + 1;
	if (rest == 5 && r[2] == ':') {
		if (digits(r, 2, &m) || digits(r + 3, 2, &sec))
			return GRENS_EFORMAT;
	} else if (rest == 2 && allow_hhmm) {
		if (digits(r, 2, &m))
			return GRENS_EFORMAT;
	} else {
		return GRENS_EFORMAT;
	}
	if (m > 59 || sec > 59 || h > GRENS_LIMIT_MAX_HOURS)
		return GRENS_ELIMIT;
	*out = (int32_t)(h * 3600 + m * 60 + sec);
	return 0;
}

void grens_time_format(int32_t secs, char *buf, size_t bufsz)
{
	if (!buf)
		return; /* NULL not allowed: docs/api.md */
	if (secs == GRENS_TIME_NONE) {
		snprintf(buf, bufsz, "--:--:--");
		return;
	}
	const char *sign = "";
	int64_t v = secs;
	if (v < 0) {
		sign = "-";
		v = -v;
	}
	snprintf(buf, bufsz, "%s%02d:%02d:%02d", sign, (int)(v / 3600), (int)(v / 60 % 60),
		 (int)(v % 60));
}

/* Days from civil, after H. Hinnant's public-domain algorithm. */
grens_date grens_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (grens_date)(era * 146097 + (int)doe - 719468);
}

void grens_date_to_ymd(grens_date z0, int *y, int *m, int *d)
{
	if (!y || !m || !d)
		return; /* NULL not allowed: docs/api.md */
	int z = z0 + 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int yy = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (mm <= 2);
	*m = (int)mm;
	*d = (int)dd;
}

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int ymd_check(int y, int m, int d, grens_date *out)
{
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return GRENS_EFORMAT;
	*out = grens_date_from_ymd(y, m, d);
	return 0;
}

int grens_date_parse_gtfs(const char *s, size_t len, grens_date *out)
{
	if ((!s && len) || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	int y, m, d;
	if (len != 8 || digits(s, 4, &y) || digits(s + 4, 2, &m) || digits(s + 6, 2, &d))
		return GRENS_EFORMAT;
	return ymd_check(y, m, d, out);
}

int grens_date_parse_iso(const char *s, size_t len, grens_date *out)
{
	if ((!s && len) || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	int y, m, d;
	if (len != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
	    digits(s + 8, 2, &d))
		return GRENS_EFORMAT;
	return ymd_check(y, m, d, out);
}

int grens_date_weekday(grens_date date)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (int)(((int64_t)date + 3) % 7);
	return w < 0 ? w + 7 : w;
}

void grens_date_format_iso(grens_date date, char *buf, size_t bufsz)
{
	if (!buf)
		return; /* NULL not allowed: docs/api.md */
	int y, m, d;
	grens_date_to_ymd(date, &y, &m, &d);
	snprintf(buf, bufsz, "%04d-%02d-%02d", y, m, d);
}
