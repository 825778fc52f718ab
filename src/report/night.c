/* A nightly run's folder: built under a temporary name beside the dated
 * folders, moved into place only when complete, so that a killed run or a
 * full disk never leaves half a night where the next run (its diff, the
 * `latest` link) or a reader would take it for a whole one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "grens/limits.h"
#include "report_internal.h"

/* The temporaries are DIR/.partial-YYYY-MM-DD.PID.XXXXXX: hidden, and never
 * 10 characters long, so nothing takes one for a dated folder. */
#define PARTIAL_PREFIX ".partial-"
#define PARTIAL_PREFIX_LEN (sizeof(PARTIAL_PREFIX) - 1)

struct grens_report_night {
	char dir[GRENS_REPORT_PATH_BYTES];  /* the folder of the dated folders */
	char name[GRENS_REPORT_PATH_BYTES]; /* the temporary's name in dir */
	char path[GRENS_REPORT_PATH_BYTES]; /* dir/name */
	char day[16];			    /* YYYY-MM-DD */
	int lock_fd;			    /* the temporary, flock'ed while we build it */
	bool committed;
};

/* Remove name below the directory dfd: a file, or a folder with what it
 * holds (at most depth levels). 0 or -errno. */
static int remove_tree(int dfd, const char *name, int depth)
{
	if (unlinkat(dfd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return errno == ENOENT ? 0 : -errno;
	if (depth == 0)
		return -ELOOP;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return -e;
	}
	int rc = 0;
	const struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		rc = remove_tree(dirfd(d), de->d_name, depth - 1);
	}
	closedir(d);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
		rc = -errno;
	return rc;
}

/* The pid in a temporary's name, or 0 when name is not one. */
static pid_t partial_pid(const char *name)
{
	size_t len = strlen(name);
	grens_date day;
	if (len < PARTIAL_PREFIX_LEN + 10 + 1 + 1 + 1 + 6 ||
	    memcmp(name, PARTIAL_PREFIX, PARTIAL_PREFIX_LEN) != 0 ||
	    grens_date_parse_iso(name + PARTIAL_PREFIX_LEN, 10, &day) != 0 ||
	    name[PARTIAL_PREFIX_LEN + 10] != '.')
		return 0;
	const char *p = name + PARTIAL_PREFIX_LEN + 11;
	const char *dot = strchr(p, '.');
	int64_t pid;
	if (!dot || strlen(dot + 1) != 6 ||
	    grens_parse_i64(p, (size_t)(dot - p), 1, INT32_MAX, &pid))
		return 0;
	return (pid_t)pid;
}

/* The pid in the name of a new `latest` link that was never renamed into
 * place (DIR/.latest.PID, grens_report_link_latest), or 0. */
static pid_t latest_pid(const char *name)
{
	int64_t pid;
	if (strncmp(name, ".latest.", 8) != 0 ||
	    grens_parse_i64(name + 8, strlen(name + 8), 1, INT32_MAX, &pid))
		return 0;
	return (pid_t)pid;
}

static bool alive(pid_t pid)
{
	return pid == getpid() || kill(pid, 0) == 0 || errno == EPERM;
}

/* Remove the temporaries in dir that no live run holds: a run keeps its
 * temporary locked (flock) while it builds it, and the pid in the name
 * covers the moment between making it and locking it. Links of runs that
 * are gone go too, uncounted. */
static unsigned clean_stale(int dfd)
{
	unsigned removed = 0;
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	const struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		pid_t pid = latest_pid(de->d_name);
		if (pid != 0 && !alive(pid)) {
			(void)unlinkat(dfd, de->d_name, 0);
			continue;
		}
		pid = partial_pid(de->d_name);
		if (pid == 0 || alive(pid))
			continue;
		int lfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (lfd < 0)
			continue;
		if (flock(lfd, LOCK_EX | LOCK_NB) == 0 &&
		    remove_tree(dfd, de->d_name, GRENS_LIMIT_NIGHT_REMOVE_DEPTH) == 0)
			removed++;
		close(lfd);
	}
	closedir(d);
	return removed;
}

int grens_report_night_begin(grens_report_night **out, const char *dir, grens_date date,
			     unsigned *removed, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_night_begin: out is NULL");
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_report_night_begin: dir is NULL");
	*out = NULL;
	if (removed)
		*removed = 0;
	grens_report_night *n = calloc(1, sizeof(*n));
	if (!n)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	n->lock_fd = -1;
	int rc = 0, dfd = -1;
	size_t dlen = strlen(dir);
	grens_date_format_iso(date, n->day, sizeof(n->day));
	if (dlen >= sizeof(n->dir) ||
	    (size_t)snprintf(n->path, sizeof(n->path), "%s/" PARTIAL_PREFIX "%s.%ld.XXXXXX", dir,
			     n->day, (long)getpid()) >= sizeof(n->path)) {
		rc = grens_error_set(err, GRENS_ELIMIT, "path too long: %.64s...", dir);
		goto fail;
	}
	memcpy(n->dir, dir, dlen + 1);
	rc = grens_report_mkdirs(dir, err);
	if (rc)
		goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot read %s: %s", dir, strerror(errno));
		goto fail;
	}
	unsigned gone = clean_stale(dfd);
	if (removed)
		*removed = gone;
	if (!mkdtemp(n->path)) {
		rc = grens_error_set(err, GRENS_EIO, "cannot create a folder in %s: %s", dir,
				     strerror(errno));
		goto fail;
	}
	memcpy(n->name, n->path + dlen + 1, strlen(n->path + dlen + 1) + 1);
	/* Reports are for reading by others too (mkdtemp makes 0700). */
	(void)chmod(n->path, 0755);
	n->lock_fd = open(n->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (n->lock_fd < 0 || flock(n->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot lock %s: %s", n->path,
				     strerror(errno));
		goto fail;
	}
	close(dfd);
	*out = n;
	return 0;
fail:
	if (dfd >= 0)
		close(dfd);
	grens_report_night_free(n);
	return rc;
}

const char *grens_report_night_path(const grens_report_night *night)
{
	if (!night)
		return NULL; /* NULL not allowed: docs/api.md */
	return night->path;
}

/* Move the temporary to dir/day. An existing night of that date is swapped
 * out in one step (RENAME_EXCHANGE) and then removed; where the filesystem
 * cannot exchange, it is first renamed to a temporary name of its own, so
 * for a moment there is no folder of that date (never a partial one). */
static int move_into_place(grens_report_night *n, int dfd, bool *replaced, grens_error *err)
{
	*replaced = false;
	if (renameat2(dfd, n->name, dfd, n->day, RENAME_NOREPLACE) == 0)
		return 0;
	int e = errno;
	if (e == EEXIST) {
		if (renameat2(dfd, n->name, dfd, n->day, RENAME_EXCHANGE) == 0) {
			*replaced = true;
			/* The old night is now under our temporary name; what
			 * cannot be removed now the next run removes. */
			(void)remove_tree(dfd, n->name, GRENS_LIMIT_NIGHT_REMOVE_DEPTH);
			return 0;
		}
		e = errno;
	}
	if (e != EINVAL && e != ENOSYS && e != ENOTSUP)
		return grens_error_set(err, GRENS_EIO, "cannot move %s to %s/%s: %s", n->path,
				       n->dir, n->day, strerror(e));
	/* No renameat2 flags here: an empty temporary takes the old night
	 * (rename replaces an empty folder), then the new one moves in. */
	char old[GRENS_REPORT_PATH_BYTES];
	struct stat st;
	if (fstatat(dfd, n->day, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if ((size_t)snprintf(old, sizeof(old), "%s/" PARTIAL_PREFIX "%s.%ld.XXXXXX", n->dir,
				     n->day, (long)getpid()) >= sizeof(old) ||
		    !mkdtemp(old))
			return grens_error_set(err, GRENS_EIO, "cannot create a folder in %s: %s",
					       n->dir, strerror(errno));
		const char *old_name = old + strlen(n->dir) + 1;
		if (renameat(dfd, n->day, dfd, old_name) != 0) {
			e = errno;
			unlinkat(dfd, old_name, AT_REMOVEDIR);
			return grens_error_set(err, GRENS_EIO, "cannot move %s/%s aside: %s",
					       n->dir, n->day, strerror(e));
		}
		if (renameat(dfd, n->name, dfd, n->day) != 0) {
			e = errno;
			(void)renameat(dfd, old_name, dfd, n->day);
			return grens_error_set(err, GRENS_EIO, "cannot move %s to %s/%s: %s",
					       n->path, n->dir, n->day, strerror(e));
		}
		*replaced = true;
		(void)remove_tree(dfd, old_name, GRENS_LIMIT_NIGHT_REMOVE_DEPTH);
		return 0;
	}
	if (renameat(dfd, n->name, dfd, n->day) != 0)
		return grens_error_set(err, GRENS_EIO, "cannot move %s to %s/%s: %s", n->path,
				       n->dir, n->day, strerror(errno));
	return 0;
}

int grens_report_night_commit(grens_report_night *night, bool *replaced, grens_error *err)
{
	if (!night)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_night_commit: night is NULL");
	bool swapped = false;
	char marker[GRENS_REPORT_PATH_BYTES], when[32] = "";
	grens_report_file f = {0};
	int dfd = -1, rc;
	if (night->committed)
		return grens_error_set(err, GRENS_EARG, "%s: already complete", night->day);
	if ((size_t)snprintf(marker, sizeof(marker), "%s/" GRENS_REPORT_NIGHT_MARKER,
			     night->path) >= sizeof(marker))
		return grens_error_set(err, GRENS_ELIMIT, "path too long: %s", night->path);
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* Written last: every other file is in place and synced by now. */
	rc = grens_report_file_open(&f, marker, err);
	if (rc)
		goto done;
	fprintf(f.f, "grens nightly %s complete %s\n", night->day, when);
	rc = grens_report_file_commit(&f, err);
	if (rc)
		goto done;
	if (fsync(night->lock_fd) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot sync %s: %s", night->path,
				     strerror(errno));
		goto done;
	}
	dfd = open(night->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot read %s: %s", night->dir,
				     strerror(errno));
		goto done;
	}
	rc = move_into_place(night, dfd, &swapped, err);
	if (rc)
		goto done;
	night->committed = true;
	if (fsync(dfd) != 0)
		rc = grens_error_set(err, GRENS_EIO, "cannot sync %s: %s", night->dir,
				     strerror(errno));
done:
	grens_report_file_abort(&f);
	if (dfd >= 0)
		close(dfd);
	if (replaced)
		*replaced = swapped;
	return rc;
}

void grens_report_night_free(grens_report_night *night)
{
	if (!night)
		return;
	if (!night->committed && night->name[0]) {
		int dfd = open(night->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			(void)remove_tree(dfd, night->name, GRENS_LIMIT_NIGHT_REMOVE_DEPTH);
			close(dfd);
		}
	}
	if (night->lock_fd >= 0)
		close(night->lock_fd);
	free(night);
}

bool grens_report_night_complete(const char *dir, const char *name)
{
	if (!dir || !name)
		return false; /* NULL not allowed: docs/api.md */
	char path[GRENS_REPORT_PATH_BYTES];
	struct stat st;
	return (size_t)snprintf(path, sizeof(path), "%s/%s/" GRENS_REPORT_NIGHT_MARKER, dir, name) <
		   sizeof(path) &&
	       stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int grens_report_advance_latest(const char *dir, grens_date date, bool force, grens_date *kept,
				grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_advance_latest: dir is NULL");
	if (!kept)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_report_advance_latest: kept is NULL");
	char link[GRENS_REPORT_PATH_BYTES], target[64], day[16];
	grens_date current = GRENS_DATE_NONE;
	*kept = GRENS_DATE_NONE;
	if ((size_t)snprintf(link, sizeof(link), "%s/latest", dir) >= sizeof(link))
		return grens_error_set(err, GRENS_ELIMIT, "path too long");
	ssize_t len = readlink(link, target, sizeof(target) - 1);
	if (len == 10 && grens_date_parse_iso(target, 10, &current) != 0)
		current = GRENS_DATE_NONE;
	if (!force && current != GRENS_DATE_NONE && current > date) {
		*kept = current;
		return 0;
	}
	grens_date_format_iso(date, day, sizeof(day));
	return grens_report_link_latest(dir, day, err);
}
