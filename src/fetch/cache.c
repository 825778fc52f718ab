/* The feed cache on disk: directories, atomic writes, SHA-256 of files,
 * kept versions and status.json. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fetch_internal.h"

int fetch_path(char *buf, size_t cap, const char *a, const char *b, const char *c)
{
	int n =
	    snprintf(buf, cap, "%s%s%s%s%s", a, b ? "/" : "", b ? b : "", c ? "/" : "", c ? c : "");
	if (n < 0 || (size_t)n >= cap)
		return GRENS_ELIMIT;
	return 0;
}

int fetch_mkdirs(const char *path, grens_error *err)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n == 0 || n >= sizeof(buf))
		return grens_error_set(err, GRENS_EARG, "cache path empty or too long");
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char saved = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			int e = errno;
			buf[i] = saved;
			return grens_error_set(err, GRENS_EIO, "cannot create directory %s: %s",
					       path, strerror(e));
		}
		buf[i] = saved;
	}
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
		return grens_error_set(err, GRENS_EIO, "cannot create directory %s: %s", path,
				       errno ? strerror(errno) : "not a directory");
	return 0;
}

int fetch_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return GRENS_EIO;
	int rc = fsync(fd) == 0 ? 0 : GRENS_EIO;
	close(fd);
	return rc;
}

int fetch_write_atomic(const char *dir, const char *name, const char *bytes, size_t len,
		       grens_error *err)
{
	char tmp[4096], dst[4096];
	int fd = -1;
	int rc = 0;
	if (fetch_path(tmp, sizeof(tmp), dir, ".status-XXXXXX", NULL) ||
	    fetch_path(dst, sizeof(dst), dir, name, NULL))
		return grens_error_set(err, GRENS_ELIMIT, "cache path too long");
	/* Errors name dst, the file the caller asked for: the temporary name
	 * means nothing to a user. */
	fd = mkstemp(tmp);
	if (fd < 0)
		return grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst, strerror(errno));
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, bytes + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst,
					     w < 0 ? strerror(errno) : "short write");
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst, strerror(errno));
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot write %s: rename: %s", dst,
				     strerror(errno));
		goto fail;
	}
	fetch_fsync_dir(dir);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return rc;
}


void fetch_iso_time(time_t t, char *buf, size_t cap)
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, cap, "%s", "");
}

/* Versions are named <seq>-<YYYYmmddTHHMMSSZ>-<sha12>.<ext>: a 10-digit
 * sequence number (so name order is replacement order, even for several
 * downloads within one clock tick), the UTC time the file was downloaded (its
 * modification time) and the start of its SHA-256. */
static bool is_version_name(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);
	if (n != 10 + 1 + 16 + 1 + 12 + 1 + e || name[10] != '-' || name[19] != 'T' ||
	    name[26] != 'Z' || name[27] != '-' || name[40] != '.' || strcmp(name + 41, ext) != 0)
		return false;
	for (int i = 0; i < 10; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

/* One more than the highest sequence number in vdir (1 when empty). */
static uint64_t next_sequence(const char *vdir, const char *ext)
{
	uint64_t max = 0;
	DIR *d = opendir(vdir);
	if (!d)
		return 1;
	for (;;) {
		const struct dirent *de = readdir(d);
		if (!de)
			break;
		int64_t v;
		if (is_version_name(de->d_name, ext) &&
		    grens_parse_i64(de->d_name, 10, 0, 9999999999, &v) == 0 && (uint64_t)v > max)
			max = (uint64_t)v;
	}
	closedir(d);
	return max + 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int fetch_keep_version(const char *feed_dir, const char *current, const char *ext,
		       const char *sha256, unsigned keep, grens_error *err)
{
	char vdir[4096], name[64], dst[4096];
	struct stat st;
	if (keep == 0)
		return 0;
	if (stat(current, &st) != 0)
		return 0; /* nothing to keep */
	if (fetch_path(vdir, sizeof(vdir), feed_dir, "versions", NULL))
		return grens_error_set(err, GRENS_ELIMIT, "cache path too long");
	char when[32];
	struct tm tm;
	time_t mt = st.st_mtime;
	if (!gmtime_r(&mt, &tm) || strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm) != 16)
		return grens_error_set(err, GRENS_EIO, "bad modification time of %s", current);
	uint64_t seq = next_sequence(vdir, ext);
	if (seq > 9999999999ull)
		return grens_error_set(err, GRENS_ELIMIT, "version numbers exhausted in %s", vdir);
	snprintf(name, sizeof(name), "%010llu-%s-%.12s.%s", (unsigned long long)seq, when,
		 sha256[0] ? sha256 : "000000000000", ext);
	if (fetch_path(dst, sizeof(dst), vdir, name, NULL))
		return grens_error_set(err, GRENS_ELIMIT, "cache path too long");
	if (link(current, dst) != 0 && errno != EEXIST)
		return grens_error_set(err, GRENS_EIO, "cannot keep previous version as %s: %s",
				       dst, strerror(errno));
	return 0;
}

void fetch_prune_versions(const char *feed_dir, const char *ext, unsigned keep)
{
	char vdir[4096], path[4096];
	char *names[GRENS_FETCH_MAX_KEEP_VERSIONS * 4];
	size_t count = 0;
	if (fetch_path(vdir, sizeof(vdir), feed_dir, "versions", NULL))
		return;
	DIR *d = opendir(vdir);
	if (!d)
		return;
	for (;;) {
		const struct dirent *de = readdir(d);
		if (!de)
			break;
		if (!is_version_name(de->d_name, ext))
			continue;
		if (count == sizeof(names) / sizeof(names[0])) {
			/* Drop the oldest seen so far to stay bounded. */
			qsort(names, count, sizeof(names[0]), cmp_names);
			if (fetch_path(path, sizeof(path), vdir, names[0], NULL) == 0)
				unlink(path);
			free(names[0]);
			memmove(names, names + 1, (count - 1) * sizeof(names[0]));
			count--;
		}
		char *copy = strdup(de->d_name);
		if (!copy)
			break;
		names[count++] = copy;
	}
	closedir(d);
	qsort(names, count, sizeof(names[0]), cmp_names);
	for (size_t i = 0; i < count; i++) {
		if (i + keep < count && fetch_path(path, sizeof(path), vdir, names[i], NULL) == 0)
			unlink(path);
		free(names[i]);
	}
}

void fetch_remove_parts(const char *feed_dir)
{
	char path[4096];
	DIR *d = opendir(feed_dir);
	if (!d)
		return;
	for (;;) {
		const struct dirent *de = readdir(d);
		if (!de)
			break;
		if (strncmp(de->d_name, ".part-", 6) != 0 &&
		    strncmp(de->d_name, ".status-", 8) != 0)
			continue;
		if (fetch_path(path, sizeof(path), feed_dir, de->d_name, NULL) == 0)
			unlink(path);
	}
	closedir(d);
}

/* ---- status.json ------------------------------------------------------------ */

static int set_str(json_t *obj, const char *key, const char *value)
{
	json_t *v = value && value[0] ? json_string(value) : json_null();
	return v && json_object_set_new(obj, key, v) == 0 ? 0 : GRENS_ENOMEM;
}

int fetch_status_write(const char *feed_dir, const grens_fetch_status *s, grens_error *err)
{
	int rc = 0;
	char *text = NULL;
	json_t *o = json_object();
	if (!o)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	rc |= set_str(o, "name", s->name);
	rc |= set_str(o, "kind", s->kind);
	rc |= set_str(o, "url", s->url);
	rc |= set_str(o, "last_attempt", s->last_attempt);
	rc |= set_str(o, "last_success", s->last_success);
	rc |= set_str(o, "last_change", s->last_change);
	rc |= set_str(o, "last_result", s->last_result);
	rc |=
	    json_object_set_new(o, "http_status", json_integer(s->http_status)) ? GRENS_ENOMEM : 0;
	rc |= json_object_set_new(o, "attempts", json_integer(s->attempts)) ? GRENS_ENOMEM : 0;
	rc |= set_str(o, "etag", s->etag);
	rc |= set_str(o, "last_modified", s->last_modified);
	rc |= set_str(o, "sha256", s->sha256);
	rc |= json_object_set_new(o, "size", json_integer((json_int_t)s->size)) ? GRENS_ENOMEM : 0;
	rc |= json_object_set_new(o, "consecutive_failures", json_integer(s->consecutive_failures))
		  ? GRENS_ENOMEM
		  : 0;
	rc |= set_str(o, "last_error", s->last_error);
	if (rc) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	size_t len = strlen(text);
	char *withnl = realloc(text, len + 2);
	if (!withnl) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	text = withnl;
	text[len++] = '\n';
	text[len] = '\0';
	rc = fetch_write_atomic(feed_dir, "status.json", text, len, err);
fail:
	free(text);
	json_decref(o);
	return rc;
}

static int get_str(json_t *o, const char *key, char *dst, size_t cap, const char *path,
		   grens_error *err)
{
	json_t *v = json_object_get(o, key);
	dst[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= cap) {
		grens_error_set(err, GRENS_EFORMAT, "'%s' must be a string of < %zu bytes", key,
				cap);
		grens_error_at(err, path, 0, 0, key);
		return GRENS_EFORMAT;
	}
	memcpy(dst, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int get_int(json_t *o, const char *key, json_int_t max, json_int_t *out, const char *path,
		   grens_error *err)
{
	json_t *v = json_object_get(o, key);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > max) {
		grens_error_set(err, GRENS_EFORMAT, "'%s' must be an integer in 0..%lld", key,
				(long long)max);
		grens_error_at(err, path, 0, 0, key);
		return GRENS_EFORMAT;
	}
	*out = json_integer_value(v);
	return 0;
}

int grens_fetch_status_read(grens_fetch_status *out, const char *cache_dir, const char *name,
			    grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_status_read: out is NULL");
	if (!cache_dir)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_fetch_status_read: cache_dir is NULL");
	if (!name)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_status_read: name is NULL");
	char path[4096];
	json_error_t jerr;
	json_t *o = NULL;
	json_int_t iv;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	grens_error_clear(err);
	if (!grens_fetch_name_valid(name))
		return grens_error_set(err, GRENS_EARG, "bad feed name '%s'", name);
	if (fetch_path(path, sizeof(path), cache_dir, name, "status.json"))
		return grens_error_set(err, GRENS_ELIMIT, "cache path too long");
	struct stat st;
	if (stat(path, &st) != 0) {
		rc = grens_error_set(err, GRENS_ENOTFOUND, "no status: %s", strerror(errno));
		grens_error_at(err, path, 0, 0, NULL);
		return rc;
	}
	if (st.st_size > (off_t)GRENS_FETCH_STATUS_MAX_BYTES) {
		rc = grens_error_set(err, GRENS_EFORMAT, "larger than %u bytes",
				     GRENS_FETCH_STATUS_MAX_BYTES);
		grens_error_at(err, path, 0, 0, NULL);
		return rc;
	}
	o = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!o || !json_is_object(o)) {
		rc = grens_error_set(err, GRENS_EFORMAT, "not a JSON object: %s",
				     o ? "wrong type" : jerr.text);
		grens_error_at(err, path, o ? 0 : (uint32_t)jerr.line,
			       o ? 0 : (uint32_t)jerr.column, NULL);
		goto fail;
	}
	struct {
		const char *key;
		char *dst;
		size_t cap;
	} strs[] = {
	    {"name", out->name, sizeof(out->name)},
	    {"kind", out->kind, sizeof(out->kind)},
	    {"url", out->url, sizeof(out->url)},
	    {"last_attempt", out->last_attempt, sizeof(out->last_attempt)},
	    {"last_success", out->last_success, sizeof(out->last_success)},
	    {"last_change", out->last_change, sizeof(out->last_change)},
	    {"last_result", out->last_result, sizeof(out->last_result)},
	    {"etag", out->etag, sizeof(out->etag)},
	    {"last_modified", out->last_modified, sizeof(out->last_modified)},
	    {"sha256", out->sha256, sizeof(out->sha256)},
	    {"last_error", out->last_error, sizeof(out->last_error)},
	};
	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		rc = get_str(o, strs[i].key, strs[i].dst, strs[i].cap, path, err);
		if (rc)
			goto fail;
	}
	rc = get_int(o, "http_status", 999, &iv, path, err);
	if (rc)
		goto fail;
	out->http_status = (long)iv;
	rc = get_int(o, "attempts", UINT32_MAX, &iv, path, err);
	if (rc)
		goto fail;
	out->attempts = (uint32_t)iv;
	rc = get_int(o, "size", INT64_MAX, &iv, path, err);
	if (rc)
		goto fail;
	out->size = (uint64_t)iv;
	rc = get_int(o, "consecutive_failures", UINT32_MAX, &iv, path, err);
	if (rc)
		goto fail;
	out->consecutive_failures = (uint32_t)iv;
fail:
	json_decref(o);
	return rc;
}
