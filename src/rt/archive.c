/* Archives of recorded FeedMessages: one gzip file per distinct snapshot in
 * a folder per UTC day, with an index that can always be rebuilt from the
 * files. Writers never leave half a file under its final name (temporary
 * file, fsync, rename, fsync of the folder), so a recorder killed at any
 * moment leaves at worst a hidden temporary file, removed at the next open. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) ((void)(obj), hash_oom = 1)
#include <uthash.h>

#include "grens/limits.h"
#include "rt_internal.h"

#define INDEX_NAME "index.csv"
#define INDEX_HEADER "received_utc,header_timestamp,feed,sha256,bytes,file\n"
#define SNAP_EXT ".pb.gz"
#define TEMP_PREFIX ".part-"

typedef struct seen_hash {
	char key[64 + 66];
	UT_hash_handle hh;
} seen_hash;

struct grens_rt_archive {
	char dir[4096];
	bool writable;
	grens_rt_snapshot *snaps;
	uint32_t count, cap;
	seen_hash *seen;
	grens_rt_archive_stats stats;
};

static int path_join(char *buf, size_t cap, const char *a, const char *b)
{
	int n = snprintf(buf, cap, "%s/%s", a, b);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static bool is_day_name(const char *s)
{
	grens_date d;
	return strlen(s) == 10 && grens_date_parse_iso(s, 10, &d) == 0;
}

static void day_name(int64_t t, char out[11])
{
	grens_date d = (grens_date)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	grens_date_format_iso(d, out, 11);
}

/* "HHMMSSZ-FEED-SHA12.pb.gz": the received time of day (seconds), the feed
 * name and the hash prefix; false when name is not a snapshot's. */
static bool parse_snap_name(const char *name, int32_t *tod, char *feed, size_t feed_cap,
			    char sha12[13])
{
	size_t n = strlen(name), ext = strlen(SNAP_EXT);
	if (n < 8 + 1 + 1 + 12 + ext || strcmp(name + n - ext, SNAP_EXT) != 0 || name[6] != 'Z' ||
	    name[7] != '-')
		return false;
	int v[6];
	for (int i = 0; i < 6; i++) {
		if (name[i] < '0' || name[i] > '9')
			return false;
		v[i] = name[i] - '0';
	}
	int h = v[0] * 10 + v[1], m = v[2] * 10 + v[3], s = v[4] * 10 + v[5];
	if (h > 23 || m > 59 || s > 60)
		return false;
	const char *hash = name + n - ext - 12;
	if (hash[-1] != '-')
		return false;
	for (int i = 0; i < 12; i++)
		if (!((hash[i] >= '0' && hash[i] <= '9') || (hash[i] >= 'a' && hash[i] <= 'f')))
			return false;
	size_t flen = (size_t)(hash - 1 - (name + 8));
	if (flen == 0 || flen >= feed_cap)
		return false;
	memcpy(feed, name + 8, flen);
	feed[flen] = '\0';
	memcpy(sha12, hash, 12);
	sha12[12] = '\0';
	*tod = h * 3600 + m * 60 + s;
	return true;
}

static int seen_add(grens_rt_archive *ar, const char *feed, const char *sha)
{
	seen_hash *h = calloc(1, sizeof(*h));
	if (!h)
		return GRENS_ENOMEM;
	snprintf(h->key, sizeof(h->key), "%s %s", feed, sha);
	seen_hash *old = NULL;
	HASH_FIND_STR(ar->seen, h->key, old);
	if (old) {
		free(h);
		return 0;
	}
	int hash_oom = 0;
	HASH_ADD_STR(ar->seen, key, h);
	if (hash_oom) {
		free(h);
		return GRENS_ENOMEM;
	}
	return 0;
}

static bool seen_has(const grens_rt_archive *ar, const char *feed, const char *sha)
{
	char key[sizeof(((seen_hash *)0)->key)];
	snprintf(key, sizeof(key), "%s %s", feed, sha);
	seen_hash *h = NULL;
	HASH_FIND_STR(ar->seen, key, h);
	return h != NULL;
}

static int push(grens_rt_archive *ar, const grens_rt_snapshot *s, grens_error *err)
{
	if (ar->count == ar->cap) {
		if (ar->cap >= GRENS_LIMIT_RT_ARCHIVE_SNAPSHOTS)
			return grens_error_set(err, GRENS_ELIMIT,
					       "%s: more than %u snapshots in the archive", ar->dir,
					       GRENS_LIMIT_RT_ARCHIVE_SNAPSHOTS);
		uint32_t cap = ar->cap ? ar->cap * 2 : 256;
		grens_rt_snapshot *n = realloc(ar->snaps, (size_t)cap * sizeof(*n));
		if (!n)
			return grens_error_set(err, GRENS_ENOMEM, "out of memory");
		ar->snaps = n;
		ar->cap = cap;
	}
	ar->snaps[ar->count++] = *s;
	ar->stats.snapshots++;
	ar->stats.bytes += s->bytes;
	if (seen_add(ar, s->feed, s->sha256) != 0)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	return 0;
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return GRENS_EIO;
	int rc = fsync(fd) == 0 ? 0 : GRENS_EIO;
	close(fd);
	return rc;
}

/* Write bytes to dir/name through a temporary file, fsync and rename. */
static int write_atomic(const char *dir, const char *name, const void *bytes, size_t len,
			grens_error *err)
{
	char tmp[4096], dst[4096];
	if (path_join(tmp, sizeof(tmp), dir, TEMP_PREFIX "XXXXXX") ||
	    path_join(dst, sizeof(dst), dir, name))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst, strerror(errno));
	const char *p = bytes;
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst) != 0)
		goto fail;
	fsync_dir(dir);
	return 0;
fail:
	grens_error_set(err, GRENS_EIO, "cannot write %s: %s", dst, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return GRENS_EIO;
}

static int gunzip(const uint8_t *in, size_t len, const char *name, uint8_t **out, size_t *out_len,
		  grens_error *err)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	size_t cap = len * 4 + 1024, n = 0;
	uint8_t *buf = malloc(cap);
	int rc = 0, zr = Z_OK;
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	while (buf && zr != Z_STREAM_END) {
		if (n == cap) {
			if (cap > GRENS_LIMIT_RT_BYTES) {
				rc = grens_error_set(err, GRENS_ELIMIT,
						     "%s: more than %u bytes uncompressed", name,
						     GRENS_LIMIT_RT_BYTES);
				goto fail;
			}
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		z.next_out = buf + n;
		z.avail_out = (uInt)(cap - n);
		zr = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
		if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && n == cap)) {
			rc = grens_error_set(err, GRENS_EFORMAT,
					     "%s: not a complete gzip stream (%s)", name,
					     zr == Z_BUF_ERROR ? "truncated" : "corrupt");
			goto fail;
		}
	}
	if (!buf) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto fail;
	}
	inflateEnd(&z);
	*out = buf;
	*out_len = n;
	return 0;
fail:
	inflateEnd(&z);
	free(buf);
	return rc;
}

static int gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return GRENS_ENOMEM;
	size_t cap = deflateBound(&z, (uLong)len) + 64;
	uint8_t *buf = malloc(cap);
	if (!buf) {
		deflateEnd(&z);
		return GRENS_ENOMEM;
	}
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)cap;
	int zr = deflate(&z, Z_FINISH);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	if (zr != Z_STREAM_END) {
		free(buf);
		return GRENS_ENOMEM;
	}
	*out = buf;
	return 0;
}

/* Decode a snapshot file fully: its hash, size and header timestamp. */
static int load_snapshot(const char *path, grens_rt_snapshot *s, grens_rt_feed **keep,
			 grens_error *err)
{
	uint8_t *gz = NULL, *raw = NULL;
	size_t gz_len = 0, raw_len = 0;
	grens_rt_feed *feed = NULL;
	int rc = rt_read_file(path, &gz, &gz_len, err);
	if (rc == 0)
		rc = gunzip(gz, gz_len, path, &raw, &raw_len, err);
	if (rc == 0)
		rc = grens_rt_decode(&feed, raw, raw_len, path, err);
	if (rc == 0) {
		char sha[65];
		grens_sha256_hex(raw, raw_len, sha);
		if (s->sha256[0] && strncmp(s->sha256, sha, strlen(s->sha256)) != 0) {
			rc = grens_error_set(err, GRENS_EFORMAT,
					     "%s: SHA-256 %.12s does not match its name or index",
					     path, sha);
		} else {
			memcpy(s->sha256, sha, sizeof(sha));
			s->bytes = raw_len;
			s->header_ts = feed->summary.timestamp;
		}
	}
	free(gz);
	free(raw);
	if (rc == 0 && keep)
		*keep = feed;
	else
		grens_rt_feed_free(feed);
	return rc;
}

int grens_rt_archive_read(const grens_rt_archive *ar, const grens_rt_snapshot *snap,
			  grens_rt_feed **out, grens_error *err)
{
	if (!ar)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_read: ar is NULL");
	if (!snap)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_read: snap is NULL");
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_read: out is NULL");
	char path[4096];
	*out = NULL;
	if (path_join(path, sizeof(path), ar->dir, snap->file))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", ar->dir);
	grens_rt_snapshot s = *snap;
	return load_snapshot(path, &s, out, err);
}

/* A day's index.csv: rows whose file is among names[0..n) are appended to
 * the archive; returns how many (0 when the index is missing or unusable). */
static uint32_t read_index(grens_rt_archive *ar, const char *day, const char *day_dir,
			   char **names, uint32_t n, bool *listed)
{
	char path[4096];
	uint8_t *text = NULL;
	size_t len = 0;
	grens_error e;
	grens_error_clear(&e);
	if (path_join(path, sizeof(path), day_dir, INDEX_NAME) ||
	    rt_read_file(path, &text, &len, &e) != 0)
		return 0;
	uint32_t rows = 0;
	size_t pos = 0, hl = strlen(INDEX_HEADER);
	if (len < hl || memcmp(text, INDEX_HEADER, hl) != 0)
		goto done;
	pos = hl;
	while (pos < len) {
		size_t end = pos;
		while (end < len && text[end] != '\n')
			end++;
		if (end == len)
			break; /* a row without its newline was cut short */
		char line[512];
		size_t ll = end - pos;
		if (ll >= sizeof(line)) {
			pos = end + 1;
			continue;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos = end + 1;
		char *f[6];
		int nf = 0;
		char *c = line;
		f[nf++] = c;
		while (*c && nf < 6) {
			if (*c == ',') {
				*c = '\0';
				f[nf++] = c + 1;
			}
			c++;
		}
		if (nf != 6)
			continue;
		uint32_t k;
		for (k = 0; k < n; k++)
			if (!listed[k] && strcmp(names[k], f[5]) == 0)
				break;
		if (k == n)
			continue;
		grens_rt_snapshot s;
		memset(&s, 0, sizeof(s));
		int32_t tod;
		char sha12[13];
		int64_t hts, bytes;
		if (!parse_snap_name(f[5], &tod, s.feed, sizeof(s.feed), sha12) ||
		    strlen(f[3]) != 64 || strncmp(f[3], sha12, 12) != 0 || strcmp(f[2], s.feed) ||
		    grens_parse_i64(f[1], strlen(f[1]), -RT_TIME_LIMIT, RT_TIME_LIMIT, &hts) != 0 ||
		    grens_parse_i64(f[4], strlen(f[4]), 0, INT64_MAX, &bytes) != 0)
			continue;
		grens_date d;
		grens_date_parse_iso(day, 10, &d);
		s.received = (int64_t)d * 86400 + tod;
		s.header_ts = hts;
		memcpy(s.sha256, f[3], 65);
		s.bytes = (uint64_t)bytes;
		snprintf(s.file, sizeof(s.file), "%s/%s", day, f[5]);
		if (push(ar, &s, &e) != 0)
			break;
		listed[k] = true;
		rows++;
	}
done:
	free(text);
	return rows;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_snaps(const void *a, const void *b)
{
	const grens_rt_snapshot *x = a, *y = b;
	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	int c = strcmp(x->feed, y->feed);
	return c ? c : strcmp(x->file, y->file);
}

static int write_index(grens_rt_archive *ar, const char *day, grens_error *err)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	int rc = 0;
	if (!buf)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	len = (size_t)snprintf(buf, cap, "%s", INDEX_HEADER);
	for (uint32_t i = 0; i < ar->count; i++) {
		const grens_rt_snapshot *s = &ar->snaps[i];
		if (strncmp(s->file, day, 10) != 0 || s->file[10] != '/')
			continue;
		if (cap - len < 512) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return grens_error_set(err, GRENS_ENOMEM, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		struct tm tm;
		time_t t = (time_t)s->received;
		gmtime_r(&t, &tm);
		char when[32];
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		len += (size_t)snprintf(buf + len, cap - len, "%s,%lld,%s,%s,%llu,%s\n", when,
					(long long)s->header_ts, s->feed, s->sha256,
					(unsigned long long)s->bytes, s->file + 11);
	}
	char dd[4096];
	if (path_join(dd, sizeof(dd), ar->dir, day))
		rc = grens_error_set(err, GRENS_ELIMIT, "%s: path too long", ar->dir);
	else
		rc = write_atomic(dd, INDEX_NAME, buf, len, err);
	free(buf);
	return rc;
}

/* List one day folder: index rows for the files it names, then every file
 * the index lacks, decoded (corrupt ones skipped and counted). */
static int scan_day(grens_rt_archive *ar, const char *day, grens_error *err)
{
	char day_dir[4096], path[4096];
	if (path_join(day_dir, sizeof(day_dir), ar->dir, day))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", ar->dir);
	DIR *d = opendir(day_dir);
	if (!d)
		return 0;
	char **names = NULL;
	uint32_t n = 0, cap = 0;
	bool *listed = NULL;
	int rc = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (strncmp(name, TEMP_PREFIX, strlen(TEMP_PREFIX)) == 0) {
			if (ar->writable && path_join(path, sizeof(path), day_dir, name) == 0 &&
			    unlink(path) == 0)
				ar->stats.temp_removed++;
			continue;
		}
		size_t nl = strlen(name);
		if (nl > 8 && strcmp(name + nl - 8, ".corrupt") == 0) {
			ar->stats.corrupt++;
			continue;
		}
		int32_t tod;
		char feed[64], sha12[13];
		if (!parse_snap_name(name, &tod, feed, sizeof(feed), sha12) ||
		    strlen(day) + 1 + nl >= sizeof(((grens_rt_snapshot *)0)->file))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn) {
				rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
				goto done;
			}
			names = nn;
		}
		names[n] = strdup(name);
		if (!names[n]) {
			rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
			goto done;
		}
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	listed = calloc(n + 1, sizeof(*listed));
	if (!listed) {
		rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
		goto done;
	}
	ar->stats.days++;
	uint32_t rows = read_index(ar, day, day_dir, names, n, listed);
	if (rows == n)
		goto done;
	/* The index lacks files: a write was interrupted between the
	 * snapshot's rename and the index's, or the index was lost. */
	ar->stats.reindexed_days++;
	for (uint32_t k = 0; k < n; k++) {
		if (listed[k])
			continue;
		grens_rt_snapshot s;
		memset(&s, 0, sizeof(s));
		int32_t tod;
		char sha12[13];
		parse_snap_name(names[k], &tod, s.feed, sizeof(s.feed), sha12);
		memcpy(s.sha256, sha12, 13);
		grens_date dd;
		grens_date_parse_iso(day, 10, &dd);
		s.received = (int64_t)dd * 86400 + tod;
		snprintf(s.file, sizeof(s.file), "%s/%s", day, names[k]);
		if (path_join(path, sizeof(path), day_dir, names[k]))
			continue;
		grens_error e;
		grens_error_clear(&e);
		int lr = load_snapshot(path, &s, NULL, &e);
		if (lr == GRENS_ENOMEM) {
			rc = grens_error_set(err, lr, "out of memory");
			goto done;
		}
		if (lr != 0) {
			ar->stats.corrupt++;
			if (ar->writable) {
				char bad[4200];
				snprintf(bad, sizeof(bad), "%s.corrupt", path);
				rename(path, bad);
			}
			continue;
		}
		if ((rc = push(ar, &s, err)) != 0)
			goto done;
	}
	if (ar->writable)
		rc = write_index(ar, day, err);
done:
	closedir(d);
	for (uint32_t k = 0; k < n; k++)
		free(names[k]);
	free(names);
	free(listed);
	return rc;
}

int grens_rt_archive_open(grens_rt_archive **out, const char *dir, bool writable,
			  grens_error *err)
{
	if (!out)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_open: out is NULL");
	if (!dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_open: dir is NULL");
	*out = NULL;
	grens_rt_archive *ar = calloc(1, sizeof(*ar));
	if (!ar)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory");
	int rc = 0;
	char **days = NULL;
	uint32_t nd = 0, cap = 0;
	DIR *d = NULL;
	if (strlen(dir) >= sizeof(ar->dir) - 160) {
		rc = grens_error_set(err, GRENS_ELIMIT, "%s: path too long", dir);
		goto fail;
	}
	snprintf(ar->dir, sizeof(ar->dir), "%s", dir);
	ar->writable = writable;
	if (writable && mkdir(dir, 0755) != 0 && errno != EEXIST) {
		rc = grens_error_set(err, GRENS_EIO, "cannot create %s: %s", dir, strerror(errno));
		goto fail;
	}
	d = opendir(dir);
	if (!d) {
		rc = grens_error_set(err, errno == ENOENT ? GRENS_ENOTFOUND : GRENS_EIO,
				     "cannot open the archive %s: %s", dir, strerror(errno));
		goto fail;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_day_name(de->d_name))
			continue;
		if (nd == cap) {
			cap = cap ? cap * 2 : 32;
			char **nn = realloc(days, cap * sizeof(*nn));
			if (!nn)
				goto oom;
			days = nn;
		}
		if (!(days[nd] = strdup(de->d_name)))
			goto oom;
		nd++;
	}
	closedir(d);
	d = NULL;
	if (nd)
		qsort(days, nd, sizeof(*days), cmp_names);
	for (uint32_t i = 0; i < nd && rc == 0; i++)
		rc = scan_day(ar, days[i], err);
	if (rc)
		goto fail;
	if (ar->count)
		qsort(ar->snaps, ar->count, sizeof(*ar->snaps), cmp_snaps);
	*out = ar;
	goto done;
oom:
	rc = grens_error_set(err, GRENS_ENOMEM, "out of memory");
fail:
	grens_rt_archive_free(ar);
done:
	if (d)
		closedir(d);
	for (uint32_t i = 0; i < nd; i++)
		free(days[i]);
	free(days);
	return rc;
}

void grens_rt_archive_free(grens_rt_archive *ar)
{
	if (!ar)
		return;
	seen_hash *h, *tmp;
	HASH_ITER(hh, ar->seen, h, tmp)
	{
		HASH_DEL(ar->seen, h);
		free(h);
	}
	free(ar->snaps);
	free(ar);
}

const grens_rt_archive_stats *grens_rt_archive_stats_get(const grens_rt_archive *ar)
{
	if (!ar)
		return NULL; /* NULL not allowed: docs/api.md */
	return &ar->stats;
}

uint32_t grens_rt_archive_count(const grens_rt_archive *ar)
{
	if (!ar)
		return 0; /* NULL not allowed: docs/api.md */
	return ar->count;
}

const grens_rt_snapshot *grens_rt_archive_at(const grens_rt_archive *ar, uint32_t i)
{
	if (!ar)
		return NULL; /* NULL not allowed: docs/api.md */
	return i < ar->count ? &ar->snaps[i] : NULL;
}

/* The first snapshot received at or after t: snapshots are kept sorted by
 * received time. */
static uint32_t lower_bound(const grens_rt_archive *ar, int64_t t)
{
	uint32_t lo = 0, hi = ar->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ar->snaps[mid].received < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint32_t grens_rt_archive_range(const grens_rt_archive *ar, int64_t from, int64_t to,
				uint32_t *first)
{
	if (first)
		*first = 0;
	if (!ar)
		return 0; /* NULL not allowed: docs/api.md */
	uint32_t a = lower_bound(ar, from);
	uint32_t b = to > from ? lower_bound(ar, to) : a;
	if (first)
		*first = a;
	return b - a;
}

static bool feed_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= 64 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

int grens_rt_archive_add(grens_rt_archive *ar, const char *feed, int64_t received,
			 const uint8_t *buf, size_t len, bool *added, grens_error *err)
{
	if (!ar)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_add: ar is NULL");
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_add: feed is NULL");
	if (!buf && len)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_add: buf is NULL");
	if (!added)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_add: added is NULL");
	*added = false;
	if (!ar->writable)
		return grens_error_set(err, GRENS_EARG, "%s: the archive is open read-only",
				       ar->dir);
	if (!feed_name_ok(feed))
		return grens_error_set(err, GRENS_EARG, "feed name \"%s\" is not usable in a file name",
				       feed);
	grens_rt_snapshot s;
	memset(&s, 0, sizeof(s));
	grens_sha256_hex(buf, len, s.sha256);
	if (seen_has(ar, feed, s.sha256))
		return 0;
	grens_rt_feed *decoded = NULL;
	int rc = grens_rt_decode(&decoded, buf, len, feed, err);
	if (rc)
		return rc;
	s.header_ts = decoded->summary.timestamp;
	grens_rt_feed_free(decoded);
	s.received = received;
	s.bytes = len;
	snprintf(s.feed, sizeof(s.feed), "%s", feed);
	char day[11], day_dir[4096], name[100];
	day_name(received, day);
	int32_t tod = (int32_t)(received - (int64_t)(received >= 0 ? received / 86400
								: (received - 86399) / 86400) *
						 86400);
	snprintf(name, sizeof(name), "%02d%02d%02dZ-%s-%.12s" SNAP_EXT, tod / 3600, tod / 60 % 60,
		 tod % 60, feed, s.sha256);
	snprintf(s.file, sizeof(s.file), "%s/%s", day, name);
	if (path_join(day_dir, sizeof(day_dir), ar->dir, day))
		return grens_error_set(err, GRENS_ELIMIT, "%s: path too long", ar->dir);
	if (mkdir(day_dir, 0755) != 0 && errno != EEXIST)
		return grens_error_set(err, GRENS_EIO, "cannot create %s: %s", day_dir,
				       strerror(errno));
	uint8_t *gz = NULL;
	size_t gz_len = 0;
	if (gzip(buf, len, &gz, &gz_len) != 0)
		return grens_error_set(err, GRENS_ENOMEM, "out of memory compressing a snapshot");
	rc = write_atomic(day_dir, name, gz, gz_len, err);
	free(gz);
	if (rc)
		return rc;
	if ((rc = push(ar, &s, err)) != 0)
		return rc;
	/* keep the list sorted: received times mostly grow, so this is a
	 * short walk from the end */
	for (uint32_t i = ar->count - 1; i > 0 && cmp_snaps(&ar->snaps[i - 1], &ar->snaps[i]) > 0;
	     i--) {
		grens_rt_snapshot t = ar->snaps[i];
		ar->snaps[i] = ar->snaps[i - 1];
		ar->snaps[i - 1] = t;
	}
	if ((rc = write_index(ar, day, err)) != 0)
		return rc;
	*added = true;
	return 0;
}

static int remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return GRENS_EIO;
	struct dirent *de;
	char path[4096];
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* day folders hold only files; anything else is not ours */
		if (path_join(path, sizeof(path), dir, de->d_name) == 0)
			unlink(path);
	}
	closedir(d);
	return rmdir(dir) == 0 ? 0 : GRENS_EIO;
}

int grens_rt_archive_prune(grens_rt_archive *ar, int64_t now, unsigned keep_days,
			   uint32_t *removed, grens_error *err)
{
	if (!ar)
		return grens_error_set(err, GRENS_EINVAL, "grens_rt_archive_prune: ar is NULL");
	if (removed)
		*removed = 0;
	if (keep_days == 0 || !ar->writable)
		return 0;
	char oldest[11], day_dir[4096];
	day_name(now - (int64_t)keep_days * 86400, oldest);
	uint32_t kept = 0;
	char last[11] = "";
	for (uint32_t i = 0; i < ar->count; i++) {
		const grens_rt_snapshot *s = &ar->snaps[i];
		if (strncmp(s->file, oldest, 10) >= 0) {
			ar->snaps[kept++] = *s;
			continue;
		}
		ar->stats.snapshots--;
		ar->stats.bytes -= s->bytes;
		if (strncmp(last, s->file, 10) == 0)
			continue;
		memcpy(last, s->file, 10);
		last[10] = '\0';
		if (path_join(day_dir, sizeof(day_dir), ar->dir, last) == 0 &&
		    remove_tree(day_dir) == 0) {
			ar->stats.removed_days++;
			if (removed)
				(*removed)++;
		}
	}
	ar->count = kept;
	(void)err;
	return 0;
}

int rt_archive_write_atomic(const char *dir, const char *name, const void *bytes, size_t len,
			    grens_error *err)
{
	return write_atomic(dir, name, bytes, len, err);
}
