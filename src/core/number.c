#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "grens/core.h"

int grens_parse_i64(const char *s, size_t len, int64_t min, int64_t max, int64_t *out)
{
	if ((!s && len) || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	size_t i = 0;
	int neg = 0;
	if (len == 0)
		return GRENS_EFORMAT;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
		if (len == 1)
			return GRENS_EFORMAT;
	}
	uint64_t v = 0;
	for (; i < len; i++) {
		unsigned d = (unsigned char)s[i] - '0';
		if (d > 9)
			return GRENS_EFORMAT;
		if (v > (UINT64_MAX - d) / 10)
			return GRENS_ELIMIT;
		v = v * 10 + d;
	}
	if (!neg && v > (uint64_t)INT64_MAX)
		return GRENS_ELIMIT;
	if (neg && v > (uint64_t)INT64_MAX + 1)
		return GRENS_ELIMIT;
	int64_t r = neg ? (int64_t)(0 - v) : (int64_t)v;
	if (r < min || r > max)
		return GRENS_ELIMIT;
	*out = r;
	return 0;
}

int grens_parse_double(const char *s, size_t len, double *out)
{
	if ((!s && len) || !out)
		return GRENS_EINVAL; /* NULL not allowed: docs/api.md */
	char buf[64];
	if (len == 0 || len >= sizeof(buf))
		return GRENS_EFORMAT;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
		      c == 'E'))
			return GRENS_EFORMAT;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	char *end = NULL;
	errno = 0;
	double v = strtod(buf, &end);
	if (end != buf + len || errno == ERANGE || !isfinite(v))
		return GRENS_EFORMAT;
	*out = v;
	return 0;
}
