/* grens rt record: the options, the signals and the terminal around the
 * library's recorder (grens_rt_recorder_*), which polls the feeds and keeps
 * every distinct snapshot in an archive; and the nightly run's way of
 * starting one in the background. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "grens/fetch.h"
#include "grens/report.h"
#include "grens/rt.h"
#include "grens_config.h"
#include "rt_record.h"

#define CMD "rt record"
#define DEFAULT_NAME "rt"

enum { EXIT_LOCKED = 3 }; /* another recorder holds the archive */

/* The one thing a signal handler may set; the recorder asks for it between
 * polls and wait slices (stop_requested). */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	if (stop_signal) {
		/* a second signal: stop now, the default way */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_signal = sig;
}

static void usage(FILE *out)
{
	fprintf(
	    out,
	    "usage: grens rt record (--url [NAME=]URL... | --config FEEDS.yaml) --out DIR\n"
	    "                       [--every DURATION] [--until ISO-TIME | --for DURATION]\n"
	    "                       [--retention DAYS] [--max-bytes N] [--retries N]\n"
	    "                       [--timeout S]\n"
	    "\n"
	    "Poll GTFS-realtime feeds and keep every distinct FeedMessage once (by SHA-256),\n"
	    "gzip'ed, in DIR/YYYY-MM-DD/ (UTC days) with an index.csv per day; DIR/status.json\n"
	    "says what the recorder did. Downloads go through the fetcher (conditional GET,\n"
	    "retries, size cap, a body that does not decode is refused) into DIR/.fetch/.\n"
	    "A restart, also after kill -9, removes temporary files and rebuilds indexes\n"
	    "from the snapshot files. SIGTERM or SIGINT stop it after the current poll.\n"
	    "\n"
	    "  --url [NAME=]URL     a feed to record (repeatable; NAME default \"%s\", or\n"
	    "                       %s-1, %s-2, ... for several)\n"
	    "  --config FILE        record the enabled gtfs-rt feeds of a feed list\n"
	    "  --out DIR            the archive folder (created when missing)\n"
	    "  --every DURATION     time between the starts of two polls: N[ms|s|m|h]\n"
	    "                       (default 30s, at least 100ms)\n"
	    "  --until ISO-TIME     stop at this time (YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM])\n"
	    "  --for DURATION       stop after this long: N[ms|s|m|h|d]\n"
	    "  --retention DAYS     remove day folders older than DAYS days (default 0:\n"
	    "                       keep all)\n"
	    "  --max-bytes N        size cap of one download, K/M/G suffix (default %llu M)\n"
	    "  --retries N          retries of a failed download within one poll (default %u)\n"
	    "  --timeout S          whole-transfer timeout (default: --every, at least 5 s)\n"
	    "\n"
	    "A failed poll is one line on stderr (time, feed, reason) and counted, never\n"
	    "fatal. Progress goes to stderr only when it is a terminal; at the end one\n"
	    "summary line goes to stdout.\n"
	    "\n"
	    "Exit status: 0 when it stopped as asked (--until, --for or a signal), however\n"
	    "many polls failed; 1 when DIR or the feed list is unusable; 2 on bad\n"
	    "arguments; 3 when another recorder is running on DIR.\n",
	    DEFAULT_NAME, DEFAULT_NAME, DEFAULT_NAME,
	    (unsigned long long)(GRENS_LIMIT_RT_BYTES / (1024u * 1024u)),
	    GRENS_RT_RECORDER_DEFAULT_RETRIES);
}

/* N with ms, s, m, h or d (seconds without a unit) into milliseconds. */
static int parse_duration(const char *cmd, const char *opt, const char *v, void *dst)
{
	size_t n = strlen(v), digits = 0;
	while (digits < n && v[digits] >= '0' && v[digits] <= '9')
		digits++;
	const char *unit = v + digits;
	int64_t mult = strcmp(unit, "ms") == 0		  ? 1
		       : strcmp(unit, "s") == 0 || !*unit ? 1000
		       : strcmp(unit, "m") == 0		  ? 60000
		       : strcmp(unit, "h") == 0		  ? 3600000
		       : strcmp(unit, "d") == 0		  ? 86400000
							  : 0;
	int64_t num;
	if (!mult || digits == 0 || grens_parse_i64(v, digits, 1, 3650LL * 86400000, &num) != 0 ||
	    num > 3650LL * 86400000 / mult) {
		cli_errorf(cmd, "%s needs a duration such as 500ms, 30s, 5m, 2h or 1d, not '%s'",
			   opt, v);
		return -1;
	}
	*(int64_t *)dst = num * mult;
	return 0;
}

static int parse_until(const char *cmd, const char *opt, const char *v, void *dst)
{
	if (cli_parse_iso_time(v, dst) != 0) {
		cli_errorf(cmd, "%s must be YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM], not '%s'", opt, v);
		return -1;
	}
	return 0;
}

static int parse_max_bytes(const char *cmd, const char *opt, const char *v, void *dst)
{
	uint64_t u;
	if (cli_parse_count(cmd, opt, v, UINT64_MAX / 2, true, &u))
		return -1;
	if (u == 0) {
		cli_errorf(cmd, "%s must be at least 1", opt);
		return -1;
	}
	*(uint64_t *)dst = u;
	return 0;
}

/* What the recorder's callbacks need: whether a progress line is on the
 * terminal, which a log line first clears. */
typedef struct record_term {
	bool tty;
	bool progress_shown;
} record_term;

/* One line on stderr, with the UTC time first. */
static void log_line(void *ctx, const char *line)
{
	record_term *t = ctx;
	char when[40];
	cli_format_utc((int64_t)time(NULL), when, sizeof(when));
	if (t->progress_shown)
		fputs("\r\033[K", stderr);
	t->progress_shown = false;
	fprintf(stderr, "%s grens %s: %s\n", when, CMD, line);
}

static void show_progress(void *ctx, const grens_rt_record_status *st, int64_t next_in_ms)
{
	record_term *t = ctx;
	if (!t->tty)
		return;
	const grens_rt_record_counts *c = &st->total;
	fprintf(stderr,
		"\rgrens %s: %llu poll(s): %llu new, %llu unchanged, %llu failed; next in %.1f "
		"s\033[K",
		CMD, (unsigned long long)c->polls, (unsigned long long)c->added,
		(unsigned long long)c->unchanged, (unsigned long long)c->failed,
		(double)next_in_ms / 1000.0);
	t->progress_shown = true;
}

static bool stop_requested(void *ctx)
{
	(void)ctx;
	return stop_signal != 0;
}

/* "[NAME=]URL": NAME when the part before the first '=' is a feed name
 * (a URL's scheme has a ':', which names cannot). */
static int add_url_feed(grens_fetch_feed *feed, const char *entry, const char *default_name,
			grens_error *err)
{
	const char *eq = strchr(entry, '=');
	char name[GRENS_FETCH_NAME_BYTES];
	const char *url = entry;
	snprintf(name, sizeof(name), "%s", default_name);
	if (eq && (size_t)(eq - entry) < sizeof(name)) {
		char cand[GRENS_FETCH_NAME_BYTES];
		memcpy(cand, entry, (size_t)(eq - entry));
		cand[eq - entry] = '\0';
		if (grens_fetch_name_valid(cand)) {
			memcpy(name, cand, sizeof(cand));
			url = eq + 1;
		}
	}
	return grens_fetch_feed_init(feed, name, GRENS_FETCH_GTFS_RT, url, err);
}

int cli_rt_record(int argc, char **argv)
{
	const char *urls[GRENS_RT_RECORD_MAX_FEEDS];
	unsigned url_count = 0;
	const char *config = NULL, *out = NULL;
	int64_t every_ms = GRENS_RT_RECORDER_DEFAULT_EVERY_MS, for_ms = 0, until = 0, timeout_s = 0;
	uint32_t retention = 0, retries = GRENS_RT_RECORDER_DEFAULT_RETRIES;
	uint64_t max_bytes = GRENS_LIMIT_RT_BYTES;
	bool until_given = false, for_given = false, max_given = false, retries_given = false;
	bool timeout_given = false;
	const cli_option options[] = {
	    {.name = "url",
	     .kind = CLI_OPT_LIST,
	     .dst = urls,
	     .cap = GRENS_RT_RECORD_MAX_FEEDS,
	     .count = &url_count},
	    {.name = "config", .kind = CLI_OPT_STRING, .dst = &config},
	    {.name = "out", .kind = CLI_OPT_STRING, .dst = &out, .required = true},
	    {.name = "every", .kind = CLI_OPT_CALL, .dst = &every_ms, .call = parse_duration},
	    {.name = "until",
	     .kind = CLI_OPT_CALL,
	     .dst = &until,
	     .call = parse_until,
	     .seen = &until_given},
	    {.name = "for",
	     .kind = CLI_OPT_CALL,
	     .dst = &for_ms,
	     .call = parse_duration,
	     .seen = &for_given},
	    {.name = "retention",
	     .kind = CLI_OPT_UINT32,
	     .dst = &retention,
	     .min = 0,
	     .max = 100000},
	    {.name = "max-bytes",
	     .kind = CLI_OPT_CALL,
	     .dst = &max_bytes,
	     .call = parse_max_bytes,
	     .seen = &max_given},
	    {.name = "retries",
	     .kind = CLI_OPT_UINT32,
	     .dst = &retries,
	     .min = 0,
	     .max = GRENS_FETCH_MAX_RETRIES_CAP,
	     .seen = &retries_given},
	    {.name = "timeout",
	     .kind = CLI_OPT_INT,
	     .dst = &timeout_s,
	     .min = 1,
	     .max = 86400,
	     .seen = &timeout_given},
	    {.name = NULL},
	};
	const cli_spec spec = {.cmd = CMD, .usage = usage, .options = options};
	int rc = cli_parse(&spec, argc, argv);
	if (rc)
		return cli_parse_exit(rc);
	if ((url_count > 0) == (config != NULL)) {
		cli_errorf(CMD, "give --url or --config (one of them)");
		return CLI_EXIT_USAGE;
	}
	if (until_given && for_given) {
		cli_errorf(CMD, "--until and --for do not go together");
		return CLI_EXIT_USAGE;
	}
	if (every_ms < GRENS_RT_RECORDER_MIN_EVERY_MS) {
		cli_errorf(CMD, "--every must be at least %dms", GRENS_RT_RECORDER_MIN_EVERY_MS);
		return CLI_EXIT_USAGE;
	}
	if (until_given && until <= (int64_t)time(NULL)) {
		cli_errorf(CMD, "--until is in the past");
		return CLI_EXIT_USAGE;
	}

	int code = CLI_EXIT_FAIL;
	record_term term = {.tty = isatty(STDERR_FILENO), .progress_shown = false};
	grens_rt_recorder_options ro = GRENS_RT_RECORDER_OPTIONS_INIT;
	grens_rt_recorder *rec = NULL;
	grens_fetch_config *cfg = NULL;
	grens_error err;
	grens_error_clear(&err);
	bool curl_ready = false;
	unsigned feed_count = 0;
	grens_fetch_feed *feeds = calloc(GRENS_RT_RECORD_MAX_FEEDS, sizeof(*feeds));
	if (!feeds) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	if (url_count) {
		for (unsigned i = 0; i < url_count; i++) {
			char name[32];
			if (url_count == 1)
				snprintf(name, sizeof(name), "%s", DEFAULT_NAME);
			else
				snprintf(name, sizeof(name), "%s-%u", DEFAULT_NAME, i + 1);
			if (add_url_feed(&feeds[i], urls[i], name, &err) != 0) {
				cli_errorf(CMD, "--url %s: %s", urls[i], err.message);
				code = CLI_EXIT_USAGE;
				goto done;
			}
		}
		feed_count = url_count;
	} else {
		cfg = cli_load_feed_list(CMD, config);
		if (!cfg)
			goto done;
		for (size_t k = 0; k < grens_fetch_config_count(cfg); k++) {
			const grens_fetch_feed *f = grens_fetch_config_feed(cfg, k);
			if (!f->enabled || f->kind != GRENS_FETCH_GTFS_RT)
				continue;
			if (feed_count == GRENS_RT_RECORD_MAX_FEEDS) {
				cli_errorf(CMD, "%s: more than %u enabled gtfs-rt feeds", config,
					   GRENS_RT_RECORD_MAX_FEEDS);
				goto done;
			}
			feeds[feed_count++] = *f;
		}
		if (feed_count == 0) {
			cli_errorf(CMD, "%s lists no enabled gtfs-rt feed; nothing to record",
				   config);
			goto done;
		}
	}
	for (unsigned i = 0; i < feed_count; i++)
		cli_fetch_resolve_headers(CMD, &feeds[i]);

	/* Options given on the command line beat a feed list's. */
	char user_agent[64];
	snprintf(user_agent, sizeof(user_agent), "grens/%s", GRENS_VERSION);
	ro.feeds = feeds;
	ro.feed_count = feed_count;
	ro.every_ms = every_ms;
	ro.until = until;
	ro.for_ms = for_given ? for_ms : 0;
	ro.retention_days = retention;
	ro.retries = retries;
	ro.max_bytes = max_bytes;
	ro.timeout_s = (unsigned)timeout_s;
	ro.set = (retries_given ? GRENS_FETCH_SET_RETRIES : 0) |
		 (timeout_given ? GRENS_FETCH_SET_TIMEOUT : 0) |
		 (max_given ? GRENS_FETCH_SET_MAX_BYTES : 0);
	ro.user_agent = user_agent;
	ro.log = log_line;
	ro.stop = stop_requested;
	ro.progress = show_progress;
	ro.ctx = &term;

	if (grens_fetch_global_init(&err) != 0) {
		cli_report_error(CMD, &err);
		goto done;
	}
	curl_ready = true;

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	int64_t holder = 0;
	rc = grens_rt_recorder_new(&rec, out, &ro, &holder, &err);
	if (rc == GRENS_EARG) {
		cli_errorf(CMD, "%s", err.message);
		code = CLI_EXIT_USAGE;
		goto done;
	}
	if (rc == GRENS_ENOMEM) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	if (rc != 0) {
		cli_errorf(CMD, "--out %s is not usable: %s", out, err.message);
		goto done;
	}
	if (!rec) {
		if (holder)
			cli_errorf(CMD, "another recorder (pid %lld) is running on %s",
				   (long long)holder, out);
		else
			cli_errorf(CMD, "another recorder is running on %s", out);
		code = EXIT_LOCKED;
		goto done;
	}
	grens_rt_recorder_run(rec);
	if (term.progress_shown)
		fputs("\r\033[K", stderr);
	const grens_rt_record_counts *c = &grens_rt_recorder_status(rec)->total;
	uint32_t days = 0;
	uint32_t snapshots = grens_rt_recorder_archived(rec, &days);
	printf("recorded %llu new snapshot(s) in %llu poll(s) (%llu unchanged, %llu failed); "
	       "%s holds %u snapshot(s) in %u day(s)%s\n",
	       (unsigned long long)c->added, (unsigned long long)c->polls,
	       (unsigned long long)c->unchanged, (unsigned long long)c->failed, out, snapshots,
	       days, stop_signal ? " (stopped by a signal)" : "");
	code = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
done:
	grens_rt_recorder_free(rec);
	if (curl_ready)
		grens_fetch_global_cleanup();
	grens_fetch_config_free(cfg);
	free(feeds);
	return code;
}

/* ---- grens nightly ------------------------------------------------------------ */

/* Unless a recorder already holds the archive, start one in the background
 * (its own session, output appended to ARCHIVE/record.log) until until.
 * 1 when started, 0 when one already runs (*holder its pid), -1 after a
 * message. */
static int start_recorder(const char *cmd, const cli_record_setup *rec, int64_t until,
			  int64_t *holder)
{
	grens_error err;
	grens_error_clear(&err);
	if (grens_rt_record_probe(rec->archive, holder, &err) != 0) {
		cli_errorf(cmd, "rt_archive %s: %s", rec->archive, err.message);
		return -1;
	}
	/* Should another recorder start between this look and the new one's
	 * own lock, the new one exits (status 3, in the log) and that one
	 * records. */
	if (*holder)
		return 0;

	char exe[4096], log[4200], until_text[40];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0 || (size_t)n >= sizeof(exe) - 1) {
		cli_errorf(cmd, "cannot find the grens program to start the recorder");
		return -1;
	}
	exe[n] = '\0';
	snprintf(log, sizeof(log), "%s/record.log", rec->archive);
	cli_format_utc(until, until_text, sizeof(until_text));
	const char *args[8 + 2 * GRENS_RT_RECORD_MAX_FEEDS];
	unsigned a = 0;
	args[a++] = exe;
	args[a++] = "rt";
	args[a++] = "record";
	args[a++] = "--out";
	args[a++] = rec->archive;
	args[a++] = "--until";
	args[a++] = until_text;
	for (unsigned i = 0; i < rec->url_count; i++) {
		args[a++] = "--url";
		args[a++] = rec->urls[i];
	}
	args[a] = NULL;
	int logfd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0) {
		cli_errorf(cmd, "cannot open %s: %s", log, strerror(errno));
		return -1;
	}
	fflush(NULL);
	/* Fork twice so the recorder belongs to init, in its own session:
	 * the nightly run neither waits for it nor leaves a zombie, and the
	 * terminal's signals do not reach it. */
	pid_t child = fork();
	if (child < 0) {
		cli_errorf(cmd, "cannot start the recorder: %s", strerror(errno));
		close(logfd);
		return -1;
	}
	if (child == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, STDIN_FILENO);
		dup2(logfd, STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		/* nothing of the night's may stay open for a day (its folder lock
		 * would look held): close what was not opened close-on-exec */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		execv(exe, (char *const *)args);
		dprintf(STDERR_FILENO, "grens nightly: cannot run %s: %s\n", exe, strerror(errno));
		_exit(127);
	}
	close(logfd);
	int st;
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	return 1;
}

/* How long a recorder started by a night runs: until shortly before the
 * next night, which starts the next one. */
#define NIGHT_RECORD_S (24 * 3600 - 5 * 60)

int cli_nightly_record(const char *cmd, const cli_record_setup *rec, int64_t now,
		       grens_report *report)
{
	char note[16384], when[40];
	grens_error err;
	if (!rec->archive[0])
		return 0;
	if (rec->url_count) {
		int64_t holder = 0;
		int64_t until = now + NIGHT_RECORD_S;
		int started = start_recorder(cmd, rec, until, &holder);
		cli_format_utc(until, when, sizeof(when));
		if (started > 0)
			snprintf(
			    note, sizeof(note),
			    "realtime archive %s: recording %u feed(s) in the background until "
			    "%s (log %s/record.log)",
			    rec->archive, rec->url_count, when, rec->archive);
		else if (started == 0)
			snprintf(note, sizeof(note),
				 "realtime archive %s: a recorder is already running (pid %lld); "
				 "none started",
				 rec->archive, (long long)holder);
		else
			snprintf(note, sizeof(note),
				 "realtime archive %s: the recorder could not be started",
				 rec->archive);
		printf("%s\n", note);
		grens_error_clear(&err);
		if (grens_report_add_note(report, note, &err) != 0)
			return -1;
	}
	/* What the recording (this one's earlier nights, or one made elsewhere)
	 * holds so far. */
	grens_rt_record_status *st = calloc(1, sizeof(*st));
	if (!st)
		return -1;
	grens_error_clear(&err);
	int rc = grens_rt_record_status_read(st, rec->archive, &err);
	if (rc == 0) {
		const grens_rt_record_counts *c = &st->total;
		char last[40] = "never", last_new[40] = "never";
		if (c->last_poll)
			cli_format_utc(c->last_poll, last, sizeof(last));
		if (c->last_added)
			cli_format_utc(c->last_added, last_new, sizeof(last_new));
		snprintf(note, sizeof(note),
			 "realtime archive %s: last poll %s, last new snapshot %s; %llu poll(s): "
			 "%llu new, %llu unchanged, %llu failed%s%s",
			 rec->archive, last, last_new, (unsigned long long)c->polls,
			 (unsigned long long)c->added, (unsigned long long)c->unchanged,
			 (unsigned long long)c->failed, c->last_error[0] ? "; last error: " : "",
			 c->last_error);
	} else if (rc == GRENS_ENOTFOUND) {
		snprintf(note, sizeof(note),
			 "realtime archive %s: no status.json (not recorded "
			 "by grens rt record, or not yet)",
			 rec->archive);
	} else {
		snprintf(note, sizeof(note), "realtime archive %s: %s", rec->archive, err.message);
	}
	free(st);
	printf("%s\n", note);
	grens_error_clear(&err);
	return grens_report_add_note(report, note, &err) != 0 ? -1 : 0;
}
