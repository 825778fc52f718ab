/* Helpers shared by the files of the fetch module (not public). */
#ifndef GRENS_FETCH_INTERNAL_H
#define GRENS_FETCH_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "grens/fetch.h"

/* a[/b[/c]] into buf; GRENS_ELIMIT when it does not fit. */
int fetch_path(char *buf, size_t cap, const char *a, const char *b, const char *c);
/* mkdir -p; GRENS_EIO with the reason in err. */
int fetch_mkdirs(const char *path, grens_error *err);
int fetch_fsync_dir(const char *dir);
/* Write bytes to dir/name through a temporary file, fsync and rename. */
int fetch_write_atomic(const char *dir, const char *name, const char *bytes, size_t len,
		       grens_error *err);
/* "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void fetch_iso_time(time_t t, char *buf, size_t cap);
/* Hard-link current into feed_dir/versions/ (named by its mtime and sha256)
 * before it is replaced; nothing when keep is 0 or current is absent. */
int fetch_keep_version(const char *feed_dir, const char *current, const char *ext,
		       const char *sha256, unsigned keep, grens_error *err);
/* Delete all but the newest keep versions. */
void fetch_prune_versions(const char *feed_dir, const char *ext, unsigned keep);
/* Delete temporary files an interrupted run left in feed_dir. */
void fetch_remove_parts(const char *feed_dir);
/* Write feed_dir/status.json atomically. */
int fetch_status_write(const char *feed_dir, const grens_fetch_status *s, grens_error *err);

#endif
