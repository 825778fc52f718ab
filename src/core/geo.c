#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "grens/core.h"

double grens_geo_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371008.8; /* mean Earth radius (IUGG) */
	const double k = M_PI / 180.0;
	double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
	if (a > 1.0)
		a = 1.0;
	return 2 * r * asin(sqrt(a));
}

/* ---- countries ------------------------------------------------------------ */

/* The NL–DE border from the tripoint with Belgium near Vaals to the Dollart,
 * as (lon, lat), coarse but on the right side of every station near it
 * (Herzogenrath DE / Eygelshoven NL, Kaldenkirchen DE / Venlo NL). */
static const double border[][2] = {
	{ 6.021, 50.754 }, { 6.040, 50.800 }, { 6.050, 50.830 }, { 6.088, 50.866 },
	{ 6.078, 50.895 }, { 6.030, 50.930 }, { 5.980, 50.980 }, { 5.890, 51.000 },
	{ 5.870, 51.040 }, { 5.950, 51.060 }, { 6.080, 51.140 }, { 6.170, 51.250 },
	{ 6.190, 51.330 }, { 6.220, 51.370 }, { 6.100, 51.600 }, { 5.950, 51.780 },
	{ 6.170, 51.840 }, { 6.400, 51.830 }, { 6.720, 51.900 }, { 6.830, 52.070 },
	{ 7.060, 52.240 }, { 7.070, 52.640 }, { 7.210, 53.240 }, { 7.200, 53.600 },
};
/* The rest of the Netherlands, from the Dollart west and south to the
 * Belgian border back to the tripoint. */
static const double nl_rest[][2] = {
	{ 4.700, 53.600 }, { 3.300, 51.900 }, { 3.360, 51.370 }, { 3.800, 51.210 },
	{ 4.240, 51.360 }, { 4.400, 51.450 }, { 4.770, 51.500 }, { 5.040, 51.470 },
	{ 5.240, 51.300 }, { 5.480, 51.300 }, { 5.560, 51.220 }, { 5.840, 51.160 },
	{ 5.780, 51.030 }, { 5.760, 50.950 }, { 5.640, 50.840 }, { 5.690, 50.755 },
};
/* The rest of Germany, from the tripoint along Belgium and Luxembourg, the
 * south and the east very coarsely, and the coast back to the Dollart. */
static const double de_rest[][2] = {
	{ 6.150, 50.600 }, { 6.400, 50.300 }, { 6.100, 49.500 }, { 7.500, 47.500 },
	{ 15.100, 47.200 }, { 15.100, 54.500 }, { 8.500, 55.100 },
};

#define N_BORDER (sizeof(border) / sizeof(border[0]))

const double (*grens_geo_nl_de_border(size_t *n))[2]
{
	if (!n)
		return NULL; /* NULL not allowed: docs/api.md */
	*n = N_BORDER;
	return border;
}

/* Ray casting over the border followed by the rest (border reversed for
 * Germany, which lies on its other side). */
static bool inside(const double (*rest)[2], size_t nrest, bool reverse, double lon, double lat)
{
	size_t n = N_BORDER + nrest;
	bool in = false;
	for (size_t i = 0, j = n - 1; i < n; j = i++) {
		const double *a = i < N_BORDER ? border[reverse ? N_BORDER - 1 - i : i]
					       : rest[i - N_BORDER];
		const double *b = j < N_BORDER ? border[reverse ? N_BORDER - 1 - j : j]
					       : rest[j - N_BORDER];
		if ((a[1] > lat) != (b[1] > lat) &&
		    lon < (b[0] - a[0]) * (lat - a[1]) / (b[1] - a[1]) + a[0])
			in = !in;
	}
	return in;
}

const char *grens_geo_country(double lat, double lon)
{
	if (!isfinite(lat) || !isfinite(lon))
		return "";
	if (inside(nl_rest, sizeof(nl_rest) / sizeof(nl_rest[0]), false, lon, lat))
		return "NL";
	if (inside(de_rest, sizeof(de_rest) / sizeof(de_rest[0]), true, lon, lat))
		return "DE";
	return "";
}
