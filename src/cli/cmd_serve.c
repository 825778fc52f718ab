/* grens serve: the JSON API over HTTP (grens-serve(1)), until SIGTERM or
 * SIGINT. Loads the timetable once, hands it to the server of serve/ and
 * waits for the signal; every answer is the library's. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "places_cli.h"
#include "grens/serve.h"
#include "source.h"

#define CMD "serve"
#define MAX_SCENARIOS 32
/* A shipped scenario file at most (as a posted one). */
#define GRENS_SERVE_MAX_SCENARIO_FILE (256u * 1024u)

static void usage(FILE *o)
{
	fprintf(o,
		"usage: grens serve [--feed PATH]... [--snapshot FILE] [--links FILE|none]\n"
		"                   [--listen HOST:PORT] [--threads N] [--queue N]\n"
		"                   [--scenario FILE]... [--max-scenarios N]\n"
		"                   [--max-departures N] [--places FILE]...\n\n"
		"Answers what-if queries over HTTP until SIGTERM or SIGINT: the JSON API\n"
		"/api/v1/ (stops, route, compare, access, scenarios; described at\n"
		"/api/v1/openapi.json) with the documents the commands write with --format\n"
		"json, over one timetable loaded once. A scenario posted to /api/v1/scenarios\n"
		"is applied to it once and named by its SHA-256 afterwards. Prints the URL\n"
		"on stdout when listening, one line per request on stderr.\n\n"
		"  --feed [NAME=]PATH   GTFS .zip or directory (repeat; default: the embedded\n"
		"                       feeds); built and linked once at the start\n"
		"  --snapshot FILE      a snapshot written by grens build instead of feeds\n"
		"  --links FILE|none    stations that are the same across feeds (default:\n"
		"                       links.csv of the feeds directory when it exists)\n"
		"  --listen HOST:PORT   address and port (default 127.0.0.1:8080; port 0: a\n"
		"                       free one; [::1]:PORT for IPv6)\n"
		"  --threads N          requests answered at once (default: the cores online)\n"
		"  --queue N            requests waiting for one of those; more get 503\n"
		"                       (default 16)\n"
		"  --scenario FILE      a scenario every client may name, by its name or hash\n"
		"                       (repeat; default: the proposals in feeds/scenarios/;\n"
		"                       none: no shipped scenario)\n"
		"  --places FILE        population tables of /api/v1/access (repeat; default:\n"
		"                       feeds/places/*.csv; none: no /api/v1/access)\n"
		"  --max-scenarios N    posted scenarios kept (default 16, at most %u)\n"
		"  --max-departures N   departures one compare request may route: window steps\n"
		"                       x pairs x networks x dates (default 20000)\n"
		"Exit status: 0 after SIGTERM or SIGINT, 1 when the feeds, the snapshot or a\n"
		"scenario cannot be used or the address cannot be bound, 2 bad arguments.\n",
		GRENS_SERVE_MAX_SCENARIOS);
}

/* The proposals, as grens compare runs them by default. */
static const char *const default_scenarios[] = {"ic-eindhoven-aken", "ic-eindhoven-aken-randen",
						"ic-denhaag-aken", "ic-aken"};

struct args {
	cli_feed_list feeds;
	cli_link_args link;
	const char *listen;
	uint32_t threads, queue, max_scenarios, max_departures;
	const char *scenarios[MAX_SCENARIOS];
	unsigned scenario_count;
	const char *places[PLACES_CLI_MAX_FILES];
	unsigned place_files;
};

static int parse(int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof(*a));
	cli_link_args_init(&a->link);
	a->listen = "127.0.0.1:8080";
	a->threads = cli_online_cpus();
	a->queue = 16;
	a->max_scenarios = 16;
	a->max_departures = 20000;
	const cli_option options[] = {
		CLI_FEED_OPTION(&a->feeds),
		CLI_SNAPSHOT_OPTION(&a->feeds),
		CLI_LINKS_OPTION(&a->link),
		{.name = "listen", .kind = CLI_OPT_STRING, .dst = &a->listen},
		{.name = "threads", .kind = CLI_OPT_UINT32, .dst = &a->threads, .min = 1,
		 .max = GRENS_SERVE_MAX_THREADS},
		{.name = "queue", .kind = CLI_OPT_UINT32, .dst = &a->queue, .min = 0,
		 .max = GRENS_SERVE_MAX_QUEUE},
		{.name = "max-scenarios", .kind = CLI_OPT_UINT32, .dst = &a->max_scenarios, .min = 0,
		 .max = GRENS_SERVE_MAX_SCENARIOS},
		{.name = "max-departures", .kind = CLI_OPT_UINT32, .dst = &a->max_departures,
		 .min = 1, .max = 100000000},
		{.name = "scenario", .kind = CLI_OPT_LIST, .dst = a->scenarios,
		 .count = &a->scenario_count, .cap = MAX_SCENARIOS},
		{.name = "places", .kind = CLI_OPT_LIST, .dst = a->places,
		 .count = &a->place_files, .cap = PLACES_CLI_MAX_FILES},
		{.name = NULL},
	};
	const cli_spec spec = {.cmd = CMD, .usage = usage, .options = options};
	return cli_parse(&spec, argc, argv);
}

/* "HOST:PORT" or "[V6]:PORT" into host and port; -1 after a message. */
static int split_listen(const char *v, char *host, size_t hostsz, uint16_t *port)
{
	const char *colon = strrchr(v, ':');
	const char *h = v;
	size_t hl = colon ? (size_t)(colon - v) : 0;
	if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') {
		h = v + 1;
		hl -= 2;
	}
	int64_t p = 0;
	if (!colon || !hl || hl >= hostsz ||
	    grens_parse_i64(colon + 1, strlen(colon + 1), 0, 65535, &p) != 0) {
		cli_errorf(CMD, "--listen needs HOST:PORT (port 0 to 65535), not '%s'", v);
		return -1;
	}
	memcpy(host, h, hl);
	host[hl] = '\0';
	*port = (uint16_t)p;
	return 0;
}

static void log_line(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "%s\n", line);
}

/* The timetable of the feeds as a snapshot in memory, so that it is the
 * one immutable timetable of every request, as a mapped file is. *mem
 * holds its bytes (free after grens_net_free). */
static int snapshot_of_feeds(struct args *a, grens_timetable **out, uint64_t **mem)
{
	cli_feed_list_default(&a->feeds);
	grens_gtfs_feed *feeds[64] = {0};
	grens_diag *diags[64] = {0};
	grens_net_links *links = NULL;
	grens_timetable *tt = NULL;
	char *provenance = NULL, inputs[65], *bytes = NULL;
	size_t size = 0;
	int code = CLI_EXIT_FAIL;
	const grens_gtfs_feed *const *cf = (const grens_gtfs_feed *const *)feeds;
	grens_error err;
	grens_error_clear(&err);
	if (cli_links_load(CMD, &a->link, &links) || cli_load_feeds(CMD, &a->feeds, feeds, diags) ||
	    cli_net_build(CMD, cf, a->feeds.count, &a->link, links, &tt, NULL) ||
	    cli_source_provenance(CMD, cf, &a->feeds, &a->link, &provenance, inputs))
		goto done;
	FILE *f = open_memstream(&bytes, &size);
	if (!f) {
		cli_errorf(CMD, "out of memory");
		goto done;
	}
	int rc = grens_net_snapshot_write(tt, f, provenance, inputs, &err);
	if (fclose(f) != 0 && !rc)
		rc = grens_error_set(&err, GRENS_ENOMEM, "out of memory");
	*mem = rc ? NULL : malloc(size ? size : 1);
	if (!rc && !*mem)
		rc = grens_error_set(&err, GRENS_ENOMEM, "out of memory");
	if (!rc) {
		memcpy(*mem, bytes, size);
		rc = grens_net_snapshot_open(out, *mem, size, "the feeds", &err);
	}
	if (rc) {
		cli_report_error(CMD, &err);
		free(*mem);
		*mem = NULL;
		goto done;
	}
	code = CLI_EXIT_OK;
done:
	free(bytes);
	free(provenance);
	grens_net_free(tt);
	grens_net_links_free(links);
	cli_free_feeds(feeds, diags, a->feeds.count);
	return code;
}

/* Every scenario file of a (the default proposals when none) added. */
static int add_scenarios(grens_serve *srv, const struct args *a)
{
	char paths[4][4096];
	const char *list[MAX_SCENARIOS];
	unsigned n = a->scenario_count;
	for (unsigned i = 0; i < n; i++)
		list[i] = a->scenarios[i];
	if (n == 1 && strcmp(list[0], "none") == 0)
		return CLI_EXIT_OK;
	if (!n) {
		for (; n < 4; n++) {
			snprintf(paths[n], sizeof(paths[n]), "%s/scenarios/%s.yaml", cli_feeds_dir(),
				 default_scenarios[n]);
			list[n] = paths[n];
		}
	}
	for (unsigned i = 0; i < n; i++) {
		size_t len = 0;
		grens_error err;
		grens_error_clear(&err);
		char *text = cli_read_file(CMD, "scenario file", list[i], GRENS_SERVE_MAX_SCENARIO_FILE,
					   &len);
		if (!text)
			return CLI_EXIT_FAIL;
		int rc = grens_serve_add_scenario(srv, text, len, list[i], &err);
		free(text);
		if (rc) {
			cli_report_error(CMD, &err);
			return CLI_EXIT_FAIL;
		}
	}
	return CLI_EXIT_OK;
}

/* The places files of a (the default ones when none; "none": none) read
 * into *out and handed to the server. */
static int set_places(grens_serve *srv, struct args *a, char **owned, grens_access_places **out)
{
	if (a->place_files == 1 && strcmp(a->places[0], "none") == 0)
		return CLI_EXIT_OK;
	if (!a->place_files) {
		uint32_t n = 0;
		if (places_cli_default(CMD, owned, PLACES_CLI_MAX_FILES, &n))
			return CLI_EXIT_FAIL;
		for (uint32_t i = 0; i < n; i++)
			a->places[i] = owned[i];
		a->place_files = n;
	}
	grens_error err;
	grens_error_clear(&err);
	if (grens_access_places_new(out, &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	if (places_cli_read(CMD, a->places, a->place_files, *out))
		return CLI_EXIT_FAIL;
	if (grens_serve_set_places(srv, *out, a->places, a->place_files, &err)) {
		cli_report_error(CMD, &err);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
	struct args a;
	int rc = parse(argc, argv, &a);
	if (rc)
		return cli_parse_exit(rc);
	char host[64];
	grens_serve_options opts = GRENS_SERVE_OPTIONS_INIT;
	if (split_listen(a.listen, host, sizeof(host), &opts.port))
		return CLI_EXIT_USAGE;
	if (a.feeds.snapshot && a.feeds.count) {
		cli_errorf(CMD, "--snapshot replaces --feed: give one or the other");
		return CLI_EXIT_USAGE;
	}
	opts.host = host;
	opts.threads = a.threads;
	opts.queue = a.queue;
	opts.max_scenarios = a.max_scenarios;
	opts.max_departures = a.max_departures;
	opts.log = (grens_report_log){log_line, NULL};

	grens_timetable *tt = NULL;
	uint64_t *mem = NULL;
	grens_serve *srv = NULL;
	grens_access_places *places = NULL;
	char *owned_places[PLACES_CLI_MAX_FILES] = {0};
	grens_error err;
	grens_error_clear(&err);
	int code = CLI_EXIT_FAIL;
	if (a.feeds.snapshot) {
		if (grens_net_snapshot_load(&tt, a.feeds.snapshot, &err)) {
			cli_report_error(CMD, &err);
			goto done;
		}
	} else if ((code = snapshot_of_feeds(&a, &tt, &mem)) != CLI_EXIT_OK) {
		goto done;
	}
	code = CLI_EXIT_FAIL;
	if (grens_serve_new(&srv, tt, &opts, &err)) {
		cli_report_error(CMD, &err);
		code = err.code == GRENS_EARG ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
		goto done;
	}
	if ((code = add_scenarios(srv, &a)) != CLI_EXIT_OK ||
	    (code = set_places(srv, &a, owned_places, &places)) != CLI_EXIT_OK)
		goto done;
	code = CLI_EXIT_FAIL;
	/* the signals wait for this thread: the server's threads, made from
	 * here, inherit the mask */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (grens_serve_start(srv, &err)) {
		cli_report_error(CMD, &err);
		goto done;
	}
	bool v6 = strchr(host, ':') != NULL;
	printf("grens serve: listening on http://%s%s%s:%u/\n", v6 ? "[" : "", host, v6 ? "]" : "",
	       (unsigned)grens_serve_port(srv));
	fflush(stdout);
	int sig = 0;
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "grens serve: %s: finishing the requests being answered\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	grens_serve_stop(srv);
	code = CLI_EXIT_OK;
done:
	grens_serve_free(srv);
	grens_access_places_free(places);
	for (uint32_t i = 0; i < PLACES_CLI_MAX_FILES; i++)
		free(owned_places[i]);
	grens_net_free(tt);
	free(mem);
	return code;
}
