/* The live overlay of a long-running reader: updates build a whole new
 * overlay and then replace the pointer under a lock; readers take a
 * reference, so the overlay they query stays valid (and unchanged) until
 * they release it, whatever updates happen meanwhile. */
#include <pthread.h>
#include <stdlib.h>

#include "rt_internal.h"

struct grens_rt_live {
	pthread_mutex_t lock;
	grens_rt_overlay *current;
};

grens_rt_live *grens_rt_live_new(void)
{
	grens_rt_live *live = calloc(1, sizeof(*live));
	if (!live)
		return NULL;
	if (pthread_mutex_init(&live->lock, NULL) != 0) {
		free(live);
		return NULL;
	}
	return live;
}

void grens_rt_live_free(grens_rt_live *live)
{
	if (!live)
		return;
	grens_rt_overlay_release(live->current);
	pthread_mutex_destroy(&live->lock);
	free(live);
}

grens_rt_overlay *grens_rt_live_acquire(grens_rt_live *live)
{
	if (!live)
		return NULL; /* NULL not allowed: docs/api.md */
	pthread_mutex_lock(&live->lock);
	grens_rt_overlay *ov = grens_rt_overlay_retain(live->current);
	pthread_mutex_unlock(&live->lock);
	return ov;
}

void grens_rt_live_replace(grens_rt_live *live, grens_rt_overlay *ov)
{
	if (!live || !ov)
		return; /* NULL not allowed: docs/api.md */
	pthread_mutex_lock(&live->lock);
	grens_rt_overlay *old = live->current;
	live->current = ov;
	pthread_mutex_unlock(&live->lock);
	grens_rt_overlay_release(old);
}

int grens_rt_live_update(grens_rt_live *live, const grens_timetable *tt,
			 const grens_gtfs_feed *const *gtfs, uint32_t gtfs_count, const char *path,
			 const grens_rt_options *opts, grens_diag *diag, grens_error *err)
{
	if (!live)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_live_update: live is NULL");
	if (!tt)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_live_update: tt is NULL");
	if (!gtfs && gtfs_count)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_live_update: gtfs is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_live_update: path is NULL");
	if (opts && opts->version != GRENS_RT_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_rt_live_update: options version %u, not %u (GRENS_RT_OPTIONS_INIT)",
		    opts->version, GRENS_RT_OPTIONS_VERSION);
	grens_rt_feed *feed = NULL;
	grens_rt_overlay *ov = NULL;
	int rc = grens_rt_decode_file(&feed, path, err);
	if (rc != 0)
		goto fail;
	rc = grens_rt_apply(&ov, tt, gtfs, gtfs_count, feed, opts, diag, err);
	if (rc != 0)
		goto fail;
	grens_rt_feed_free(feed);
	grens_rt_live_replace(live, ov);
	return 0;
fail:
	grens_rt_feed_free(feed);
	return rc;
}
