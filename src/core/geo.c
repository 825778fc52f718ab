#include <math.h>

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
