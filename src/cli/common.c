#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "grens_config.h"

void cli_errorf(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "grens%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_report_error(const char *cmd, const grens_error *err)
{
	fprintf(stderr, "grens%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	if (err->file[0]) {
		fprintf(stderr, "%s", err->file);
		if (err->line)
			fprintf(stderr, ":%u", err->line);
		if (err->column)
			fprintf(stderr, ":%u", err->column);
		fprintf(stderr, ": ");
	}
	if (err->field[0])
		fprintf(stderr, "%s: ", err->field);
	fprintf(stderr, "%s\n", err->message[0] ? err->message : grens_strerror(err->code));
}

int cli_parse_format(const char *cmd, const char *value, unsigned allowed, cli_format *out)
{
	static const char *names[] = { "text", "json", "csv", "geojson" };
	for (unsigned i = 0; i < 4; i++) {
		if ((allowed & (1u << i)) && strcmp(value, names[i]) == 0) {
			*out = (cli_format)i;
			return 0;
		}
	}
	char list[64] = "";
	size_t n = 0;
	for (unsigned i = 0; i < 4; i++)
		if (allowed & (1u << i))
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? "|" : "",
					      names[i]);
	cli_errorf(cmd, "--format must be one of %s, not '%s'", list, value);
	return -1;
}

const char *cli_feeds_dir(void)
{
	const char *env = getenv("GRENS_FEEDS");
	if (env && *env)
		return env;
	return GRENS_DEFAULT_FEEDS_DIR;
}

int cli_feed_list_add(const char *cmd, cli_feed_list *list, const char *path)
{
	if (list->count >= sizeof(list->paths) / sizeof(list->paths[0])) {
		cli_errorf(cmd, "too many --feed arguments (at most %zu)",
			   sizeof(list->paths) / sizeof(list->paths[0]));
		return -1;
	}
	list->paths[list->count++] = path;
	return 0;
}

void cli_feed_list_default(cli_feed_list *list)
{
	if (list->count)
		return;
	static const char *names[] = { "nl", "nrw" };
	for (unsigned i = 0; i < 2; i++) {
		snprintf(list->owned[i], sizeof(list->owned[i]), "%s/%s", cli_feeds_dir(), names[i]);
		list->paths[list->count++] = list->owned[i];
	}
}

struct progress_state {
	struct timespec last;
	int active;
};

static void progress_print(void *ctx, const char *what, uint64_t done, uint64_t total)
{
	struct progress_state *st = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double dt = (double)(now.tv_sec - st->last.tv_sec) +
		    (double)(now.tv_nsec - st->last.tv_nsec) / 1e9;
	bool finished = total && done >= total;
	if (st->active && dt < 0.2 && !finished)
		return;
	st->last = now;
	st->active = 1;
	if (total)
		fprintf(stderr, "\r%s: %llu / %llu (%.0f%%)\033[K", what, (unsigned long long)done,
			(unsigned long long)total, 100.0 * (double)done / (double)total);
	else
		fprintf(stderr, "\r%s: %llu\033[K", what, (unsigned long long)done);
	if (finished) {
		fputc('\n', stderr);
		st->active = 0;
	}
}

void cli_progress_init(grens_progress *p)
{
	static struct progress_state state; /* one progress line per process */
	p->fn = NULL;
	p->ctx = NULL;
	if (isatty(STDERR_FILENO)) {
		p->fn = progress_print;
		p->ctx = &state;
	}
}

void cli_print_notices(const grens_diag *diag, size_t max)
{
	size_t n = grens_diag_kept_count(diag);
	static const char *sev[] = { "info", "warning", "error" };
	for (size_t i = 0; i < n && i < max; i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		fprintf(stderr, "%s:%u: %s%s%s: %s%s%s\n", no->file, no->line, no->field,
			no->field[0] ? ": " : "", sev[no->severity], no->code,
			no->message[0] ? ": " : "", no->message);
	}
	uint64_t total = grens_diag_total(diag, GRENS_SEVERITY_INFO) +
			 grens_diag_total(diag, GRENS_SEVERITY_WARNING) +
			 grens_diag_total(diag, GRENS_SEVERITY_ERROR);
	if (total > max && n > 0)
		fprintf(stderr, "... and %llu more notices\n",
			(unsigned long long)(total - (max < n ? max : n)));
}

#include "grens/gtfs.h"
#include "grens/net.h"

const char *cli_feed_split(const char *entry, char *buf, size_t bufsz, const char **name)
{
	const char *eq = strchr(entry, '=');
	*name = NULL;
	/* NAME=PATH, where NAME has no slash (a path may contain '='). */
	if (eq && eq != entry && (size_t)(eq - entry) < bufsz &&
	    memchr(entry, '/', (size_t)(eq - entry)) == NULL) {
		memcpy(buf, entry, (size_t)(eq - entry));
		buf[eq - entry] = '\0';
		*name = buf;
		return eq + 1;
	}
	return entry;
}

int cli_load_feeds(const char *cmd, const cli_feed_list *list, grens_gtfs_feed **feeds,
		   grens_diag **diags)
{
	int rc = 0;
	for (unsigned i = 0; i < list->count; i++) {
		char namebuf[128];
		const char *name;
		const char *path = cli_feed_split(list->paths[i], namebuf, sizeof(namebuf), &name);
		grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
		grens_error err;
		grens_error_clear(&err);
		opts.name = name;
		cli_progress_init(&opts.progress);
		feeds[i] = NULL;
		diags[i] = grens_diag_new();
		if (!diags[i]) {
			cli_errorf(cmd, "out of memory");
			rc = -1;
			continue;
		}
		if (grens_gtfs_load(&feeds[i], path, &opts, diags[i], &err) != 0) {
			cli_errorf(cmd, "feed '%s' is unusable:", path);
			cli_report_error(cmd, &err);
			rc = -1;
		}
	}
	return rc;
}

void cli_free_feeds(grens_gtfs_feed **feeds, grens_diag **diags, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		grens_gtfs_free(feeds[i]);
		grens_diag_free(diags[i]);
	}
}

int cli_build_timetable(const char *cmd, const cli_feed_list *list, grens_timetable **out)
{
	grens_gtfs_feed *feeds[64] = { 0 };
	grens_diag *diags[64] = { 0 };
	int rc = cli_load_feeds(cmd, list, feeds, diags);
	*out = NULL;
	if (rc == 0) {
		for (unsigned i = 0; i < list->count; i++) {
			uint64_t errors = grens_diag_total(diags[i], GRENS_SEVERITY_ERROR);
			if (errors)
				fprintf(stderr,
					"grens %s: feed '%s': %llu rows with errors were skipped "
					"(details: grens info --feed %s)\n",
					cmd, feeds[i]->name, (unsigned long long)errors,
					feeds[i]->path);
		}
		grens_net_options opts = GRENS_NET_OPTIONS_INIT;
		grens_error err;
		grens_error_clear(&err);
		grens_diag *diag = grens_diag_new();
		cli_progress_init(&opts.progress);
		if (!diag || grens_net_build(out, (const grens_gtfs_feed *const *)feeds, list->count,
					     &opts, diag, &err) != 0) {
			cli_report_error(cmd, &err);
			rc = -1;
		}
		grens_diag_free(diag);
	}
	cli_free_feeds(feeds, diags, list->count);
	return rc;
}

/* ---- linking options -------------------------------------------------------------- */

void cli_link_args_init(cli_link_args *args)
{
	memset(args, 0, sizeof(*args));
	args->net.radius_m = -1.0;
	args->net.tolerance = -1;
}

int cli_link_args_parse(const char *cmd, cli_link_args *args, const char *name, const char *value)
{
	if (strcmp(name, "links") == 0) {
		if (strcmp(value, "none") == 0)
			args->no_links = true;
		else
			args->links = value;
		return 1;
	}
	if (strcmp(name, "overrides") == 0) {
		args->overrides = value;
		return 1;
	}
	if (strcmp(name, "timezone") == 0) {
		args->net.timezone = value;
		return 1;
	}
	if (strcmp(name, "no-merge") == 0) {
		args->net.no_merge = true;
		return 1;
	}
	if (strcmp(name, "radius") == 0) {
		double v;
		if (grens_parse_double(value, strlen(value), &v) || !(v >= 0.0 && v <= 5000.0)) {
			cli_errorf(cmd, "--radius takes metres from 0 to 5000, not '%s'", value);
			return -1;
		}
		args->net.radius_m = v;
		return 1;
	}
	if (strcmp(name, "walk-speed") == 0) {
		double v;
		if (grens_parse_double(value, strlen(value), &v) || !(v >= 0.2 && v <= 5.0)) {
			cli_errorf(cmd, "--walk-speed takes metres per second from 0.2 to 5, not '%s'",
				   value);
			return -1;
		}
		args->net.walk_speed_mps = v;
		return 1;
	}
	if (strcmp(name, "tolerance") == 0) {
		int64_t v;
		if (grens_parse_i64(value, strlen(value), 0, 3600, &v)) {
			cli_errorf(cmd, "--tolerance takes seconds from 0 to 3600, not '%s'", value);
			return -1;
		}
		args->net.tolerance = (int32_t)v;
		return 1;
	}
	return 0;
}

static int read_links_file(const char *cmd, grens_net_links *links, const char *path, int kind,
			   grens_diag *diag)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_errorf(cmd, "cannot open %s", path);
		return -1;
	}
	char *buf = malloc(GRENS_LIMIT_LINKS_FILE_BYTES);
	size_t len = buf ? fread(buf, 1, GRENS_LIMIT_LINKS_FILE_BYTES, f) : 0;
	int bad = !buf || ferror(f) || len == GRENS_LIMIT_LINKS_FILE_BYTES;
	fclose(f);
	if (bad) {
		cli_errorf(cmd, "%s: unreadable or larger than %u bytes", path,
			   GRENS_LIMIT_LINKS_FILE_BYTES);
		free(buf);
		return -1;
	}
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_links_parse(links, buf, len, kind, path, diag, &err);
	free(buf);
	if (rc) {
		cli_report_error(cmd, &err);
		return -1;
	}
	return 0;
}

int cli_build_linked(const char *cmd, const cli_feed_list *list, const cli_link_args *args,
		     grens_timetable **out, grens_net_link_report **report)
{
	grens_gtfs_feed *feeds[64] = { 0 };
	grens_diag *diags[64] = { 0 };
	grens_net_links *links = grens_net_links_new();
	grens_diag *diag = grens_diag_new();
	char default_links[4200];
	int rc = -1;
	*out = NULL;
	if (report)
		*report = NULL;
	if (!links || !diag) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	const char *links_path = args->links;
	if (!links_path && !args->no_links) {
		snprintf(default_links, sizeof(default_links), "%s/links.csv", cli_feeds_dir());
		if (access(default_links, R_OK) == 0)
			links_path = default_links;
	}
	if (links_path && !args->no_links &&
	    read_links_file(cmd, links, links_path, GRENS_NET_LINKS_FILE, diag))
		goto done;
	if (args->overrides &&
	    read_links_file(cmd, links, args->overrides, GRENS_NET_LINKS_OVERRIDES, diag))
		goto done;
	if (cli_load_feeds(cmd, list, feeds, diags) != 0)
		goto done;
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	cli_progress_init(&opts.progress);
	opts.links = links;
	if (args->net.radius_m >= 0)
		opts.footpath_radius_m = args->net.radius_m;
	if (args->net.walk_speed_mps > 0)
		opts.walk_speed_mps = args->net.walk_speed_mps;
	if (args->net.tolerance >= 0)
		opts.merge_tolerance = args->net.tolerance;
	opts.merge_trips = !args->net.no_merge;
	opts.timezone = args->net.timezone;
	const char *tzdir = getenv("TZDIR");
	if (tzdir && *tzdir)
		opts.zoneinfo_dir = tzdir;
	grens_error err;
	grens_error_clear(&err);
	if (grens_net_build_linked(out, report, (const grens_gtfs_feed *const *)feeds, list->count,
				   &opts, diag, &err) != 0) {
		cli_report_error(cmd, &err);
		goto done;
	}
	rc = 0;
done:
	/* Problems with the links files or the linking (not the feeds' own
	 * notices, which grens info lists). */
	for (size_t i = 0, shown = 0; diag && i < grens_diag_kept_count(diag) && shown < 20; i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		if (no->severity < GRENS_SEVERITY_WARNING || strncmp(no->code, "link", 4) != 0)
			continue;
		fprintf(stderr, "%s:%u: %s%s%s: %s\n", no->file, no->line, no->field,
			no->field[0] ? ": " : "", no->code, no->message);
		shown++;
	}
	cli_free_feeds(feeds, diags, list->count);
	grens_net_links_free(links);
	grens_diag_free(diag);
	return rc;
}
