/* Shared pieces of the grens command-line tool. Only cli/ prints, reads the
 * environment or exits. */
#ifndef GRENS_CLI_H
#define GRENS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "grens/core.h"

/* Exit codes of every command. */
enum {
	CLI_EXIT_OK = 0,
	CLI_EXIT_FAIL = 1,  /* the work failed (unusable feed, download failed, ...) */
	CLI_EXIT_USAGE = 2, /* bad arguments */
};

typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* Print "grens <cmd>: message" to stderr. */
void cli_errorf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a library error with its location to stderr. */
void cli_report_error(const char *cmd, const grens_error *err);

/* Output formats selected with --format. */
typedef enum { CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_CSV, CLI_FORMAT_GEOJSON } cli_format;
/* Parse a --format value against the allowed set (bit mask of 1 << format).
 * Returns 0 or -1 after printing an error. */
int cli_parse_format(const char *cmd, const char *value, unsigned allowed, cli_format *out);

/* The directory of the embedded default data: $GRENS_FEEDS, else the
 * build-time default. */
const char *cli_feeds_dir(void);

/* List of --feed paths; when none were given, the default feeds
 * (cli_feeds_dir()/nl and /nrw). */
typedef struct cli_feed_list {
	const char *paths[64];
	char owned[2][4096];
	unsigned count;
} cli_feed_list;
/* Add one --feed value; -1 with a message when there are too many. */
int cli_feed_list_add(const char *cmd, cli_feed_list *list, const char *path);
/* When empty, fill with the defaults. */
void cli_feed_list_default(cli_feed_list *list);

/* Parse "NAME=PATH" or "PATH" from a --feed entry: *name is NULL when the
 * name is to be derived from the path. buf holds the name. */
const char *cli_feed_split(const char *entry, char *buf, size_t bufsz, const char **name);

struct grens_gtfs_feed;
struct grens_timetable;
/* Load every feed of the list (names from NAME=PATH or the path's basename).
 * Prints a line per unusable feed. diags[i] receives feed i's notices.
 * Returns 0 when all loaded, else -1 (loaded feeds are still returned; free
 * them with cli_free_feeds). */
int cli_load_feeds(const char *cmd, const cli_feed_list *list, struct grens_gtfs_feed **feeds,
		   grens_diag **diags);
void cli_free_feeds(struct grens_gtfs_feed **feeds, grens_diag **diags, unsigned count);
/* Load the feeds and build one timetable; prints errors (and a one-line
 * notice summary when a feed had errors). 0 or -1. */
int cli_build_timetable(const char *cmd, const cli_feed_list *list, struct grens_timetable **out);

/* Linking options shared by the commands that build a linked timetable:
 * --links FILE, --overrides FILE, --radius M, --walk-speed MPS, --timezone ZONE,
 * --tolerance S, --no-merge.
 * cli_link_args_init sets the defaults (links: cli_feeds_dir()/links.csv
 * when it exists and no --links was given). */
typedef struct cli_link_args {
	const char *links;     /* NULL: the default links file, if any */
	const char *overrides; /* NULL: none */
	bool no_links;         /* --links none */
	struct {
		double radius_m; /* < 0: library default */
		const char *timezone;
		bool no_merge;
		int32_t tolerance; /* < 0: library default */
		double walk_speed_mps; /* <= 0: library default */
	} net;
} cli_link_args;
void cli_link_args_init(cli_link_args *args);
/* Handle one linking option (name without "--", value may be NULL for
 * flags). Returns 1 when handled, 0 when the option is not a linking one,
 * -1 after printing an error. */
int cli_link_args_parse(const char *cmd, cli_link_args *args, const char *name,
			const char *value);
struct grens_net_link_report;
/* Load the feeds, read the links and override files, and build one linked
 * timetable; with report not NULL also the link report. Prints errors. 0 or
 * -1; on success the caller frees *out (and *report). */
int cli_build_linked(const char *cmd, const cli_feed_list *list, const cli_link_args *args,
		     struct grens_timetable **out, struct grens_net_link_report **report);

/* Progress printer for grens_progress: prints to stderr only when stderr is
 * a terminal. */
void cli_progress_init(grens_progress *p);

/* Print notices of a diagnostics sink to stderr as "file:line: field: code: message"
 * (at most max lines, then a count of the rest). */
void cli_print_notices(const grens_diag *diag, size_t max);

#endif
