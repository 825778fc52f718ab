/* The recorder: poll GTFS-realtime feeds through the fetcher and keep every
 * distinct snapshot in an archive. The fetcher does the HTTP part
 * (conditional GET, retries, size cap, verification) into a cache inside the
 * archive folder; the archive deduplicates and stores. Both write only
 * through temporary files and renames, so kill -9 at any moment loses at
 * most the download in flight. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rt_internal.h"

/* The wait between polls is cut into slices this long, so a stop or the
 * end time is noticed within one slice. */
#define SLICE_MS 100
/* A log line: a message with a feed name, a path or an error message. */
#define LOG_LINE_BYTES (2 * GRENS_ERROR_MESSAGE_BYTES + 4096)

struct grens_rt_recorder {
	char dir[4096];
	char cache[4096]; /* DIR/.fetch: the fetcher's cache of the feeds */
	grens_rt_recorder_options opts;
	grens_fetch_feed *feeds;
	unsigned feed_count;
	/* The fetcher made a download current that the archive could not
	 * store (a full disk): tried again at the next poll, whatever the
	 * server says then, since a 304 would never bring it back. */
	bool unarchived[GRENS_RT_RECORD_MAX_FEEDS];
	grens_fetch_options fetch;
	char user_agent[64];
	grens_rt_archive *archive;
	grens_rt_record_status *status;
	int lock;
	int64_t end_mono;	/* for_ms: the monotonic end, 0 none */
	int64_t poll_start;	/* monotonic start of the last poll, 0 never */
	char pruned_day[16];	/* UTC day of the last prune */
	bool status_failing;	/* the last status write failed (said once) */
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line to the log callback. */
static void log_line(const grens_rt_recorder *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void log_line(const grens_rt_recorder *r, const char *fmt, ...)
{
	if (!r->opts.log)
		return;
	char *line = malloc(LOG_LINE_BYTES);
	if (!line)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, LOG_LINE_BYTES, fmt, ap);
	va_end(ap);
	r->opts.log(r->opts.ctx, line);
	free(line);
}

static bool stop_asked(const grens_rt_recorder *r)
{
	return r->opts.stop && r->opts.stop(r->opts.ctx);
}

static void count(grens_rt_record_counts *c, const char *result, int64_t now, const char *why)
{
	c->polls++;
	c->last_poll = now;
	snprintf(c->last_result, sizeof(c->last_result), "%s", result);
	if (strcmp(result, "new") == 0) {
		c->added++;
		c->last_added = now;
	} else if (strcmp(result, "unchanged") == 0) {
		c->unchanged++;
	} else {
		c->failed++;
		/* the reason is cut to the status field; the log line has it whole */
		size_t l = strnlen(why, sizeof(c->last_error) - 1);
		memcpy(c->last_error, why, l);
		c->last_error[l] = '\0';
	}
}

/* Download feed i once and archive what it brought. */
static void poll_feed(grens_rt_recorder *r, unsigned i)
{
	grens_fetch_feed *feed = &r->feeds[i];
	grens_fetch_result res;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_fetch_run(feed, r->cache, &r->fetch, &res, &err);
	int64_t now = (int64_t)time(NULL);
	const char *result = "unchanged";
	if (rc != 0 && res.outcome == GRENS_FETCH_FAILED) {
		result = "failed";
	} else {
		if (res.status_error[0])
			log_line(r, "%s: the fetch cache's status.json not written: %s", feed->name,
				 res.status_error);
		if (res.outcome == GRENS_FETCH_UPDATED || r->unarchived[i]) {
			bool added = false;
			grens_error_clear(&err);
			r->unarchived[i] = grens_rt_archive_add_file(r->archive, feed->name, now,
								     res.path, &added, &err) != 0;
			if (r->unarchived[i])
				result = "failed";
			else if (added)
				result = "new";
		}
	}
	const char *why = err.message[0] ? err.message : grens_strerror(rc);
	if (strcmp(result, "failed") == 0)
		log_line(r, "%s: poll failed: %s", feed->name, why);
	count(&r->status->feeds[i].counts, result, now, why);
	count(&r->status->total, result, now, why);
}

static void write_status(grens_rt_recorder *r)
{
	grens_error err;
	grens_error_clear(&err);
	if (grens_rt_record_status_write(r->dir, r->status, &err) != 0) {
		if (!r->status_failing)
			log_line(r, "status not written: %s", err.message);
		r->status_failing = true;
	} else {
		r->status_failing = false;
	}
}

/* Remove day folders beyond the retention, once per UTC day. */
static void prune(grens_rt_recorder *r)
{
	if (!r->opts.retention_days)
		return;
	int64_t now = (int64_t)time(NULL);
	char day[16];
	grens_date_format_iso((grens_date)(now / 86400), day, sizeof(day));
	if (strcmp(day, r->pruned_day) == 0)
		return;
	snprintf(r->pruned_day, sizeof(r->pruned_day), "%s", day);
	uint32_t removed = 0;
	grens_error err;
	grens_error_clear(&err);
	if (grens_rt_archive_prune(r->archive, now, r->opts.retention_days, &removed, &err) != 0)
		log_line(r, "pruning failed: %s", err.message);
	else if (removed)
		log_line(r, "removed %u day folder(s) older than %u day(s)", removed,
			 r->opts.retention_days);
}

/* A download the fetcher made current but a killed recorder did not
 * archive yet: archived now, with the file's time. */
static void recover_downloads(grens_rt_recorder *r)
{
	char path[8192];
	for (unsigned i = 0; i < r->feed_count; i++) {
		struct stat st;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s/current.pb", r->cache,
				     r->feeds[i].name) >= sizeof(path) ||
		    stat(path, &st) != 0)
			continue;
		bool added = false;
		grens_error err;
		grens_error_clear(&err);
		if (grens_rt_archive_add_file(r->archive, r->feeds[i].name, (int64_t)st.st_mtime,
					      path, &added, &err) != 0)
			log_line(r, "%s: the last download is not archived: %s", r->feeds[i].name,
				 err.message);
		else if (added)
			log_line(r, "%s: archived the last download of the previous run",
				 r->feeds[i].name);
	}
}

static int verify_download(const char *path, grens_fetch_kind kind, void *ctx, grens_error *err)
{
	(void)kind;
	(void)ctx;
	return grens_rt_check(path, err);
}

static int check_options(const grens_rt_recorder_options *o, grens_error *err)
{
	if (o->feed_count == 0 || !o->feeds)
		return grens_error_set(err, GRENS_EARG, "no feed to record");
	if (o->feed_count > GRENS_RT_RECORD_MAX_FEEDS)
		return grens_error_set(err, GRENS_EARG, "more than %u feeds to record",
				       GRENS_RT_RECORD_MAX_FEEDS);
	for (uint32_t i = 0; i < o->feed_count; i++) {
		for (uint32_t k = 0; k < i; k++)
			if (strcmp(o->feeds[i].name, o->feeds[k].name) == 0)
				return grens_error_set(
				    err, GRENS_EARG,
				    "two feeds are named '%s'; name them with NAME=URL",
				    o->feeds[i].name);
		if (o->feeds[i].kind != GRENS_FETCH_GTFS_RT)
			return grens_error_set(err, GRENS_EARG, "%s is not a gtfs-rt feed",
					       o->feeds[i].name);
	}
	if (o->every_ms < GRENS_RT_RECORDER_MIN_EVERY_MS)
		return grens_error_set(err, GRENS_EARG, "every_ms must be at least %d",
				       GRENS_RT_RECORDER_MIN_EVERY_MS);
	if (o->until < 0 || o->for_ms < 0)
		return grens_error_set(err, GRENS_EARG, "until and for_ms must not be negative");
	return 0;
}

/* The fetcher's options: few retries, since the next poll is another
 * chance; a timeout of one interval; no older versions (the archive is the
 * history). */
static void fetch_options(grens_rt_recorder *r)
{
	const grens_rt_recorder_options *o = &r->opts;
	grens_fetch_options fo = GRENS_FETCH_OPTIONS_INIT;
	if (o->user_agent) {
		fo.user_agent = o->user_agent;
	} else {
		snprintf(r->user_agent, sizeof(r->user_agent), "grens/%s", grens_version());
		fo.user_agent = r->user_agent;
	}
	fo.verify = verify_download;
	fo.retries = o->retries;
	fo.keep_versions = 0;
	fo.max_bytes = o->max_bytes;
	fo.timeout_s = o->timeout_s		  ? o->timeout_s
		       : o->every_ms / 1000 < 5 ? 5
						: (unsigned)(o->every_ms / 1000);
	if (fo.connect_timeout_s > fo.timeout_s)
		fo.connect_timeout_s = fo.timeout_s;
	fo.set = GRENS_FETCH_SET_KEEP_VERSIONS |
		 (o->set & (GRENS_FETCH_SET_RETRIES | GRENS_FETCH_SET_TIMEOUT |
			    GRENS_FETCH_SET_MAX_BYTES));
	r->fetch = fo;
}

int grens_rt_recorder_new(grens_rt_recorder **out, const char *dir,
			  const grens_rt_recorder_options *opts, int64_t *holder,
			  grens_error *err)
{
	static const char fn[] = "grens_rt_recorder_new";
	if (!out || !dir || !holder || !opts)
		return grens_error_set(err, GRENS_EINVAL, "%s: %s is NULL", fn,
				       !out ? "out" : !dir ? "dir" : !holder ? "holder" : "opts");
	*out = NULL;
	*holder = 0;
	if (opts->version != GRENS_RT_RECORDER_OPTIONS_VERSION)
		return grens_error_set(err, GRENS_EINVAL,
				       "%s: options version %u, not %u "
				       "(GRENS_RT_RECORDER_OPTIONS_INIT)",
				       fn, opts->version, GRENS_RT_RECORDER_OPTIONS_VERSION);
	int rc = check_options(opts, err);
	if (rc)
		return rc;
	grens_rt_recorder *r = calloc(1, sizeof(*r));
	if (!r)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	r->lock = -1;
	r->opts = *opts;
	r->opts.feeds = NULL;
	r->feeds = calloc(opts->feed_count, sizeof(*r->feeds));
	r->status = calloc(1, sizeof(*r->status));
	if (!r->feeds || !r->status) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	if ((size_t)snprintf(r->dir, sizeof(r->dir), "%s", dir) >= sizeof(r->dir) ||
	    (size_t)snprintf(r->cache, sizeof(r->cache), "%s/.fetch", dir) >= sizeof(r->cache)) {
		rc = grens_error_set(err, GRENS_ELIMIT, "%s: the folder's name is too long", dir);
		goto fail;
	}
	r->feed_count = opts->feed_count;
	memcpy(r->feeds, opts->feeds, opts->feed_count * sizeof(*r->feeds));
	for (unsigned i = 0; i < r->feed_count; i++) {
		grens_rt_record_feed *sf = &r->status->feeds[i];
		snprintf(sf->name, sizeof(sf->name), "%s", r->feeds[i].name);
		snprintf(sf->url, sizeof(sf->url), "%s", r->feeds[i].url);
	}
	r->status->feed_count = r->feed_count;
	fetch_options(r);

	/* The lock first: cleaning up and rebuilding indexes is the lock
	 * holder's job, and a second recorder must not touch a live archive. */
	rc = grens_rt_record_lock(&r->lock, dir, holder, err);
	if (rc)
		goto fail;
	if (r->lock < 0) {
		grens_rt_recorder_free(r);
		return 0;
	}
	rc = grens_rt_archive_open(&r->archive, dir, true, err);
	if (rc)
		goto fail;
	const grens_rt_archive_stats *as = grens_rt_archive_stats_get(r->archive);
	if (as->temp_removed || as->reindexed_days || as->corrupt)
		log_line(r,
			 "%s: removed %u temporary file(s) of an interrupted write, rebuilt %u "
			 "index(es) from the files, %u corrupt snapshot(s) set aside",
			 dir, as->temp_removed, as->reindexed_days, as->corrupt);

	r->status->pid = (int64_t)getpid();
	r->status->started = (int64_t)time(NULL);
	r->status->until = opts->until;
	r->status->every_ms = opts->every_ms;
	if (opts->for_ms) {
		int64_t end = r->status->started + (opts->for_ms + 999) / 1000;
		if (!r->status->until || end < r->status->until)
			r->status->until = end;
		r->end_mono = mono_ms() + opts->for_ms;
	}
	recover_downloads(r);
	prune(r);
	write_status(r);
	*out = r;
	return 0;
fail:
	grens_rt_recorder_free(r);
	return rc;
}

void grens_rt_recorder_free(grens_rt_recorder *rec)
{
	if (!rec)
		return;
	grens_rt_archive_free(rec->archive);
	grens_rt_record_unlock(rec->lock);
	free(rec->feeds);
	free(rec->status);
	free(rec);
}

void grens_rt_recorder_poll(grens_rt_recorder *rec)
{
	if (!rec)
		return;
	rec->poll_start = mono_ms();
	for (unsigned i = 0; i < rec->feed_count && !stop_asked(rec); i++)
		poll_feed(rec, i);
	prune(rec);
	write_status(rec);
	if (rec->opts.progress)
		rec->opts.progress(rec->opts.ctx, rec->status, grens_rt_recorder_next_due(rec));
}

int64_t grens_rt_recorder_next_due(const grens_rt_recorder *rec)
{
	if (!rec || !rec->poll_start)
		return 0;
	return rec->poll_start + rec->opts.every_ms - mono_ms();
}

bool grens_rt_recorder_done(const grens_rt_recorder *rec)
{
	if (!rec)
		return true;
	return stop_asked(rec) || (rec->opts.until && (int64_t)time(NULL) >= rec->opts.until) ||
	       (rec->end_mono && mono_ms() >= rec->end_mono);
}

void grens_rt_recorder_run(grens_rt_recorder *rec)
{
	if (!rec)
		return;
	while (!grens_rt_recorder_done(rec)) {
		grens_rt_recorder_poll(rec);
		while (!grens_rt_recorder_done(rec)) {
			int64_t left = grens_rt_recorder_next_due(rec);
			if (left <= 0)
				break;
			struct timespec ts = {0,
					      (long)(left < SLICE_MS ? left : SLICE_MS) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	grens_rt_recorder_finish(rec);
}

void grens_rt_recorder_finish(grens_rt_recorder *rec)
{
	if (!rec)
		return;
	rec->status->stopped = (int64_t)time(NULL);
	write_status(rec);
}

const grens_rt_record_status *grens_rt_recorder_status(const grens_rt_recorder *rec)
{
	return rec ? rec->status : NULL;
}

uint32_t grens_rt_recorder_archived(const grens_rt_recorder *rec, uint32_t *days)
{
	if (days)
		*days = 0;
	if (!rec)
		return 0;
	/* day folders among the listed snapshots (sorted by time, so by day) */
	uint32_t n = grens_rt_archive_count(rec->archive), d = 0;
	const char *last = NULL;
	for (uint32_t i = 0; i < n; i++) {
		const char *f = grens_rt_archive_at(rec->archive, i)->file;
		if (!last || strncmp(last, f, 10) != 0)
			d++;
		last = f;
	}
	if (days)
		*days = d;
	return n;
}
