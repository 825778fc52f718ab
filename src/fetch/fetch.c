/* Downloading one feed with libcurl: conditional GET, retries with backoff,
 * size cap while streaming, verification and atomic replace. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "fetch_internal.h"

const char *grens_fetch_outcome_name(grens_fetch_outcome outcome)
{
	switch (outcome) {
	case GRENS_FETCH_UPDATED:
		return "updated";
	case GRENS_FETCH_NOT_MODIFIED:
		return "not_modified";
	case GRENS_FETCH_UNCHANGED:
		return "unchanged";
	case GRENS_FETCH_FAILED:
		break;
	}
	return "failed";
}

int grens_fetch_global_init(grens_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return grens_error_set(err, GRENS_EIO, "cannot initialise libcurl");
	return 0;
}

void grens_fetch_global_cleanup(void)
{
	curl_global_cleanup();
}

/* State of one transfer, shared with the libcurl callbacks. */
struct transfer {
	int fd;
	uint64_t bytes;
	uint64_t cap;
	bool over_cap;
	int write_errno;
	EVP_MD_CTX *md;
	char etag[GRENS_FETCH_VALUE_BYTES];
	char last_modified[GRENS_FETCH_TEXT_BYTES];
	const grens_progress *progress;
	const char *name;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nmemb; /* libcurl guarantees this does not overflow */
	if (n > t->cap || t->bytes > t->cap - n) {
		t->over_cap = true;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(t->fd, ptr + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			t->write_errno = w < 0 ? errno : EIO;
			return 0;
		}
		off += (size_t)w;
	}
	EVP_DigestUpdate(t->md, ptr, n);
	t->bytes += n;
	return n;
}

/* Copy a header value (trimmed) when line is "Name: value". */
static void header_value(const char *line, size_t len, const char *name, char *dst, size_t cap)
{
	size_t nlen = strlen(name);
	if (len <= nlen || strncasecmp(line, name, nlen) != 0 || line[nlen] != ':')
		return;
	const char *v = line + nlen + 1;
	size_t vlen = len - nlen - 1;
	while (vlen && (*v == ' ' || *v == '\t')) {
		v++;
		vlen--;
	}
	while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' ' ||
			v[vlen - 1] == '\t'))
		vlen--;
	if (vlen >= cap)
		return; /* an absurdly long validator is not stored */
	memcpy(dst, v, vlen);
	dst[vlen] = '\0';
}

static size_t on_header(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct transfer *t = userdata;
	size_t n = size * nitems;
	/* Each response of a redirect chain starts with a status line: only the
	 * last response's validators count. */
	if (n >= 5 && strncmp(buffer, "HTTP/", 5) == 0) {
		t->etag[0] = '\0';
		t->last_modified[0] = '\0';
	}
	header_value(buffer, n, "ETag", t->etag, sizeof(t->etag));
	header_value(buffer, n, "Last-Modified", t->last_modified, sizeof(t->last_modified));
	return n;
}

static int on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct transfer *t = clientp;
	if (dlnow > 0)
		grens_progress_report(t->progress, t->name, (uint64_t)dlnow,
				      dltotal > 0 ? (uint64_t)dltotal : 0);
	return 0;
}

/* The options in force for one feed: the run's values, replaced by the
 * feed's own unless the run marked them as set on the command line. */
static grens_fetch_options effective_options(const grens_fetch_feed *f,
					     const grens_fetch_options *run)
{
	grens_fetch_options o = *run;
#define TAKE(bit, field, ffield)                                                                   \
	if ((f->set & (bit)) && !(run->set & (bit)))                                               \
		o.field = f->ffield;
	TAKE(GRENS_FETCH_SET_MAX_BYTES, max_bytes, max_bytes)
	TAKE(GRENS_FETCH_SET_RETRIES, retries, retries)
	TAKE(GRENS_FETCH_SET_TIMEOUT, timeout_s, timeout_s)
	TAKE(GRENS_FETCH_SET_CONNECT_TIMEOUT, connect_timeout_s, connect_timeout_s)
	TAKE(GRENS_FETCH_SET_LOW_SPEED_TIME, low_speed_time_s, low_speed_time_s)
	TAKE(GRENS_FETCH_SET_LOW_SPEED_BYTES, low_speed_bytes, low_speed_bytes)
	TAKE(GRENS_FETCH_SET_KEEP_VERSIONS, keep_versions, keep_versions)
	TAKE(GRENS_FETCH_SET_MAX_REDIRECTS, max_redirects, max_redirects)
	TAKE(GRENS_FETCH_SET_BACKOFF, backoff_ms, backoff_ms)
#undef TAKE
	if (o.retries > GRENS_FETCH_MAX_RETRIES_CAP)
		o.retries = GRENS_FETCH_MAX_RETRIES_CAP;
	if (o.max_redirects > GRENS_FETCH_MAX_REDIRECTS_CAP)
		o.max_redirects = GRENS_FETCH_MAX_REDIRECTS_CAP;
	if (o.keep_versions > GRENS_FETCH_MAX_KEEP_VERSIONS)
		o.keep_versions = GRENS_FETCH_MAX_KEEP_VERSIONS;
	return o;
}

static void sleep_ms(uint64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* How one attempt ended. */
enum attempt_end {
	END_OK, /* 200 with a body in the temporary file */
	END_NOT_MODIFIED,
	END_RETRY, /* transient: try the same URL again after a delay */
	END_FAIL,  /* give up on this URL */
};

struct attempt {
	long status;
	long retry_after_s;
	char tmp[4096];
	char sha256[65];
	int code; /* GRENS_E* for END_FAIL / END_RETRY */
};

static bool curl_transient(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

/* One GET of url into a new temporary file in feed_dir. */
static enum attempt_end attempt_once(CURL *h, const char *url, const char *feed_dir,
				     const grens_fetch_feed *feed, const grens_fetch_options *o,
				     struct curl_slist *headers, struct transfer *t,
				     struct attempt *a, grens_error *err)
{
	char errbuf[CURL_ERROR_SIZE];
	enum attempt_end end = END_FAIL;
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	a->status = 0;
	a->retry_after_s = 0;
	a->code = GRENS_EIO;
	a->sha256[0] = '\0';
	if (fetch_path(a->tmp, sizeof(a->tmp), feed_dir, ".part-XXXXXX", NULL)) {
		grens_error_set(err, GRENS_ELIMIT, "cache path too long");
		return END_FAIL;
	}
	t->fd = mkstemp(a->tmp);
	if (t->fd < 0) {
		grens_error_set(err, GRENS_EIO, "cannot create a temporary file in %s: %s",
				feed_dir, strerror(errno));
		a->tmp[0] = '\0';
		return END_FAIL;
	}
	t->bytes = 0;
	t->over_cap = false;
	t->write_errno = 0;
	t->etag[0] = '\0';
	t->last_modified[0] = '\0';
	EVP_DigestInit_ex(t->md, EVP_sha256(), NULL);
	errbuf[0] = '\0';

	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, t);
	if (o->progress.fn) {
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, t);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent ? o->user_agent : "grens");
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, o->max_redirects > 0 ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_MAXREDIRS, (long)o->max_redirects);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)o->connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)o->timeout_s);
	if (o->low_speed_time_s > 0 && o->low_speed_bytes > 0) {
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, (long)o->low_speed_bytes);
		curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, (long)o->low_speed_time_s);
	}
	if (o->max_bytes <= (uint64_t)INT64_MAX)
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_bytes);
	t->cap = o->max_bytes;

	CURLcode cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
	curl_off_t ra = 0;
	if (curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		a->retry_after_s = ra > 86400 ? 86400 : (long)ra;

	if (cc != CURLE_OK) {
		const char *why = errbuf[0] ? errbuf : curl_easy_strerror(cc);
		if (t->over_cap || cc == CURLE_FILESIZE_EXCEEDED) {
			a->code = GRENS_ELIMIT;
			grens_error_set(err, GRENS_ELIMIT,
					"%s: larger than the size cap of %llu bytes", url,
					(unsigned long long)o->max_bytes);
		} else if (t->write_errno) {
			grens_error_set(err, GRENS_EIO, "%s: cannot write %s: %s", url, a->tmp,
					strerror(t->write_errno));
		} else if (cc == CURLE_TOO_MANY_REDIRECTS) {
			grens_error_set(err, GRENS_EIO, "%s: more than %u redirects", url,
					o->max_redirects);
		} else if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
			grens_error_set(err, GRENS_EIO, "%s: only http and https are followed (%s)",
					url, why);
		} else if (cc == CURLE_PARTIAL_FILE) {
			grens_error_set(err, GRENS_EIO,
					"%s: truncated download (%llu bytes, connection closed "
					"before the announced length)",
					url, (unsigned long long)t->bytes);
			end = END_RETRY;
		} else if (cc == CURLE_OPERATION_TIMEDOUT) {
			grens_error_set(err, GRENS_EIO, "%s: timed out after %llu bytes: %s", url,
					(unsigned long long)t->bytes, why);
			end = END_RETRY;
		} else {
			grens_error_set(err, GRENS_EIO, "%s: %s", url, why);
			if (curl_transient(cc))
				end = END_RETRY;
		}
		goto done;
	}
	if (a->status == 304) {
		end = END_NOT_MODIFIED;
		goto done;
	}
	if (a->status == 429 || a->status == 408 || (a->status >= 500 && a->status <= 599)) {
		grens_error_set(err, GRENS_EIO, "%s: HTTP %ld", url, a->status);
		end = END_RETRY;
		goto done;
	}
	if (a->status != 200) {
		a->code = GRENS_EFORMAT;
		grens_error_set(err, GRENS_EFORMAT, "%s: HTTP %ld", url, a->status);
		goto done;
	}
	if (EVP_DigestFinal_ex(t->md, digest, &dlen) != 1 || dlen != 32) {
		grens_error_set(err, GRENS_EIO, "SHA-256 failed");
		goto done;
	}
	grens_sha256_digest_hex(digest, a->sha256);
	if (fsync(t->fd) != 0) {
		grens_error_set(err, GRENS_EIO, "cannot sync %s: %s", a->tmp, strerror(errno));
		goto done;
	}
	if (close(t->fd) != 0) {
		t->fd = -1;
		grens_error_set(err, GRENS_EIO, "cannot close %s: %s", a->tmp, strerror(errno));
		goto done;
	}
	t->fd = -1;
	if (o->verify) {
		grens_error verr;
		grens_error_clear(&verr);
		int vrc = o->verify(a->tmp, feed->kind, o->verify_ctx, &verr);
		if (vrc) {
			a->code = vrc < 0 ? vrc : GRENS_EFORMAT;
			grens_error_set(
			    err, a->code, "%s: downloaded %llu bytes, not a valid %s: %s", url,
			    (unsigned long long)t->bytes, grens_fetch_kind_name(feed->kind),
			    verr.message[0] ? verr.message : grens_strerror(vrc));
			goto done;
		}
	}
	chmod(a->tmp, 0644);
	end = END_OK;
done:
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	if (end != END_OK && a->tmp[0]) {
		unlink(a->tmp);
		a->tmp[0] = '\0';
	}
	return end;
}

/* A header value we may send: no control characters (a hand-edited
 * status.json must not inject header lines). */
static bool header_safe(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return false;
	return true;
}

/* Request headers: the feed's own plus the conditional ones. */
static int build_headers(struct curl_slist **out, const grens_fetch_feed *feed,
			 const grens_fetch_status *prev, bool conditional, grens_error *err)
{
	char line[GRENS_FETCH_TEXT_BYTES + GRENS_FETCH_VALUE_BYTES + 32];
	struct curl_slist *list = NULL;
	for (unsigned i = 0; i < feed->header_count && i < GRENS_FETCH_MAX_HEADERS; i++) {
		const grens_fetch_header *hd = &feed->headers[i];
		if (hd->env[0] && !hd->value[0]) {
			curl_slist_free_all(list);
			return grens_error_set(err, GRENS_EARG,
					       "header %s: environment variable %s is not set",
					       hd->name, hd->env);
		}
		snprintf(line, sizeof(line), "%s: %s", hd->name, hd->value);
		struct curl_slist *n = curl_slist_append(list, line);
		if (!n)
			goto oom;
		list = n;
	}
	if (conditional && prev->etag[0] && header_safe(prev->etag)) {
		snprintf(line, sizeof(line), "If-None-Match: %s", prev->etag);
		struct curl_slist *n = curl_slist_append(list, line);
		if (!n)
			goto oom;
		list = n;
	}
	if (conditional && prev->last_modified[0] && header_safe(prev->last_modified)) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", prev->last_modified);
		struct curl_slist *n = curl_slist_append(list, line);
		if (!n)
			goto oom;
		list = n;
	}
	*out = list;
	return 0;
oom:
	curl_slist_free_all(list);
	return grens_error_set(err, GRENS_ENOMEM, "out of memory");
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

int grens_fetch_run(const grens_fetch_feed *feed, const char *cache_dir,
		    const grens_fetch_options *opts, grens_fetch_result *result, grens_error *err)
{
	if (!feed)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_run: feed is NULL");
	if (!cache_dir)
		return grens_error_set(err, GRENS_EINVAL, "grens_fetch_run: cache_dir is NULL");
	if (opts && opts->version != GRENS_FETCH_OPTIONS_VERSION)
		return grens_error_set(
		    err, GRENS_EINVAL,
		    "grens_fetch_run: options version %u, not %u (GRENS_FETCH_OPTIONS_INIT)",
		    opts->version, GRENS_FETCH_OPTIONS_VERSION);
	static const grens_fetch_options defaults = GRENS_FETCH_OPTIONS_INIT;
	grens_fetch_result local;
	grens_fetch_result *res = result ? result : &local;
	grens_fetch_options o = effective_options(feed, opts ? opts : &defaults);
	const char *ext = feed->kind == GRENS_FETCH_GTFS_RT ? "pb" : "zip";
	char feed_dir[4096], vdir[4096], current[4096], lock_path[4096], cur_name[16];
	grens_fetch_status prev, st;
	grens_error tmp_err;
	struct transfer t;
	struct attempt a;
	struct curl_slist *headers = NULL;
	CURL *h = NULL;
	int lock_fd = -1;
	int rc = 0;
	bool have_current = false;
	bool status_ok = false; /* the feed directory exists: status.json can be written */
	grens_fetch_outcome outcome = GRENS_FETCH_FAILED;

	memset(res, 0, sizeof(*res));
	memset(&t, 0, sizeof(t));
	t.fd = -1;
	memset(&prev, 0, sizeof(prev));
	a.tmp[0] = '\0';
	grens_error_clear(err);
	snprintf(cur_name, sizeof(cur_name), "current.%s", ext);

	if (!grens_fetch_name_valid(feed->name))
		return grens_error_set(err, GRENS_EARG, "bad feed name '%s'", feed->name);
	if (fetch_path(feed_dir, sizeof(feed_dir), cache_dir, feed->name, NULL) ||
	    fetch_path(vdir, sizeof(vdir), feed_dir, "versions", NULL) ||
	    fetch_path(current, sizeof(current), feed_dir, cur_name, NULL) ||
	    fetch_path(lock_path, sizeof(lock_path), feed_dir, ".lock", NULL))
		return grens_error_set(err, GRENS_ELIMIT, "cache path too long: %s", cache_dir);
	copy_str(res->path, sizeof(res->path), current);
	copy_str(res->url, sizeof(res->url), feed->url);

	rc = fetch_mkdirs(feed_dir, err);
	if (rc)
		return rc;
	status_ok = true;

	/* Previous state; a missing or damaged status only costs the
	 * conditional request. */
	grens_error_clear(&tmp_err);
	if (grens_fetch_status_read(&prev, cache_dir, feed->name, &tmp_err) != 0)
		memset(&prev, 0, sizeof(prev));
	st = prev;
	copy_str(st.name, sizeof(st.name), feed->name);
	copy_str(st.kind, sizeof(st.kind), grens_fetch_kind_name(feed->kind));
	copy_str(st.url, sizeof(st.url), feed->url);
	fetch_iso_time(time(NULL), st.last_attempt, sizeof(st.last_attempt));
	st.attempts = 0;

	rc = fetch_mkdirs(vdir, err);
	if (rc)
		goto fail;
	lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock_fd < 0) {
		rc = grens_error_set(err, GRENS_EIO, "cannot open %s: %s", lock_path,
				     strerror(errno));
		goto fail;
	}
	if (flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
		rc = grens_error_set(err, GRENS_EIO, "%s is locked by another fetch", feed_dir);
		status_ok = false; /* the other run owns status.json */
		goto fail;
	}
	fetch_remove_parts(feed_dir);

	struct stat cst;
	have_current = stat(current, &cst) == 0 && S_ISREG(cst.st_mode);
	if (have_current && (strlen(prev.sha256) != 64 || prev.size != (uint64_t)cst.st_size)) {
		/* The status does not describe the file (damaged or hand-made
		 * cache): recompute, and do not trust its validators. */
		rc = grens_sha256_file(current, st.sha256, &st.size, err);
		if (rc)
			goto fail;
		prev.etag[0] = '\0';
		prev.last_modified[0] = '\0';
	}
	if (!have_current) {
		st.sha256[0] = '\0';
		st.size = 0;
	}

	rc = build_headers(&headers, feed, &prev, have_current && !o.force, err);
	if (rc)
		goto fail;
	t.md = EVP_MD_CTX_new();
	h = curl_easy_init();
	if (!t.md || !h) {
		rc = grens_error_set(err, GRENS_ENOMEM, "cannot initialise the HTTP client");
		goto fail;
	}
	t.progress = &o.progress;
	t.name = feed->name;

	enum attempt_end end = END_FAIL;
	char first_error[sizeof(err->message)] = "";
	rc = GRENS_EIO;
	for (unsigned u = 0; u <= feed->mirror_count && u <= GRENS_FETCH_MAX_MIRRORS; u++) {
		const char *url = u == 0 ? feed->url : feed->mirrors[u - 1];
		if (!url[0])
			continue;
		if (u > 0 && !first_error[0])
			copy_str(first_error, sizeof(first_error), err->message);
		for (unsigned try = 0; try <= o.retries; try++) {
			grens_error_clear(err);
			st.attempts++;
			res->attempts++;
			end = attempt_once(h, url, feed_dir, feed, &o, headers, &t, &a, err);
			res->http_status = a.status;
			res->bytes = t.bytes;
			copy_str(res->url, sizeof(res->url), url);
			rc = a.code;
			if (end != END_RETRY || try == o.retries)
				break;
			uint64_t delay = o.backoff_ms;
			for (unsigned k = 0; k < try && delay < o.max_backoff_ms; k++)
				delay *= 2;
			if (delay > o.max_backoff_ms)
				delay = o.max_backoff_ms;
			if (a.retry_after_s > 0) {
				uint64_t ra = (uint64_t)a.retry_after_s;
				if (ra > o.max_retry_after_s)
					ra = o.max_retry_after_s;
				if (ra * 1000 > delay)
					delay = ra * 1000;
			}
			sleep_ms(delay);
		}
		if (end == END_OK || end == END_NOT_MODIFIED)
			break;
	}
	st.http_status = res->http_status;

	if (end == END_NOT_MODIFIED) {
		if (!have_current) {
			rc = grens_error_set(err, GRENS_EFORMAT,
					     "%s: HTTP 304 although nothing is cached", res->url);
			goto fail;
		}
		outcome = GRENS_FETCH_NOT_MODIFIED;
		/* A 304 may carry updated validators. */
		if (t.etag[0])
			copy_str(st.etag, sizeof(st.etag), t.etag);
		if (t.last_modified[0])
			copy_str(st.last_modified, sizeof(st.last_modified), t.last_modified);
	} else if (end == END_OK) {
		if (have_current && strcmp(a.sha256, st.sha256) == 0) {
			outcome = GRENS_FETCH_UNCHANGED;
			unlink(a.tmp);
			a.tmp[0] = '\0';
		} else {
			if (have_current) {
				rc = fetch_keep_version(feed_dir, current, ext, st.sha256,
							o.keep_versions, err);
				if (rc)
					goto fail;
			}
			if (rename(a.tmp, current) != 0) {
				rc = grens_error_set(err, GRENS_EIO, "cannot rename %s to %s: %s",
						     a.tmp, current, strerror(errno));
				goto fail;
			}
			a.tmp[0] = '\0';
			fetch_fsync_dir(feed_dir);
			fetch_prune_versions(feed_dir, ext, o.keep_versions);
			outcome = GRENS_FETCH_UPDATED;
			copy_str(st.sha256, sizeof(st.sha256), a.sha256);
			st.size = t.bytes;
			fetch_iso_time(time(NULL), st.last_change, sizeof(st.last_change));
		}
		copy_str(st.etag, sizeof(st.etag), t.etag);
		copy_str(st.last_modified, sizeof(st.last_modified), t.last_modified);
	} else {
		if (rc == 0)
			rc = GRENS_EIO;
		if (first_error[0]) {
			/* Say why the main URL failed too, not only the last mirror. */
			char last[sizeof(err->message)];
			copy_str(last, sizeof(last), err->message);
			grens_error_set(err, rc, "%s; mirror: %s", first_error, last);
		}
		goto fail;
	}

	copy_str(st.last_success, sizeof(st.last_success), st.last_attempt);
	copy_str(st.last_result, sizeof(st.last_result), grens_fetch_outcome_name(outcome));
	st.consecutive_failures = 0;
	st.last_error[0] = '\0';
	rc = fetch_status_write(feed_dir, &st, err);
	if (rc)
		copy_str(res->status_error, sizeof(res->status_error), err->message);
	res->outcome = outcome;
	copy_str(res->sha256, sizeof(res->sha256), st.sha256);
	goto out;

fail:
	res->outcome = GRENS_FETCH_FAILED;
	copy_str(res->sha256, sizeof(res->sha256), have_current ? st.sha256 : "");
	if (status_ok) {
		copy_str(st.last_result, sizeof(st.last_result), "failed");
		copy_str(st.last_error, sizeof(st.last_error),
			 err && err->message[0] ? err->message : grens_strerror(rc));
		if (st.consecutive_failures < UINT32_MAX)
			st.consecutive_failures++;
		grens_error_clear(&tmp_err);
		/* err keeps the cause of the failure; the result says why the
		 * status is stale, if it is. */
		if (fetch_status_write(feed_dir, &st, &tmp_err) != 0)
			copy_str(res->status_error, sizeof(res->status_error), tmp_err.message);
	}
out:
	if (a.tmp[0])
		unlink(a.tmp);
	curl_slist_free_all(headers);
	if (h)
		curl_easy_cleanup(h);
	EVP_MD_CTX_free(t.md);
	if (lock_fd >= 0)
		close(lock_fd);
	return rc;
}
