/* grens fetch: download feeds over HTTP(S) into a local cache.
 *
 * A conditional GET (If-None-Match / If-Modified-Since from the stored ETag
 * and Last-Modified) with retries and backoff, connect and low-speed
 * timeouts, a size cap enforced while the body streams, limited redirects
 * restricted to http/https and TLS verification on. A download lands in a
 * temporary file beside the cache entry, is verified by a caller-supplied
 * callback, fsync'ed and renamed over the current version; the previous
 * version is kept. Nothing that fails ever touches the current version.
 *
 * Cache layout (stable; other tools may read it):
 *   CACHE/NAME/current.zip | current.pb   last validated download
 *   CACHE/NAME/versions/<seq>-<UTC>-<sha12>.zip   older versions, newest kept
 *   CACHE/NAME/status.json                 see grens-fetch(1)
 *
 * This module never parses feeds: whether a file is a usable feed is decided
 * by the verify callback. It reads no environment variables; header values
 * that come from the environment are filled in by the caller. */
#ifndef GRENS_FETCH_H
#define GRENS_FETCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "grens/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Defaults, each overridable per feed (feeds.yaml) and per run. */
#define GRENS_FETCH_DEFAULT_MAX_BYTES (1024ull * 1024 * 1024) /* 1 GiB */
#define GRENS_FETCH_DEFAULT_RETRIES 3u
#define GRENS_FETCH_DEFAULT_BACKOFF_MS 1000u	   /* first retry delay, doubled each time */
#define GRENS_FETCH_DEFAULT_MAX_BACKOFF_MS 60000u  /* cap on one delay */
#define GRENS_FETCH_DEFAULT_MAX_RETRY_AFTER_S 300u /* cap on a honoured Retry-After */
#define GRENS_FETCH_DEFAULT_TIMEOUT_S 1800u	   /* whole transfer */
#define GRENS_FETCH_DEFAULT_CONNECT_TIMEOUT_S 30u
#define GRENS_FETCH_DEFAULT_LOW_SPEED_BYTES 1024u /* bytes per second ... */
#define GRENS_FETCH_DEFAULT_LOW_SPEED_TIME_S 60u  /* ... for this long aborts */
#define GRENS_FETCH_DEFAULT_MAX_REDIRECTS 5u
#define GRENS_FETCH_DEFAULT_KEEP_VERSIONS 3u

/* Hard bounds (not overridable). */
#define GRENS_FETCH_MAX_HEADERS 8u
#define GRENS_FETCH_MAX_MIRRORS 4u
#define GRENS_FETCH_MAX_FEEDS 256u
#define GRENS_FETCH_MAX_REDIRECTS_CAP 20u
#define GRENS_FETCH_MAX_RETRIES_CAP 20u
#define GRENS_FETCH_MAX_KEEP_VERSIONS 100u
#define GRENS_FETCH_STATUS_MAX_BYTES (64u * 1024u) /* status.json read bound */
#define GRENS_FETCH_CONFIG_MAX_BYTES (1024u * 1024u)
#define GRENS_FETCH_NAME_BYTES 64u /* feed name incl. NUL: [A-Za-z0-9._-], not leading '.' */
#define GRENS_FETCH_URL_BYTES 2048u
#define GRENS_FETCH_TEXT_BYTES 256u /* licence, header names, env names */
#define GRENS_FETCH_VALUE_BYTES 1024u

typedef enum {
	GRENS_FETCH_GTFS = 0,	 /* a GTFS .zip, cached as current.zip */
	GRENS_FETCH_GTFS_RT = 1, /* a GTFS-realtime FeedMessage, cached as current.pb */
} grens_fetch_kind;

/* "gtfs" or "gtfs-rt". */
GRENS_EXTERN const char *grens_fetch_kind_name(grens_fetch_kind kind);
/* Parse "gtfs" / "gtfs-rt"; GRENS_EARG otherwise. */
GRENS_EXTERN int grens_fetch_kind_parse(const char *s, grens_fetch_kind *out);

/* Verify a finished download at path (a temporary file). Return 0 when it is
 * usable, else a negative GRENS_E* code with the reason in err. */
typedef int (*grens_fetch_verify_fn)(const char *path, grens_fetch_kind kind, void *ctx,
				     grens_error *err);

/* One extra request header. When env is non-empty the value comes from that
 * environment variable: the config parser leaves value empty and the caller
 * fills it in (this module reads no environment). */
typedef struct grens_fetch_header {
	char name[GRENS_FETCH_TEXT_BYTES];
	char value[GRENS_FETCH_VALUE_BYTES];
	char env[GRENS_FETCH_TEXT_BYTES];
} grens_fetch_header;

/* Per-feed settings that override the run's defaults. A field is used only
 * when its bit is set in `set`. */
enum {
	GRENS_FETCH_SET_MAX_BYTES = 1u << 0,
	GRENS_FETCH_SET_RETRIES = 1u << 1,
	GRENS_FETCH_SET_TIMEOUT = 1u << 2,
	GRENS_FETCH_SET_CONNECT_TIMEOUT = 1u << 3,
	GRENS_FETCH_SET_LOW_SPEED_TIME = 1u << 4,
	GRENS_FETCH_SET_LOW_SPEED_BYTES = 1u << 5,
	GRENS_FETCH_SET_KEEP_VERSIONS = 1u << 6,
	GRENS_FETCH_SET_MAX_REDIRECTS = 1u << 7,
	GRENS_FETCH_SET_BACKOFF = 1u << 8,
};

/* One feed: what to download and how it may deviate from the defaults. */
typedef struct grens_fetch_feed {
	char name[GRENS_FETCH_NAME_BYTES];
	grens_fetch_kind kind;
	char url[GRENS_FETCH_URL_BYTES];
	char mirrors[GRENS_FETCH_MAX_MIRRORS][GRENS_FETCH_URL_BYTES]; /* tried in order after url */
	unsigned mirror_count;
	char licence[GRENS_FETCH_TEXT_BYTES];
	/* clip = BBOX or a GeoJSON file: the region the feed is clipped to when
	 * it is loaded for a report ("" for all of it; grens build --clip) */
	char clip[GRENS_FETCH_TEXT_BYTES];
	grens_fetch_header headers[GRENS_FETCH_MAX_HEADERS];
	unsigned header_count;
	bool enabled; /* false: skipped by a full run, fetched with --only */
	unsigned set; /* GRENS_FETCH_SET_* bits */
	uint64_t max_bytes;
	unsigned retries;
	unsigned timeout_s;
	unsigned connect_timeout_s;
	unsigned low_speed_time_s;
	unsigned low_speed_bytes;
	unsigned keep_versions;
	unsigned max_redirects;
	unsigned backoff_ms;
	uint32_t line; /* line of the feed ([name] or "- name:") in the config, 0 if none */
} grens_fetch_feed;

/* Fill a feed with defaults (enabled, no overrides) and the given name, kind
 * and URL. Fails with GRENS_EARG when name is not a safe cache directory name
 * or url is empty or too long. */
GRENS_EXTERN int grens_fetch_feed_init(grens_fetch_feed *feed, const char *name,
				       grens_fetch_kind kind, const char *url, grens_error *err);
/* 1 when name is usable as a feed name (and so as a directory name). */
GRENS_EXTERN bool grens_fetch_name_valid(const char *name);

/* ---- feed list file (feeds.yaml) ------------------------------------------
 * YAML (grens-feeds.yaml(5)):
 *   defaults:            overrides every feed starts from (optional)
 *     keep_versions: 3
 *   feeds:
 *     - name: nl         the cache directory name
 *       kind: gtfs       gtfs | gtfs-rt
 *       url: https://...
 *       mirror: [URL, ...]
 * Keys of a feed: name, kind, url, mirror (a list or one URL), licence, clip,
 * header ("Name: value", a list or one), header_env ("Name: ENVVAR"),
 * enabled, max_bytes (with K/M/G suffix), retries, timeout,
 * connect_timeout, low_speed_time, low_speed_bytes, keep_versions,
 * max_redirects, backoff_ms; defaults takes the same keys but name, kind,
 * url and mirror.
 * The older INI syntax (feeds.conf: `[name]` sections of `key = value`
 * lines, `[defaults]` first) is still read, with a deprecation notice: a
 * file is read as INI when its name ends in .conf or its first line that is
 * not blank or a comment is a [section] or key = value. */
typedef struct grens_fetch_config grens_fetch_config;

/* Parse a feed list from text[0..len); `file` names it in errors and picks
 * the syntax (see above). Errors carry file:line (and column for YAML) and
 * the key as field. The INI syntax adds a `deprecated_syntax` warning to
 * diag (NULL: dropped). On success *out is the caller's (free with
 * grens_fetch_config_free). GRENS_EFORMAT on syntax or value errors,
 * GRENS_ELIMIT when too many feeds/headers/mirrors, GRENS_ENOMEM. */
GRENS_EXTERN int grens_fetch_config_parse(grens_fetch_config **out, const char *text, size_t len,
					  const char *file, grens_diag *diag, grens_error *err);
/* Read and parse a feed list file; GRENS_EIO when it cannot be read. */
GRENS_EXTERN int grens_fetch_config_load(grens_fetch_config **out, const char *path,
					 grens_diag *diag, grens_error *err);
/* Write config to out as feeds.yaml: the defaults, then each feed with what
 * it sets beyond them. Parsing the result gives the same feeds. GRENS_EIO
 * when out fails. */
GRENS_EXTERN int grens_fetch_config_write_yaml(const grens_fetch_config *config, FILE *out,
					       grens_error *err);
/* Free a feed list and its feeds. NULL is accepted. */
GRENS_EXTERN void grens_fetch_config_free(grens_fetch_config *config);
/* Number of feeds ([defaults] is not one); 0 for NULL. */
GRENS_EXTERN size_t grens_fetch_config_count(const grens_fetch_config *config);
/* The i-th feed in file order (mutable so the caller can fill in header
 * values); NULL when out of range. */
GRENS_EXTERN grens_fetch_feed *grens_fetch_config_feed(grens_fetch_config *config, size_t i);
/* The feed named name, or NULL. */
GRENS_EXTERN grens_fetch_feed *grens_fetch_config_find(grens_fetch_config *config,
						       const char *name);

/* ---- one run ---------------------------------------------------------------- */
/* The struct's layout; bumped when it changes (docs/api.md). */
#define GRENS_FETCH_OPTIONS_VERSION 1

typedef struct grens_fetch_options {
	unsigned version; /* GRENS_FETCH_OPTIONS_VERSION (set by GRENS_FETCH_OPTIONS_INIT) */
	uint64_t max_bytes;
	unsigned retries;    /* extra attempts after the first, per URL */
	unsigned backoff_ms; /* delay before the first retry; doubled each time */
	unsigned max_backoff_ms;
	unsigned max_retry_after_s; /* Retry-After above this is cut to it */
	unsigned timeout_s;
	unsigned connect_timeout_s;
	unsigned low_speed_bytes;
	unsigned low_speed_time_s;
	unsigned max_redirects;
	unsigned keep_versions;	      /* older versions kept under versions/ */
	unsigned force;		      /* 1: no conditional headers (always a full GET) */
	unsigned set;		      /* GRENS_FETCH_SET_* bits that override the feed's own
				       * values (a command-line option beats feeds.yaml) */
	const char *user_agent;	      /* NULL: "grens/<version>" */
	grens_fetch_verify_fn verify; /* NULL: no verification beyond HTTP */
	void *verify_ctx;
	grens_progress progress; /* what = feed name, done/total in bytes */
} grens_fetch_options;

#define GRENS_FETCH_OPTIONS_INIT                                                                   \
	{                                                                                          \
		.version = GRENS_FETCH_OPTIONS_VERSION,                                            \
		.max_bytes = GRENS_FETCH_DEFAULT_MAX_BYTES,                                        \
		.retries = GRENS_FETCH_DEFAULT_RETRIES,                                            \
		.backoff_ms = GRENS_FETCH_DEFAULT_BACKOFF_MS,                                      \
		.max_backoff_ms = GRENS_FETCH_DEFAULT_MAX_BACKOFF_MS,                              \
		.max_retry_after_s = GRENS_FETCH_DEFAULT_MAX_RETRY_AFTER_S,                        \
		.timeout_s = GRENS_FETCH_DEFAULT_TIMEOUT_S,                                        \
		.connect_timeout_s = GRENS_FETCH_DEFAULT_CONNECT_TIMEOUT_S,                        \
		.low_speed_bytes = GRENS_FETCH_DEFAULT_LOW_SPEED_BYTES,                            \
		.low_speed_time_s = GRENS_FETCH_DEFAULT_LOW_SPEED_TIME_S,                          \
		.max_redirects = GRENS_FETCH_DEFAULT_MAX_REDIRECTS,                                \
		.keep_versions = GRENS_FETCH_DEFAULT_KEEP_VERSIONS, .force = 0, .set = 0,          \
		.user_agent = NULL, .verify = NULL, .verify_ctx = NULL, .progress = {NULL, NULL},  \
	}

typedef enum {
	GRENS_FETCH_FAILED = 0,	      /* current version untouched; see the error */
	GRENS_FETCH_UPDATED = 1,      /* a new version became current */
	GRENS_FETCH_NOT_MODIFIED = 2, /* 304: nothing changed */
	GRENS_FETCH_UNCHANGED = 3,    /* 200 with the same SHA-256 as current */
} grens_fetch_outcome;

/* "failed", "updated", "not_modified", "unchanged". */
GRENS_EXTERN const char *grens_fetch_outcome_name(grens_fetch_outcome outcome);

/* What one grens_fetch_run did. */
typedef struct grens_fetch_result {
	grens_fetch_outcome outcome;
	long http_status;		 /* last HTTP status seen, 0 when none */
	unsigned attempts;		 /* requests made, over all URLs */
	uint64_t bytes;			 /* body bytes of the last attempt */
	char sha256[65];		 /* of current after the run ("" when there is none) */
	char path[4096];		 /* CACHE/NAME/current.zip|pb */
	char url[GRENS_FETCH_URL_BYTES]; /* the URL that answered last */
	/* Why CACHE/NAME/status.json could not be written (it then still
	 * describes an earlier run); "" when it was written. */
	char status_error[GRENS_ERROR_MESSAGE_BYTES];
} grens_fetch_result;

/* Refresh one feed in cache_dir (created when missing). Writes
 * CACHE/NAME/status.json in every case it can. Returns 0 when the feed is up
 * to date (updated, not modified or unchanged) and its status was written,
 * else a negative GRENS_E* code with the reason in err (GRENS_EIO network or
 * file errors, also a status.json that could not be written: then
 * result->status_error says why and result->outcome is what happened to the
 * feed itself; GRENS_ELIMIT size
 * cap, GRENS_EFORMAT verification failed or bad HTTP status, GRENS_EARG bad
 * feed). result may be NULL. A lock file makes a second concurrent run on the
 * same feed fail at once with GRENS_EIO. */
GRENS_EXTERN int grens_fetch_run(const grens_fetch_feed *feed, const char *cache_dir,
				 const grens_fetch_options *opts, grens_fetch_result *result,
				 grens_error *err);

/* ---- status.json ------------------------------------------------------------ */
typedef struct grens_fetch_status {
	char name[GRENS_FETCH_NAME_BYTES];
	char kind[16];
	char url[GRENS_FETCH_URL_BYTES];
	char last_attempt[32]; /* ISO 8601 UTC, "" when never */
	char last_success[32];
	char last_change[32];
	char last_result[16]; /* grens_fetch_outcome_name */
	long http_status;
	char etag[GRENS_FETCH_VALUE_BYTES];
	char last_modified[GRENS_FETCH_TEXT_BYTES];
	char sha256[65];
	uint64_t size;
	uint32_t consecutive_failures;
	uint32_t attempts;
	char last_error[GRENS_ERROR_MESSAGE_BYTES];
} grens_fetch_status;

/* Read CACHE/NAME/status.json into out. GRENS_ENOTFOUND when absent,
 * GRENS_EFORMAT when it is not the expected JSON (err says where). */
GRENS_EXTERN int grens_fetch_status_read(grens_fetch_status *out, const char *cache_dir,
					 const char *name, grens_error *err);

/* Global setup of the HTTP library; call once before any thread starts and
 * pair with grens_fetch_global_cleanup. GRENS_EIO when it fails. */
GRENS_EXTERN int grens_fetch_global_init(grens_error *err);
/* Release what grens_fetch_global_init set up; no fetch may run after it. */
GRENS_EXTERN void grens_fetch_global_cleanup(void);

#ifdef __cplusplus
}
#endif
#endif
