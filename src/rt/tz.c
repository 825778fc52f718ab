/* The two public time zone helpers of rt/: one-shot wrappers over the
 * TZif reader in core (grens_tz_*), for callers that hold no grens_tz. */
#include "rt_internal.h"

int grens_rt_day_start(const char *zone, grens_date date, int64_t *out, grens_error *err)
{
	if (!zone)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_day_start: zone is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_day_start: out is NULL");
	grens_tz *tz = NULL;
	int rc = grens_tz_load(&tz, NULL, zone, err);
	if (rc != 0)
		return rc;
	*out = grens_tz_day_start(tz, date);
	grens_tz_free(tz);
	return 0;
}

int grens_rt_local_date(const char *zone, int64_t t, grens_date *out, grens_error *err)
{
	if (!zone)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_local_date: zone is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_local_date: out is NULL");
	grens_tz *tz = NULL;
	int rc = grens_tz_load(&tz, NULL, zone, err);
	if (rc != 0)
		return rc;
	*out = grens_tz_local_date(tz, t);
	grens_tz_free(tz);
	return 0;
}
