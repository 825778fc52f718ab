/* grens fetch: download or refresh feeds into the feed cache. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"
#include "grens/fetch.h"
#include "grens/gtfs.h"
#include "grens/rt.h"
#include "grens_config.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: grens fetch [--config FILE] [--only NAME]... [--cache DIR] [options]\n"
		"       grens fetch --url URL --name NAME [--kind gtfs|gtfs-rt] [--cache DIR] "
		"[options]\n"
		"       grens fetch --list [--config FILE]\n"
		"\n"
		"Download or refresh feeds into the cache with conditional requests. A download\n"
		"replaces CACHE/NAME/current.zip (or current.pb) only after it was verified;\n"
		"the previous version is kept under CACHE/NAME/versions/ and every attempt is\n"
		"recorded in CACHE/NAME/status.json.\n"
		"\n"
		"  --config FILE        feed list (default: %s/feeds.yaml), YAML as in\n"
		"                       grens-feeds.yaml(5); an INI feeds.conf is still read,\n"
		"                       with a notice (grens config convert)\n"
		"  --only NAME          fetch only this feed (repeatable; also fetches a feed\n"
		"                       with enabled: no)\n"
		"  --cache DIR          cache directory (default: $GRENS_CACHE, else ./cache)\n"
		"  --url URL            fetch one feed given on the command line\n"
		"  --name NAME          its cache name (A-Z a-z 0-9 . _ -)\n"
		"  --kind KIND          gtfs (default) or gtfs-rt\n"
		"  --list               print the feeds of the config and exit\n"
		"  --force              ignore the stored ETag / Last-Modified\n"
		"\n"
		"Per-run overrides (they beat the feed list):\n"
		"  --max-bytes N        size cap of one download, K/M/G suffix (default 1G)\n"
		"  --retries N          retries per URL after the first attempt (default %u)\n"
		"  --timeout S          whole-transfer timeout in seconds (default %u)\n"
		"  --connect-timeout S  connect timeout in seconds (default %u)\n"
		"  --low-speed-time S   abort when slower than --low-speed-bytes for S seconds\n"
		"                       (default %u; 0 disables)\n"
		"  --low-speed-bytes N  bytes per second (default %u)\n"
		"  --backoff-ms N       first retry delay, doubled per retry (default %u)\n"
		"  --max-retry-after S  longest Retry-After honoured (default %u)\n"
		"  --max-redirects N    (default %u; only http and https are followed)\n"
		"  --keep-versions N    older versions kept (default %u)\n"
		"\n"
		"Exit status: 0 when every feed is up to date, 1 when any feed failed or its\n"
		"status.json could not be written (each named on stderr), or when the feed\n"
		"list selects no feed; 2 on bad arguments.\n",
		cli_feeds_dir(), GRENS_FETCH_DEFAULT_RETRIES, GRENS_FETCH_DEFAULT_TIMEOUT_S,
		GRENS_FETCH_DEFAULT_CONNECT_TIMEOUT_S, GRENS_FETCH_DEFAULT_LOW_SPEED_TIME_S,
		GRENS_FETCH_DEFAULT_LOW_SPEED_BYTES, GRENS_FETCH_DEFAULT_BACKOFF_MS,
		GRENS_FETCH_DEFAULT_MAX_RETRY_AFTER_S, GRENS_FETCH_DEFAULT_MAX_REDIRECTS,
		GRENS_FETCH_DEFAULT_KEEP_VERSIONS);
}


/* Progress with bytes and rate, only when stderr is a terminal. */
struct rate_progress {
	grens_progress inner; /* cli_progress_init decides whether to print */
	struct timespec start;
	struct timespec last;
	const char *what;
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void rate_print(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	struct rate_progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->what != what) {
		p->what = what;
		p->start = now;
	} else if (seconds_between(&p->last, &now) < 0.25 && !(total && done >= total)) {
		return;
	}
	p->last = now;
	double dt = seconds_between(&p->start, &now);
	double rate = dt > 0 ? (double)done / dt / 1e6 : 0;
	if (total)
		fprintf(stderr, "\r%s: %.1f / %.1f MB (%.0f%%) %.2f MB/s\033[K", what,
			(double)done / 1e6, (double)total / 1e6,
			100.0 * (double)done / (double)total, rate);
	else
		fprintf(stderr, "\r%s: %.1f MB %.2f MB/s\033[K", what, (double)done / 1e6, rate);
}

int cli_parse_count(const char *cmd, const char *opt, const char *v, uint64_t max, bool suffix,
		       uint64_t *out)
{
	uint64_t mult = 1;
	size_t len = strlen(v);
	if (suffix && len > 0) {
		char c = v[len - 1];
		mult = (c == 'k' || c == 'K')	? 1024
		       : (c == 'm' || c == 'M') ? 1024ull * 1024
		       : (c == 'g' || c == 'G') ? 1024ull * 1024 * 1024
						: 1;
		if (mult != 1)
			len--;
	}
	int64_t n;
	uint64_t u;
	if (grens_parse_i64(v, len, 0, INT64_MAX, &n) != 0 ||
	    __builtin_mul_overflow((uint64_t)n, mult, &u) || u > max) {
		cli_errorf(cmd, "%s needs a number in 0..%llu%s, not '%s'", opt,
			   (unsigned long long)max, suffix ? " (K/M/G suffix allowed)" : "", v);
		return -1;
	}
	*out = u;
	return 0;
}

static void human_bytes(uint64_t n, char *buf, size_t cap)
{
	if (n >= 1000000)
		snprintf(buf, cap, "%.1f MB", (double)n / 1e6);
	else if (n >= 1000)
		snprintf(buf, cap, "%.1f kB", (double)n / 1e3);
	else
		snprintf(buf, cap, "%llu B", (unsigned long long)n);
}

/* Fetch one feed and print one line about it; returns 0 when it is up to date. */
static int fetch_one(grens_fetch_feed *feed, const char *cache, const grens_fetch_options *opts)
{
	grens_fetch_result res;
	grens_error err;
	struct timespec t0, t1;
	char size[32];
	grens_error_clear(&err);
	cli_fetch_resolve_headers("fetch", feed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = grens_fetch_run(feed, cache, opts, &res, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (opts->progress.fn)
		fputc('\n', stderr);
	double secs = seconds_between(&t0, &t1);
	/* A status.json that could not be written is a failure of its own:
	 * whatever reads it (grens nightly's age check, monitoring) would
	 * trust a record of an earlier run. */
	if (res.status_error[0])
		cli_errorf("fetch", "%s: status not recorded: %s; it still describes an earlier run",
			   feed->name, res.status_error);
	if (rc && res.outcome == GRENS_FETCH_FAILED) {
		cli_errorf("fetch", "%s: failed after %u attempt%s: %s", feed->name, res.attempts,
			   res.attempts == 1 ? "" : "s",
			   err.message[0] ? err.message : grens_strerror(rc));
		if (res.sha256[0])
			fprintf(stderr, "grens fetch: %s: keeping %s (sha256 %.12s)\n", feed->name,
				res.path, res.sha256);
		return -1;
	}
	human_bytes(res.bytes, size, sizeof(size));
	switch (res.outcome) {
	case GRENS_FETCH_UPDATED:
		printf("%s: updated %s (%s, sha256 %.12s, %.1f s)\n", feed->name, res.path, size,
		       res.sha256, secs);
		break;
	case GRENS_FETCH_UNCHANGED:
		printf("%s: unchanged %s (same content, sha256 %.12s)\n", feed->name, res.path,
		       res.sha256);
		break;
	default:
		printf("%s: not modified %s (sha256 %.12s)\n", feed->name, res.path, res.sha256);
		break;
	}
	return rc ? -1 : 0;
}

/* Whether a run fetches f: the enabled feeds, or only those --only names. */
static bool is_chosen(const grens_fetch_feed *f, const char *const *only, unsigned only_count)
{
	if (only_count == 0)
		return f->enabled;
	for (unsigned j = 0; j < only_count; j++)
		if (strcmp(only[j], f->name) == 0)
			return true;
	return false;
}

/* The per-run overrides: option name, the bit it sets, its largest value,
 * whether K/M/G is allowed, and the field of grens_fetch_options it fills
 * (max_bytes is the one uint64_t, the rest are unsigned). */
#define FIELD(f) offsetof(grens_fetch_options, f)
static const struct {
	const char *name;
	unsigned bit;
	uint64_t max;
	bool suffix;
	size_t field;
} overrides[] = {
	{ "max-bytes", GRENS_FETCH_SET_MAX_BYTES, UINT64_MAX / 2, true, FIELD(max_bytes) },
	{ "retries", GRENS_FETCH_SET_RETRIES, GRENS_FETCH_MAX_RETRIES_CAP, false, FIELD(retries) },
	{ "timeout", GRENS_FETCH_SET_TIMEOUT, 86400, false, FIELD(timeout_s) },
	{ "connect-timeout", GRENS_FETCH_SET_CONNECT_TIMEOUT, 3600, false,
	  FIELD(connect_timeout_s) },
	{ "low-speed-time", GRENS_FETCH_SET_LOW_SPEED_TIME, 3600, false, FIELD(low_speed_time_s) },
	{ "low-speed-bytes", GRENS_FETCH_SET_LOW_SPEED_BYTES, UINT32_MAX, true,
	  FIELD(low_speed_bytes) },
	{ "backoff-ms", GRENS_FETCH_SET_BACKOFF, 600000, false, FIELD(backoff_ms) },
	{ "max-retry-after", 0, 86400, false, FIELD(max_retry_after_s) },
	{ "max-redirects", GRENS_FETCH_SET_MAX_REDIRECTS, GRENS_FETCH_MAX_REDIRECTS_CAP, false,
	  FIELD(max_redirects) },
	{ "keep-versions", GRENS_FETCH_SET_KEEP_VERSIONS, GRENS_FETCH_MAX_KEEP_VERSIONS, false,
	  FIELD(keep_versions) },
};
#undef FIELD

/* One per-run override (a CLI_OPT_CALL callback on grens_fetch_options). */
static int parse_override(const char *cmd, const char *opt, const char *v, void *dst)
{
	size_t k = 0;
	uint64_t u;
	while (k < sizeof(overrides) / sizeof(overrides[0]) - 1 &&
	       strcmp(opt + 2, overrides[k].name) != 0)
		k++;
	if (cli_parse_count(cmd, opt, v, overrides[k].max, overrides[k].suffix, &u))
		return -1;
	char *field = (char *)dst + overrides[k].field;
	if (overrides[k].field == offsetof(grens_fetch_options, max_bytes)) {
		memcpy(field, &u, sizeof(u));
	} else {
		unsigned narrow = (unsigned)u; /* max fits: at most UINT32_MAX */
		memcpy(field, &narrow, sizeof(narrow));
	}
	((grens_fetch_options *)dst)->set |= overrides[k].bit;
	return 0;
}

int cmd_fetch(int argc, char **argv)
{
	grens_fetch_options opts = GRENS_FETCH_OPTIONS_INIT;
	grens_fetch_config *cfg = NULL;
	grens_fetch_feed *single = NULL;
	grens_error err;
	char config_default[4096];
	char user_agent[64];
	const char *config = NULL, *cache = NULL, *url = NULL, *name = NULL, *kind = NULL;
	const char *only[64];
	unsigned only_count = 0;
	bool list = false, force = false;
	int exit_code = CLI_EXIT_USAGE;
	bool curl_ready = false;

	grens_error_clear(&err);
	cli_option options[32] = {
		{ .name = "config", .kind = CLI_OPT_STRING, .dst = &config },
		{ .name = "only", .kind = CLI_OPT_LIST, .dst = only, .cap = 64, .count = &only_count },
		{ .name = "cache", .kind = CLI_OPT_STRING, .dst = &cache },
		{ .name = "url", .kind = CLI_OPT_STRING, .dst = &url },
		{ .name = "name", .kind = CLI_OPT_STRING, .dst = &name },
		{ .name = "kind", .kind = CLI_OPT_STRING, .dst = &kind },
		{ .name = "list", .kind = CLI_OPT_FLAG, .dst = &list },
		{ .name = "force", .kind = CLI_OPT_FLAG, .dst = &force },
	};
	size_t n = 8;
	for (size_t k = 0; k < sizeof(overrides) / sizeof(overrides[0]); k++)
		options[n++] = (cli_option){ .name = overrides[k].name, .kind = CLI_OPT_CALL,
					     .dst = &opts, .call = parse_override };
	options[n] = (cli_option){ .name = NULL };
	const cli_spec spec = { .cmd = "fetch", .usage = usage, .options = options };
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	opts.force = force;
	if (opts.set & GRENS_FETCH_SET_MAX_BYTES && opts.max_bytes == 0) {
		cli_errorf("fetch", "--max-bytes must be at least 1");
		goto out;
	}

	if (!cache) {
		const char *env = getenv("GRENS_CACHE");
		cache = env && *env ? env : "cache";
	}
	if (url || name || kind) {
		grens_fetch_kind k = GRENS_FETCH_GTFS;
		if (!url || !name) {
			cli_errorf("fetch", "--url and --name go together");
			goto out;
		}
		if (config || only_count || list) {
			cli_errorf("fetch",
				   "--url does not combine with --config, --only or --list");
			goto out;
		}
		if (kind && grens_fetch_kind_parse(kind, &k) != 0) {
			cli_errorf("fetch", "--kind must be gtfs or gtfs-rt, not '%s'", kind);
			goto out;
		}
		single = malloc(sizeof(*single));
		if (!single) {
			cli_errorf("fetch", "out of memory");
			exit_code = CLI_EXIT_FAIL;
			goto out;
		}
		if (grens_fetch_feed_init(single, name, k, url, &err) != 0) {
			cli_report_error("fetch", &err);
			goto out;
		}
	} else {
		if (!config) {
			snprintf(config_default, sizeof(config_default), "%s/feeds.yaml",
				 cli_feeds_dir());
			config = config_default;
		}
		cfg = cli_load_feed_list("fetch", config);
		if (!cfg) {
			exit_code = CLI_EXIT_FAIL;
			goto out;
		}
		for (unsigned k = 0; k < only_count; k++) {
			if (!grens_fetch_config_find(cfg, only[k])) {
				cli_errorf("fetch", "no feed [%s] in %s", only[k], config);
				goto out;
			}
		}
		/* A run that would fetch nothing is a broken setup (an emptied
		 * or all-disabled list), not success: cron would never notice. */
		size_t count = grens_fetch_config_count(cfg), chosen = 0;
		for (size_t k = 0; k < count; k++)
			if (is_chosen(grens_fetch_config_feed(cfg, k), only, only_count))
				chosen++;
		if (!list && count == 0) {
			cli_errorf("fetch", "%s lists no feeds; nothing to fetch", config);
			exit_code = CLI_EXIT_FAIL;
			goto out;
		}
		if (!list && chosen == 0) {
			cli_errorf("fetch",
				   "%s lists no enabled feeds (%zu disabled; --only NAME fetches "
				   "one); nothing to fetch",
				   config, count);
			exit_code = CLI_EXIT_FAIL;
			goto out;
		}
	}

	if (list) {
		for (size_t k = 0; k < grens_fetch_config_count(cfg); k++) {
			const grens_fetch_feed *f = grens_fetch_config_feed(cfg, k);
			printf("%-20s %-8s %s%s\n    %s\n", f->name, grens_fetch_kind_name(f->kind),
			       f->enabled ? "" : "(disabled) ", f->licence, f->url);
		}
		exit_code = CLI_EXIT_OK;
		goto out;
	}

	snprintf(user_agent, sizeof(user_agent), "grens/%s", GRENS_VERSION);
	opts.user_agent = user_agent;
	opts.verify = cli_fetch_verify;
	struct rate_progress rp;
	memset(&rp, 0, sizeof(rp));
	cli_progress_init(&rp.inner);
	if (rp.inner.fn) {
		opts.progress.fn = rate_print;
		opts.progress.ctx = &rp;
	}
	if (grens_fetch_global_init(&err) != 0) {
		cli_report_error("fetch", &err);
		exit_code = CLI_EXIT_FAIL;
		goto out;
	}
	curl_ready = true;

	unsigned failed = 0, total = 0;
	if (single) {
		total = 1;
		if (fetch_one(single, cache, &opts))
			failed++;
	} else {
		for (size_t k = 0; k < grens_fetch_config_count(cfg); k++) {
			grens_fetch_feed *f = grens_fetch_config_feed(cfg, k);
			if (!is_chosen(f, only, only_count))
				continue;
			total++;
			if (fetch_one(f, cache, &opts))
				failed++;
		}
	}
	if (failed) {
		cli_errorf("fetch", "%u of %u feed%s failed", failed, total, total == 1 ? "" : "s");
		exit_code = CLI_EXIT_FAIL;
	} else {
		exit_code = CLI_EXIT_OK;
	}
out:
	if (curl_ready)
		grens_fetch_global_cleanup();
	grens_fetch_config_free(cfg);
	free(single);
	return exit_code;
}
