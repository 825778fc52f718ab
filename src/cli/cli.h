/* Shared pieces of the grens command-line tool. Only cli/ prints, reads the
 * environment or exits. */
#ifndef GRENS_CLI_H
#define GRENS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "grens/core.h"
#include "grens/fetch.h"
#include "grens/net.h"

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
#define CLI_FORMATS(...) cli_format_mask(__VA_ARGS__, -1)
/* The bit mask of the listed formats (end the list with -1). */
unsigned cli_format_mask(int first, ...);
/* Parse a --format value against the allowed set (bit mask of 1 << format).
 * Returns 0 or -1 after printing an error. */
int cli_parse_format(const char *cmd, const char *value, unsigned allowed, cli_format *out);

/* ---- command-line options ------------------------------------------------------------ */

/* Every command declares its options in a table and parses argv with
 * cli_parse (getopt_long underneath): "--opt value" and "--opt=value",
 * names spelled in full, positional arguments anywhere, "--" ends the
 * options, --help and -h print the usage to stdout. Errors name the
 * command, the option and the reason. A table holds at most 64 options. */
typedef enum {
	CLI_OPT_FLAG,   /* no value; bool *dst = true */
	CLI_OPT_STRING, /* const char **dst (the last one given wins) */
	CLI_OPT_LIST,   /* repeatable: const char **dst array of cap, unsigned *count */
	CLI_OPT_INT,    /* whole number in [min, max] times scale: int64_t *dst */
	CLI_OPT_INT32,  /* as CLI_OPT_INT into int32_t *dst */
	CLI_OPT_UINT32, /* as CLI_OPT_INT into uint32_t *dst */
	CLI_OPT_REAL,   /* number in [min, max]: double *dst */
	CLI_OPT_DATE,   /* YYYY-MM-DD: grens_date *dst */
	CLI_OPT_TIME,   /* HH:MM[:SS]: int32_t *dst, seconds */
	CLI_OPT_WINDOW, /* HH:MM-HH:MM: cli_window *dst */
	CLI_OPT_FORMAT, /* one of the formats in mask: cli_format *dst */
	CLI_OPT_CHOICE, /* one of choices (NULL-terminated): int *dst, its index */
	CLI_OPT_FEED,   /* [NAME=]PATH: cli_feed_list *dst */
	CLI_OPT_CALL,   /* call(cmd, "--name", value, dst): 0, or -1 after a message */
} cli_opt_kind;

/* A departure window; text is the value as given. */
typedef struct cli_window {
	int32_t start, end;
	const char *text;
} cli_window;

typedef struct cli_option {
	const char *name; /* without "--"; NULL ends a table */
	cli_opt_kind kind;
	void *dst;
	double min, max;        /* CLI_OPT_INT*, CLI_OPT_REAL */
	int64_t scale;          /* CLI_OPT_INT*: the stored value is value * scale (0: 1) */
	unsigned mask;          /* CLI_OPT_FORMAT: allowed formats (CLI_FORMATS) */
	unsigned cap;           /* CLI_OPT_LIST: capacity of dst */
	unsigned *count;        /* CLI_OPT_LIST: entries in dst */
	const char *const *choices;                                   /* CLI_OPT_CHOICE */
	int (*call)(const char *cmd, const char *opt, const char *value, void *dst); /* CALL */
	bool required;          /* an error when absent */
	bool *seen;             /* set to true when given (NULL: not recorded) */
} cli_option;

/* What cli_parse reads: the command, its usage text and options, and the
 * positional arguments it takes (at most max_args into args). */
typedef struct cli_spec {
	const char *cmd;
	void (*usage)(FILE *out);
	const cli_option *options;
	const char **args; /* NULL with max_args 0: no positional argument */
	unsigned max_args;
	unsigned *arg_count;
} cli_spec;

/* --max-zip-ratio N of a cli_feed_list (CLI_FEED_OPTION); 0 or -1 after a
 * message. */
int cli_feed_ratio_option(const char *cmd, const char *opt, const char *value, void *dst);

/* Table entries every command spells the same way. --feed comes with
 * --max-zip-ratio, which print_usage explains for every such command. */
#define CLI_FEED_OPTION(list)                                                                     	{ .name = "feed", .kind = CLI_OPT_FEED, .dst = (list) },                                  	{ .name = "max-zip-ratio", .kind = CLI_OPT_CALL, .dst = (list),                           	  .call = cli_feed_ratio_option }
/* --clip BBOX|FILE.geojson (cli_load_feeds clips every feed to it). */
#define CLI_CLIP_OPTION(list) { .name = "clip", .kind = CLI_OPT_STRING, .dst = &(list)->clip }
/* The region of a --clip value: "min_lon,min_lat,max_lon,max_lat" or a
 * GeoJSON file of Polygons or MultiPolygons. 0, or -1 after a message. */
struct grens_gtfs_clip;
int cli_clip_load(const char *cmd, const char *value, struct grens_gtfs_clip **out);
/* A --clip value that is no region is a bad argument: CLI_EXIT_USAGE after
 * the message; CLI_EXIT_OK for NULL or a region. */
int cli_clip_check(const char *cmd, const char *value);
/* Is the --clip value a box (else it names a file)? */
bool cli_clip_is_box(const char *value);
/* --snapshot FILE: the timetable grens build wrote, instead of --feed
 * (cli_source_load); print_usage explains it for every such command. */
#define CLI_SNAPSHOT_OPTION(list)                                                                 \
	{ .name = "snapshot", .kind = CLI_OPT_STRING, .dst = &(list)->snapshot }
#define CLI_FORMAT_OPTION(format, ...)                                                            \
	{ .name = "format", .kind = CLI_OPT_FORMAT, .dst = (format),                              \
	  .mask = CLI_FORMATS(__VA_ARGS__) }

enum { CLI_PARSE_OK = 0, CLI_PARSE_HELP = 1, CLI_PARSE_ERROR = -1 };

/* Parse argv[1..argc) (argv[0] is the command name) into the option
 * destinations. CLI_PARSE_OK; CLI_PARSE_HELP after printing the usage to
 * stdout; CLI_PARSE_ERROR after a message on stderr (an unknown option, a
 * missing or bad value, a missing required option, a stray argument). The
 * --help text must name every option of the table: when it does not,
 * the omission is reported and the result is CLI_PARSE_ERROR. */
int cli_parse(const cli_spec *spec, int argc, char **argv);
/* The exit code for a cli_parse result other than CLI_PARSE_OK. */
static inline int cli_parse_exit(int rc)
{
	return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

/* Parse "HH:MM-HH:MM" (seconds allowed, the end not before the start);
 * 0 or -1 after a message naming opt. */
int cli_parse_window(const char *cmd, const char *opt, const char *value, cli_window *out);

struct json_t;
/* Write root as indented JSON and a newline to stdout and release it (root
 * may be NULL: building it failed). 0, or -1 after a message. */
int cli_write_json(const char *cmd, struct json_t *root);
/* A document of report/ (compact JSON text, freed here; may be NULL) as
 * JSON for a command's own document; NULL when it could not be made. */
struct json_t *cli_json_take(char *text);

/* One CSV field, quoted when it holds a comma, quote or line break. */
void cli_csv_field(FILE *out, const char *s);

/* One cell of a text table: s padded with spaces to width display columns
 * (grens_text_width, so "Köln" is four wide), on the right or, with
 * align_right, on the left; with cut, text wider than width is cut there. */
void cli_table_cell(FILE *out, const char *s, size_t width, bool cut, bool align_right);

/* A whole file of at most max bytes, NUL-terminated (the caller frees), or
 * NULL after a message naming what ("places file") and the path. */
char *cli_read_file(const char *cmd, const char *what, const char *path, size_t max,
		    size_t *len);

struct grens_fetch_feed;
/* Fill the feed's header values that come from environment variables. A
 * variable that is unset leaves the value empty (the download then fails
 * naming it); one that is too long or holds a line break is ignored with a
 * message. */
void cli_fetch_resolve_headers(const char *cmd, struct grens_fetch_feed *feed);
/* The date with weekday wd (0 Monday .. 6 Sunday) on which the most trips
 * run in all feeds; ties go to the date nearest the middle of the feeds'
 * period. GRENS_DATE_NONE when the feeds have no service dates (or out of
 * memory). The default date of compare, access and report. */
struct grens_gtfs_feed;
grens_date cli_busiest_date(const struct grens_gtfs_feed *const *feeds, uint32_t n, int wd);

/* POSIX seconds as YYYY-MM-DDTHH:MM:SSZ into buf (>= 32 bytes). */
void cli_format_utc(int64_t t, char *buf, size_t n);

/* The fetcher's verify hook (grens_fetch_options.verify): a download is
 * usable when the GTFS archive has its required files, or the
 * GTFS-realtime message decodes. */
int cli_fetch_verify(const char *path, grens_fetch_kind kind, void *ctx, grens_error *err);

/* The folder of the default data: $GRENS_DATA (or the older
 * $GRENS_FEEDS); else share/grens/feeds of the install the program is
 * part of, found from its own path; else, for a program in the build
 * tree, the source tree's feeds/ named by grens-data-path beside it.
 * When none is there it says what it tried and exits 1. */
const char *cli_feeds_dir(void);

/* List of --feed paths; when none were given, the default feeds
 * (cli_feeds_dir()/nl, /nrw and /be). */
typedef struct cli_feed_list {
	const char *paths[64];
	char owned[3][4096];
	unsigned count;
	uint32_t max_zip_ratio; /* --max-zip-ratio; 0: the library default */
	const char *snapshot;   /* --snapshot FILE instead of feeds, or NULL */
	const char *clip;       /* --clip BBOX|FILE.geojson: clip each feed at load, or NULL */
	const char *clips[64];  /* a clip of one feed (the feed list's clip:), before clip */
	/* with clip: where cli_load_feeds puts what each feed kept, or NULL */
	struct grens_gtfs_clip_counts *clip_counts;
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

/* The cores online, 1 to GRENS_ACCESS_MAX_THREADS: the default of --threads. */
uint32_t cli_online_cpus(void);

/* Linking options shared by the commands that build a timetable (all
 * build it the same way, linked across feeds): --links FILE|none for every
 * such command; grens link also takes --overrides FILE, --radius M,
 * --walk-speed MPS, --timezone ZONE, --tolerance S and --no-merge.
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
		int32_t min_change; /* < 0: library default */
		int32_t link_min_change; /* < 0: library default */
	} net;
} cli_link_args;
void cli_link_args_init(cli_link_args *args);
/* Handle one linking option (opt with "--", value NULL for flags): a
 * CLI_OPT_CALL callback with dst a cli_link_args. 0 or -1 after a message. */
int cli_link_option(const char *cmd, const char *opt, const char *value, void *dst);
/* Option table entries: --links alone, and all linking options. */
#define CLI_LINKS_OPTION(args)                                                                    \
	{ .name = "links", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option }
#define CLI_LINK_OPTIONS(args)                                                                    \
	CLI_LINKS_OPTION(args),                                                                   \
	{ .name = "overrides", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option },    \
	{ .name = "radius", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option },       \
	{ .name = "walk-speed", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option },   \
	{ .name = "timezone", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option },     \
	{ .name = "tolerance", .kind = CLI_OPT_CALL, .dst = (args), .call = cli_link_option },    \
	{ .name = "no-merge", .kind = CLI_OPT_FLAG, .dst = &(args)->net.no_merge }

struct grens_net_links;
struct grens_net_link_report;
/* The links file args name: --links, else the default links.csv when it
 * exists (into buf), or NULL for none. */
const char *cli_links_file(const cli_link_args *args, char *buf, size_t bufsz);
/* Read the links file and the override file of args into a new set (*out
 * the caller's, grens_net_links_free). Bad rows are printed and skipped.
 * 0 or -1 after a message. */
int cli_links_load(const char *cmd, const cli_link_args *args, struct grens_net_links **out);
struct grens_net_options;
/* The timetable options args stand for (what cli_net_build builds with,
 * without links and progress). */
void cli_net_options(const cli_link_args *args, struct grens_net_options *out);
/* Build one linked timetable from loaded feeds with links (may be NULL)
 * and the settings of args; with report not NULL also the link report.
 * Prints errors and linking warnings. 0 or -1; on success the caller frees
 * *out (and *report). */
int cli_net_build(const char *cmd, const struct grens_gtfs_feed *const *feeds, uint32_t count,
		  const cli_link_args *args, const struct grens_net_links *links,
		  struct grens_timetable **out, struct grens_net_link_report **report);
/* Load the feeds, read the links and override files, and build one linked
 * timetable (cli_links_load, cli_load_feeds, cli_net_build). 0 or -1. */
int cli_build_linked(const char *cmd, const cli_feed_list *list, const cli_link_args *args,
		     struct grens_timetable **out, struct grens_net_link_report **report);

/* ---- the timetable's source: GTFS feeds or a snapshot ---------------------------------- */

struct json_t;
/* What a command reads the timetable from: the loaded feeds, or (with
 * --snapshot) the mapped snapshot and the provenance it was written with. */
typedef struct cli_source {
	struct grens_gtfs_feed *feeds[64];
	grens_diag *diags[64];
	uint32_t count;                   /* feeds loaded; 0 with a snapshot */
	const char *path;                 /* the snapshot file or NULL */
	struct grens_timetable *snapshot; /* the mapped snapshot or NULL */
	struct json_t *provenance;        /* its provenance (cmd_build.c writes it) */
	const char *names[64];            /* the feeds' names, either way */
	uint32_t name_count;
} cli_source;

/* Load the feeds of list (the defaults when empty), or with list->snapshot
 * map that file, checked whole; for a snapshot, the linking options of args
 * must be those it was built with (cli_source_build) and no --links or
 * --overrides may be given. CLI_EXIT_OK, or an exit code after printing the
 * reason: CLI_EXIT_USAGE for --feed with --snapshot or options a snapshot
 * cannot honour, CLI_EXIT_FAIL for an unusable feed or snapshot (the file
 * and the reason). Free *src with cli_source_free either way. */
int cli_source_load(const char *cmd, cli_feed_list *list, const cli_link_args *args,
		    cli_source *src);
void cli_source_free(cli_source *src);
/* The linked timetable of src: built from its feeds with args and links
 * (cli_net_build), or one more view of the snapshot (freed as any
 * timetable, valid while src is), refused with a message when args are
 * not the options the snapshot was built with. 0 or -1. */
int cli_source_build(const char *cmd, const cli_source *src, const cli_link_args *args,
		     const struct grens_net_links *links, struct grens_timetable **out);
/* The library's view of src (grens_net_source) for the jobs of access/ and
 * report/: its feeds linked with args and links, or its snapshot. Valid
 * while src, args and links are. */
void cli_source_net(const cli_source *src, const cli_link_args *args,
		    const struct grens_net_links *links, struct grens_net_source *out);
/* cli_busiest_date of the feeds; for a snapshot, the date grens build found
 * in the same way. */
grens_date cli_source_busiest_date(const cli_source *src, int wd);
/* The feeds of src whose names are in the comma-separated list, in src's
 * order, into out[0..cap); returns how many. For a snapshot the entries
 * are NULL (its feeds are not loaded): the caller says it cannot build. */
uint32_t cli_source_subset(const cli_source *src, const char *list,
			   const struct grens_gtfs_feed **out, uint32_t cap);
/* With list->snapshot set and what given (an option that edits the feeds,
 * such as --scenario), print that it needs --feed and return
 * CLI_EXIT_USAGE; else 0. */
int cli_source_refuse(const char *cmd, const cli_feed_list *list, bool given, const char *what);

/* Progress printer for grens_progress: prints to stderr only when stderr is
 * a terminal. */
void cli_progress_init(grens_progress *p);

/* Print notices of a diagnostics sink to stderr as "file:line: field: code: message"
 * (at most max lines, then a count of the rest). */
void cli_print_notices(const grens_diag *diag, size_t max);
/* Print a configuration reader's notices (an old syntax still read) as
 * "grens CMD: FILE: MESSAGE". */
void cli_print_config_notices(const char *cmd, const grens_diag *diag);
struct grens_fetch_config;
/* Read the feed list at path, printing its notices; NULL after a message. */
struct grens_fetch_config *cli_load_feed_list(const char *cmd, const char *path);

/* YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM / -HH:MM (UTC when
 * none) into POSIX seconds; 0, or -1 when it is not such a time. */
int cli_parse_iso_time(const char *s, int64_t *out);

/* A whole number in 0..max (with suffix, K/M/G multiply by 1024^n) of the
 * option opt into *out; 0, or -1 after a message. */
int cli_parse_count(const char *cmd, const char *opt, const char *v, uint64_t max, bool suffix,
		    uint64_t *out);

#endif
