/* The recorder's files in an archive folder: status.json (what the running
 * or last recorder did) and record.lock (so that two recorders never write
 * one archive). The polling itself is the command line's: it joins the
 * fetcher and the archive, which know nothing of each other. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "rt_internal.h"

#define STATUS_NAME "status.json"
#define LOCK_NAME "record.lock"
#define STATUS_MAX_BYTES (256u * 1024u)

/* POSIX seconds as "YYYY-MM-DDTHH:MM:SSZ", or JSON null for 0 (never). */
static json_t *json_time(int64_t t)
{
	if (t == 0)
		return json_null();
	struct tm tm;
	time_t tt = (time_t)t;
	char buf[32];
	if (!gmtime_r(&tt, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return json_null();
	return json_string(buf);
}

static int parse_time(json_t *v, int64_t *out)
{
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	const char *s = json_string_value(v);
	grens_date d;
	int32_t tod;
	if (!s || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' ||
	    grens_date_parse_iso(s, 10, &d) != 0 || grens_time_parse(s + 11, 8, 0, &tod) != 0)
		return -1;
	*out = (int64_t)d * 86400 + tod;
	return 0;
}

static json_t *json_counts(const grens_rt_record_counts *c)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:s,s:s}", "polls", (json_int_t)c->polls, "new",
			 (json_int_t)c->added, "unchanged", (json_int_t)c->unchanged, "failed",
			 (json_int_t)c->failed, "last_poll", json_time(c->last_poll),
			 "last_new_snapshot", json_time(c->last_added), "last_result",
			 c->last_result, "last_error", c->last_error);
}

/* o gains the counters (jansson keeps the order keys were added in). */
static int add_counts(json_t *o, const grens_rt_record_counts *c)
{
	json_t *k = json_counts(c);
	int rc = !k || json_object_update(o, k) ? -1 : 0;
	json_decref(k);
	return rc;
}

int grens_rt_record_status_write(const char *dir, const grens_rt_record_status *st,
				 grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_record_status_write: dir is NULL");
	if (!st)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_record_status_write: st is NULL");
	int rc;
	char *text = NULL;
	json_t *feeds = json_array();
	json_t *root = json_pack("{s:I,s:o,s:o,s:o,s:I}", "pid", (json_int_t)st->pid, "started",
				 json_time(st->started), "stopped", json_time(st->stopped), "until",
				 json_time(st->until), "every_ms", (json_int_t)st->every_ms);
	if (!feeds || !root || add_counts(root, &st->total))
		goto fail;
	for (uint32_t i = 0; i < st->feed_count && i < GRENS_RT_RECORD_MAX_FEEDS; i++) {
		const grens_rt_record_feed *f = &st->feeds[i];
		json_t *o = json_pack("{s:s,s:s}", "name", f->name, "url", f->url);
		if (!o || add_counts(o, &f->counts) || json_array_append_new(feeds, o)) {
			json_decref(o);
			goto fail;
		}
	}
	rc = json_object_set_new(root, "feeds", feeds);
	feeds = NULL;
	if (rc)
		goto fail;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		goto fail;
	size_t len = strlen(text);
	char *nl = realloc(text, len + 2);
	if (!nl)
		goto fail;
	text = nl;
	text[len++] = '\n';
	text[len] = '\0';
	rc = rt_archive_write_atomic(dir, STATUS_NAME, text, len, err);
	goto done;
fail:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
done:
	free(text);
	json_decref(feeds);
	json_decref(root);
	return rc;
}

static int read_uint(json_t *o, const char *key, uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int read_str(json_t *o, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v) || json_string_length(v) >= cap)
		return -1;
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

/* The key that is missing or wrong, or NULL. */
static const char *read_counts(json_t *o, grens_rt_record_counts *c)
{
	if (read_uint(o, "polls", &c->polls))
		return "polls";
	if (read_uint(o, "new", &c->added))
		return "new";
	if (read_uint(o, "unchanged", &c->unchanged))
		return "unchanged";
	if (read_uint(o, "failed", &c->failed))
		return "failed";
	if (parse_time(json_object_get(o, "last_poll"), &c->last_poll))
		return "last_poll";
	if (parse_time(json_object_get(o, "last_new_snapshot"), &c->last_added))
		return "last_new_snapshot";
	if (read_str(o, "last_result", c->last_result, sizeof(c->last_result)))
		return "last_result";
	if (read_str(o, "last_error", c->last_error, sizeof(c->last_error)))
		return "last_error";
	return NULL;
}

int grens_rt_record_status_read(grens_rt_record_status *out, const char *dir, grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_record_status_read: out is NULL");
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_record_status_read: dir is NULL");
	char path[4096];
	memset(out, 0, sizeof(*out));
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, STATUS_NAME) >= sizeof(path))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", dir);
	struct stat sb;
	if (stat(path, &sb) != 0)
		return grens_error_set(err, errno == ENOENT ? GRENS_ENOTFOUND : GRENS_EIO,
				       "cannot read %s: %s", path, strerror(errno));
	if (sb.st_size > (off_t)STATUS_MAX_BYTES)
		return grens_error_set(err, GRENS_ELIMIT, "%s: larger than %u bytes", path,
				       STATUS_MAX_BYTES);
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je);
	if (!root)
		return grens_error_set(err, GRENS_EFORMAT, "%s:%d: %s", path, je.line, je.text);
	const char *bad = NULL;
	uint64_t pid = 0, every = 0;
	json_t *feeds = json_object_get(root, "feeds");
	if (!json_is_object(root))
		bad = "(top level)";
	else if ((bad = read_counts(root, &out->total)) != NULL)
		;
	else if (read_uint(root, "pid", &pid))
		bad = "pid";
	else if (parse_time(json_object_get(root, "started"), &out->started))
		bad = "started";
	else if (parse_time(json_object_get(root, "stopped"), &out->stopped))
		bad = "stopped";
	else if (parse_time(json_object_get(root, "until"), &out->until))
		bad = "until";
	else if (read_uint(root, "every_ms", &every))
		bad = "every_ms";
	else if (!json_is_array(feeds) || json_array_size(feeds) > GRENS_RT_RECORD_MAX_FEEDS)
		bad = "feeds";
	for (size_t i = 0; !bad && i < json_array_size(feeds); i++) {
		json_t *f = json_array_get(feeds, i);
		grens_rt_record_feed *rf = &out->feeds[i];
		if (!json_is_object(f) || read_str(f, "name", rf->name, sizeof(rf->name)) ||
		    read_str(f, "url", rf->url, sizeof(rf->url)) || read_counts(f, &rf->counts))
			bad = "feeds";
		else
			out->feed_count++;
	}
	json_decref(root);
	if (bad) {
		grens_error_set(err, GRENS_EFORMAT,
				"%s: '%s' missing or not what a recorder writes", path, bad);
		grens_error_at(err, path, 0, 0, bad);
		return GRENS_EFORMAT;
	}
	out->pid = (int64_t)pid;
	out->every_ms = (int64_t)every;
	return 0;
}

/* The temporary files of a status write interrupted by kill -9; only the
 * lock holder writes in the archive's top folder, so they are stale. */
static void remove_stale_parts(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	char path[4096];
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, ".part-", 6) == 0 &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < sizeof(path))
			unlink(path);
	}
	closedir(d);
}

/* Open and try to lock dir/record.lock: *fd the locked file, or -1 with
 * *holder the pid the file names (0 when unreadable) when another process
 * holds it. */
static int try_lock(int *fd, const char *dir, int64_t *holder, grens_error *err)
{
	char path[4096];
	*fd = -1;
	*holder = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, LOCK_NAME) >= sizeof(path))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", dir);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", dir,
				       strerror(errno));
	int f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (f < 0)
		return grens_error_set(err, GRENS_EIO, "cannot open %s: %s", path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) == 0) {
		*fd = f;
		return 0;
	}
	int e = errno;
	if (e != EWOULDBLOCK) {
		close(f);
		return grens_error_set(err, GRENS_EIO, "cannot lock %s: %s", path, strerror(e));
	}
	char buf[32];
	ssize_t n = pread(f, buf, sizeof(buf) - 1, 0);
	close(f);
	int64_t pid = 0;
	if (n > 0) {
		buf[n] = '\0';
		if (grens_parse_i64(buf, strcspn(buf, "\n"), 1, INT32_MAX, &pid) != 0)
			pid = 0;
	}
	*holder = pid;
	return 0;
}

int grens_rt_record_lock(int *fd, const char *dir, int64_t *holder, grens_error *err)
{
	if (!fd)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_record_lock: fd is NULL");
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_record_lock: dir is NULL");
	if (!holder)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_record_lock: holder is NULL");
	int f;
	int rc = try_lock(&f, dir, holder, err);
	*fd = -1;
	if (rc || f < 0)
		return rc;
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(f, 0) != 0 || pwrite(f, buf, (size_t)n, 0) != n) {
		int e = errno;
		close(f);
		return grens_error_set(err, GRENS_EIO, "cannot write the pid into %s/%s: %s", dir,
				       LOCK_NAME, strerror(e));
	}
	remove_stale_parts(dir);
	*fd = f;
	return 0;
}

int grens_rt_record_probe(const char *dir, int64_t *holder, grens_error *err)
{
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_record_probe: dir is NULL");
	if (!holder)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_record_probe: holder is NULL");
	int f;
	int rc = try_lock(&f, dir, holder, err);
	if (f >= 0)
		close(f); /* free: left as it was, pid and all */
	return rc;
}

void grens_rt_record_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

int grens_rt_archive_add_file(grens_rt_archive *ar, const char *feed, int64_t received,
			      const char *path, bool *added, grens_error *err)
{
	if (!ar)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_add_file: ar is NULL");
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_archive_add_file: feed is NULL");
	if (!path)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_archive_add_file: path is NULL");
	if (!added)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_rt_archive_add_file: added is NULL");
	uint8_t *buf = NULL;
	size_t len = 0;
	*added = false;
	int rc = rt_read_file(path, &buf, &len, err);
	if (rc == 0)
		rc = grens_rt_archive_add(ar, feed, received, buf, len, added, err);
	free(buf);
	return rc;
}
