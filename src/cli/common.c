#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "grens/report.h"
#include "grens/fetch.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/report.h"
#include "grens/rt.h"
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

/* msg without a leading "prefix: " (messages often start with the file
 * err->file names too). */
static const char *after_prefix(const char *msg, const char *prefix)
{
	size_t n = prefix ? strlen(prefix) : 0;
	if (n && strncmp(msg, prefix, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
		return msg + n + 2;
	return msg;
}

/* One line: "grens CMD: [LEAD: ]FILE:LINE:COLUMN: FIELD: MESSAGE", each
 * name once. A location equal to path (the feed itself) is left out. */
static void report_error_line(const char *cmd, const char *lead, const char *path,
			      const grens_error *err)
{
	fprintf(stderr, "grens%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	if (lead)
		fprintf(stderr, "%s: ", lead);
	const char *msg = err->message[0] ? err->message : grens_strerror(err->code);
	for (int i = 0; i < 2; i++)
		msg = after_prefix(after_prefix(msg, err->file), path);
	bool at_path = path && strcmp(err->file, path) == 0 && !err->line;
	if (err->file[0] && !at_path) {
		fprintf(stderr, "%s", err->file);
		if (err->line)
			fprintf(stderr, ":%u", err->line);
		if (err->column)
			fprintf(stderr, ":%u", err->column);
		fprintf(stderr, ": ");
	}
	if (err->field[0])
		fprintf(stderr, "%s: ", err->field);
	fprintf(stderr, "%s\n", msg);
}

void cli_report_error(const char *cmd, const grens_error *err)
{
	report_error_line(cmd, NULL, NULL, err);
}

static const char *const format_names[] = { "text", "json", "csv", "geojson" };

unsigned cli_format_mask(int first, ...)
{
	unsigned mask = 0;
	va_list ap;
	va_start(ap, first);
	for (int f = first; f >= 0; f = va_arg(ap, int))
		mask |= 1u << f;
	va_end(ap);
	return mask;
}

/* "a|b|c" of the names whose bit is in mask. */
static void names_of(const char *const *names, unsigned count, unsigned mask, char *buf,
		     size_t bufsz)
{
	size_t n = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < count && n < bufsz; i++)
		if (mask & (1u << i))
			n += (size_t)snprintf(buf + n, bufsz - n, "%s%s", n ? "|" : "", names[i]);
}

int cli_parse_format(const char *cmd, const char *value, unsigned allowed, cli_format *out)
{
	for (unsigned i = 0; i < 4; i++) {
		if ((allowed & (1u << i)) && strcmp(value, format_names[i]) == 0) {
			*out = (cli_format)i;
			return 0;
		}
	}
	char list[64];
	names_of(format_names, 4, allowed, list, sizeof(list));
	cli_errorf(cmd, "--format must be one of %s, not '%s'", list, value);
	return -1;
}

int cli_parse_window(const char *cmd, const char *opt, const char *value, cli_window *out)
{
	const char *dash = strchr(value, '-');
	if (!dash || grens_time_parse(value, (size_t)(dash - value), 1, &out->start) != 0 ||
	    grens_time_parse(dash + 1, strlen(dash + 1), 1, &out->end) != 0 ||
	    out->end < out->start) {
		cli_errorf(cmd, "%s needs HH:MM-HH:MM with the end not before the start, not '%s'",
			   opt, value);
		return -1;
	}
	out->text = value;
	return 0;
}

/* ---- the option parser -------------------------------------------------------------- */

#define CLI_MAX_OPTIONS 64

/* Store one option's value; 0 or -1 after a message. */
static int store(const char *cmd, const cli_option *o, const char *opt, const char *v)
{
	switch (o->kind) {
	case CLI_OPT_FLAG:
		*(bool *)o->dst = true;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)o->dst = v;
		return 0;
	case CLI_OPT_LIST:
		if (*o->count >= o->cap) {
			cli_errorf(cmd, "%s given more than %u times", opt, o->cap);
			return -1;
		}
		((const char **)o->dst)[(*o->count)++] = v;
		return 0;
	case CLI_OPT_INT:
	case CLI_OPT_INT32:
	case CLI_OPT_UINT32: {
		int64_t n;
		if (grens_parse_i64(v, strlen(v), (int64_t)o->min, (int64_t)o->max, &n) != 0) {
			cli_errorf(cmd, "%s needs a whole number from %lld to %lld, not '%s'", opt,
				   (long long)o->min, (long long)o->max, v);
			return -1;
		}
		n *= o->scale ? o->scale : 1;
		if (o->kind == CLI_OPT_INT)
			*(int64_t *)o->dst = n;
		else if (o->kind == CLI_OPT_INT32)
			*(int32_t *)o->dst = (int32_t)n;
		else
			*(uint32_t *)o->dst = (uint32_t)n;
		return 0;
	}
	case CLI_OPT_REAL: {
		double d;
		if (grens_parse_double(v, strlen(v), &d) != 0 || !(d >= o->min && d <= o->max)) {
			cli_errorf(cmd, "%s needs a number from %g to %g, not '%s'", opt, o->min,
				   o->max, v);
			return -1;
		}
		*(double *)o->dst = d;
		return 0;
	}
	case CLI_OPT_DATE:
		if (grens_date_parse_iso(v, strlen(v), (grens_date *)o->dst) != 0) {
			cli_errorf(cmd, "%s needs YYYY-MM-DD, not '%s'", opt, v);
			return -1;
		}
		return 0;
	case CLI_OPT_TIME:
		if (grens_time_parse(v, strlen(v), 1, (int32_t *)o->dst) != 0) {
			cli_errorf(cmd, "%s needs HH:MM or HH:MM:SS, not '%s'", opt, v);
			return -1;
		}
		return 0;
	case CLI_OPT_WINDOW:
		return cli_parse_window(cmd, opt, v, (cli_window *)o->dst);
	case CLI_OPT_FORMAT:
		return cli_parse_format(cmd, v, o->mask, (cli_format *)o->dst);
	case CLI_OPT_CHOICE: {
		unsigned n = 0;
		for (; o->choices[n]; n++) {
			if (strcmp(v, o->choices[n]) == 0) {
				*(int *)o->dst = (int)n;
				return 0;
			}
		}
		char list[256];
		names_of(o->choices, n, ~0u, list, sizeof(list));
		cli_errorf(cmd, "%s must be one of %s, not '%s'", opt, list, v);
		return -1;
	}
	case CLI_OPT_FEED:
		return cli_feed_list_add(cmd, (cli_feed_list *)o->dst, v);
	case CLI_OPT_CALL:
		return o->call(cmd, opt, v, o->dst);
	}
	return -1;
}

/* Does the usage text name every option of the table? Reports the first
 * one it does not. */
static bool usage_names_all(const cli_spec *spec, const char *text)
{
	for (const cli_option *o = spec->options; o->name; o++) {
		char want[80];
		snprintf(want, sizeof(want), "--%s", o->name);
		const char *p = text;
		size_t n = strlen(want);
		bool found = false;
		/* "--feed" inside "--feed-name" does not count */
		for (p = strstr(p, want); p && !found; p = strstr(p + 1, want))
			found = p[n] != '-' && (p[n] < 'a' || p[n] > 'z');
		if (!found) {
			cli_errorf(spec->cmd, "the --help text does not describe %s", want);
			return false;
		}
	}
	return true;
}

static int print_usage(const cli_spec *spec)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		cli_errorf(spec->cmd, "out of memory");
		return CLI_PARSE_ERROR;
	}
	spec->usage(mem);
	for (const cli_option *o = spec->options; o->name; o++)
		if (o->kind == CLI_OPT_FEED)
			fprintf(mem, "\nA feed is refused when a zip member inflates to more than\n"
				     "--max-zip-ratio N times its compressed size (default %u).\n",
				GRENS_LIMIT_ZIP_RATIO);
	for (const cli_option *o = spec->options; o->name; o++)
		if (strcmp(o->name, "snapshot") == 0)
			fprintf(mem, "\n--snapshot FILE reads the timetable that grens build wrote\n"
				     "instead of --feed: mapped, not built, with the feeds' provenance.\n");
	int rc = fclose(mem) == 0 && text ? CLI_PARSE_HELP : CLI_PARSE_ERROR;
	if (rc == CLI_PARSE_HELP && !usage_names_all(spec, text))
		rc = CLI_PARSE_ERROR;
	if (rc == CLI_PARSE_HELP)
		fwrite(text, 1, len, stdout);
	free(text);
	return rc;
}

/* The option as typed: "--name" of "--name=value" or "--name". */
static void typed_name(const char *arg, char *buf, size_t bufsz)
{
	size_t n = strcspn(arg, "=");
	if (n >= bufsz)
		n = bufsz - 1;
	memcpy(buf, arg, n);
	buf[n] = '\0';
}

/* One positional argument; 0 or -1 after a message. */
static int add_arg(const cli_spec *spec, const char *arg)
{
	if (!spec->args || !spec->arg_count || *spec->arg_count >= spec->max_args) {
		cli_errorf(spec->cmd,
			   spec->max_args ? "too many arguments at '%s' (see grens %s --help)"
					  : "unexpected argument '%s' (see grens %s --help)",
			   arg, spec->cmd);
		return -1;
	}
	spec->args[(*spec->arg_count)++] = arg;
	return 0;
}

int cli_parse(const cli_spec *spec, int argc, char **argv)
{
	struct option longopts[CLI_MAX_OPTIONS + 2];
	unsigned n = 0;
	for (const cli_option *o = spec->options; o->name; o++) {
		if (n == CLI_MAX_OPTIONS) {
			cli_errorf(spec->cmd, "more than %d options", CLI_MAX_OPTIONS);
			return CLI_PARSE_ERROR;
		}
		longopts[n].name = o->name;
		longopts[n].has_arg = o->kind == CLI_OPT_FLAG ? no_argument : required_argument;
		longopts[n].flag = NULL;
		longopts[n].val = 256 + (int)n;
		if (o->seen)
			*o->seen = false;
		n++;
	}
	const int help = 256 + (int)n;
	longopts[n] = (struct option){ "help", no_argument, NULL, help };
	longopts[n + 1] = (struct option){ NULL, 0, NULL, 0 };
	if (spec->arg_count)
		*spec->arg_count = 0;
	bool given[CLI_MAX_OPTIONS] = { false };
	const char *cmd = spec->cmd;
	/* optind 0 makes getopt start afresh; '-' returns the positional
	 * arguments in order (whatever POSIXLY_CORRECT says, and argv stays as
	 * it is); ':' reports a missing value */
	optind = 0;
	opterr = 0;
	optopt = 0;
	for (;;) {
		int c = getopt_long(argc, argv, "-:h", longopts, NULL);
		if (c == -1)
			break;
		if (c == 1) {
			if (add_arg(spec, optarg) != 0)
				return CLI_PARSE_ERROR;
			continue;
		}
		if (c == 'h')
			return print_usage(spec); /* -h, also inside a cluster */
		char typed[96];
		if (c == '?' && optopt > 0 && optopt < 256) {
			/* an unknown short option: -q (or one of a cluster) */
			snprintf(typed, sizeof(typed), "-%c", optopt);
			goto unknown;
		}
		/* the long option's element: before its value when that came apart */
		const char *arg = argv[optind - 1];
		if (c >= 256 && longopts[c - 256].has_arg == required_argument && optarg == arg)
			arg = argv[optind - 2];
		typed_name(arg, typed, sizeof(typed));
		if (c == help) {
			if (strcmp(typed, "--help") != 0)
				goto unknown; /* an abbreviation */
			return print_usage(spec);
		}
		if (c == ':') {
			cli_errorf(cmd, "%s needs a value (see grens %s --help)", typed, cmd);
			return CLI_PARSE_ERROR;
		}
		if (c == '?' && optopt >= 256 && optopt <= help &&
		    strcmp(typed + 2, longopts[optopt - 256].name) == 0) {
			cli_errorf(cmd, "%s takes no value (see grens %s --help)", typed, cmd);
			return CLI_PARSE_ERROR;
		}
		if (c < 256 || c > help)
			goto unknown;
		const cli_option *o = &spec->options[c - 256];
		/* getopt_long takes abbreviations; the options are spelled in full */
		if (strncmp(typed, "--", 2) != 0 || strcmp(typed + 2, o->name) != 0)
			goto unknown;
		given[c - 256] = true;
		if (o->seen)
			*o->seen = true;
		if (store(cmd, o, typed, optarg) != 0)
			return CLI_PARSE_ERROR;
		continue;
unknown:
		cli_errorf(cmd, "unknown option '%s' (see grens %s --help)", typed, cmd);
		return CLI_PARSE_ERROR;
	}
	/* what follows "--" */
	for (int i = optind; i < argc; i++)
		if (add_arg(spec, argv[i]) != 0)
			return CLI_PARSE_ERROR;
	char missing[256] = "";
	size_t m = 0;
	for (unsigned k = 0; k < n; k++)
		if (spec->options[k].required && !given[k] && m < sizeof(missing))
			m += (size_t)snprintf(missing + m, sizeof(missing) - m, "%s--%s",
					      m ? ", " : "", spec->options[k].name);
	if (m) {
		cli_errorf(cmd, "missing %s (see grens %s --help)", missing, cmd);
		return CLI_PARSE_ERROR;
	}
	return CLI_PARSE_OK;
}

json_t *cli_json_take(char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	return j;
}

int cli_write_json(const char *cmd, json_t *root)
{
	int rc = root ? json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
	putchar('\n');
	json_decref(root);
	if (rc != 0)
		cli_errorf(cmd, "cannot write JSON");
	return rc != 0 ? -1 : 0;
}

/* The writers live in report/; these names stay for the commands that
 * use them. */
void cli_table_cell(FILE *out, const char *s, size_t width, bool cut, bool align_right)
{
	grens_report_text_cell(out, s, width, cut, align_right);
}

void cli_csv_field(FILE *out, const char *s)
{
	(void)grens_report_csv_field(out, s);
}

/* ---- files ------------------------------------------------------------------------------ */

char *cli_read_file(const char *cmd, const char *what, const char *path, size_t max,
		    size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f) {
		cli_errorf(cmd, "cannot open %s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	/* read in growing steps: also pipes and files whose size changes */
	for (;;) {
		if (n + 1 >= cap) {
			size_t nc = cap ? cap * 2 : 65536;
			if (nc > max + 2)
				nc = max + 2;
			if (nc <= n + 1) {
				cli_errorf(cmd, "%s '%s' is larger than %zu bytes", what, path, max);
				goto fail;
			}
			char *nb = realloc(buf, nc);
			if (!nb) {
				cli_errorf(cmd, "out of memory reading %s '%s'", what, path);
				goto fail;
			}
			buf = nb;
			cap = nc;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		cli_errorf(cmd, "cannot read %s '%s': %s", what, path, strerror(errno));
		goto fail;
	}
	if (n > max) {
		cli_errorf(cmd, "%s '%s' is larger than %zu bytes", what, path, max);
		goto fail;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}

void cli_format_utc(int64_t t, char *buf, size_t n)
{
	int64_t day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	char date[16], tod[16];
	grens_date_format_iso((grens_date)day, date, sizeof(date));
	grens_time_format((int32_t)(t - day * 86400), tod, sizeof(tod));
	snprintf(buf, n, "%sT%sZ", date, tod);
}

int cli_fetch_verify(const char *path, grens_fetch_kind kind, void *ctx, grens_error *err)
{
	(void)ctx;
	if (kind == GRENS_FETCH_GTFS_RT)
		return grens_rt_check(path, err);
	return grens_gtfs_check(path, err);
}

void cli_fetch_resolve_headers(const char *cmd, grens_fetch_feed *feed)
{
	for (unsigned i = 0; i < feed->header_count; i++) {
		grens_fetch_header *h = &feed->headers[i];
		if (!h->env[0])
			continue;
		const char *v = getenv(h->env);
		h->value[0] = '\0';
		if (!v || !*v)
			continue; /* the run fails and names the variable */
		if (strlen(v) >= sizeof(h->value) || strpbrk(v, "\r\n")) {
			cli_errorf(cmd,
				   "%s: ignoring %s: longer than %zu bytes or contains a "
				   "line break",
				   feed->name, h->env, sizeof(h->value) - 1);
			continue;
		}
		memcpy(h->value, v, strlen(v) + 1);
	}
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* dir/rel, canonical, into out (PATH_MAX bytes) when it is a folder; the
 * candidate is written to tried either way, for the error. */
static bool data_candidate(const char *dir, const char *rel, char *out, char *tried,
			   size_t tried_size)
{
	char path[4096];
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	snprintf(tried, tried_size, "%s", path);
	if (n < 0 || (size_t)n >= sizeof(path) || !is_dir(path))
		return false;
	return realpath(path, out) != NULL;
}

/* The build folder's grens-data-path beside the program: the way from it
 * to the source tree's feeds/, one line. */
static bool data_from_build_tree(const char *exe_dir, char *out, char *tried, size_t tried_size)
{
	char file[4096], line[4096];
	snprintf(tried, tried_size, "%s/grens-data-path (absent)", exe_dir);
	if ((size_t)snprintf(file, sizeof(file), "%s/grens-data-path", exe_dir) >= sizeof(file))
		return false;
	FILE *f = fopen(file, "r");
	if (!f)
		return false;
	bool got = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	if (!got)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '/')
		return data_candidate("", line + 1, out, tried, tried_size);
	return data_candidate(exe_dir, line, out, tried, tried_size);
}

/* Resolved once per process: every command asks several times, and the
 * answer cannot change while it runs. The CLI may keep this one piece of
 * state; the library never reads the environment. */
const char *cli_feeds_dir(void)
{
	static char dir[PATH_MAX];
	if (dir[0])
		return dir;

	const char *env = getenv("GRENS_DATA");
	const char *env_name = "GRENS_DATA";
	if (!env || !*env) {
		/* the older name, still honoured */
		env = getenv("GRENS_FEEDS");
		env_name = "GRENS_FEEDS";
	}
	if (env && *env) {
		if (strlen(env) >= sizeof(dir)) {
			fprintf(stderr, "grens: %s is longer than %zu bytes\n", env_name,
				sizeof(dir) - 1);
			exit(1);
		}
		memcpy(dir, env, strlen(env) + 1);
		return dir;
	}

	char tried_installed[4200] = "the program's own path (/proc/self/exe unreadable)";
	char tried_build[4200] = "";
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* an installed program: PREFIX/bin/grens, PREFIX/share/grens/feeds */
		if (data_candidate(exe, GRENS_DATA_RELDIR, dir, tried_installed,
				   sizeof(tried_installed)))
			return dir;
		/* a program in the build tree */
		if (data_from_build_tree(exe, dir, tried_build, sizeof(tried_build)))
			return dir;
	}
	dir[0] = '\0';
	fprintf(stderr,
		"grens: cannot find the default data (the folder with feeds.yaml, nl/, nrw/ "
		"and be/): GRENS_DATA is not set, %s is not a folder%s%s; set GRENS_DATA to "
		"that folder, or name the feeds with --feed\n",
		tried_installed, tried_build[0] ? ", nor " : "", tried_build);
	exit(1);
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

int cli_feed_ratio_option(const char *cmd, const char *opt, const char *value, void *dst)
{
	int64_t v;
	if (grens_parse_i64(value, strlen(value), 1, 1000000, &v)) {
		cli_errorf(cmd, "%s takes a ratio from 1 to 1000000, not '%s'", opt, value);
		return -1;
	}
	((cli_feed_list *)dst)->max_zip_ratio = (uint32_t)v;
	return 0;
}

void cli_feed_list_default(cli_feed_list *list)
{
	if (list->count)
		return;
	static const char *names[] = { "nl", "nrw", "be" };
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int n = snprintf(list->owned[i], sizeof(list->owned[i]), "%.4000s/%s", cli_feeds_dir(),
				 names[i]);
		if (n < 0 || (size_t)n >= sizeof(list->owned[i])) {
			fprintf(stderr, "grens: the data folder's path is too long\n");
			exit(1);
		}
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

void cli_print_config_notices(const char *cmd, const grens_diag *diag)
{
	for (size_t i = 0; i < grens_diag_kept_count(diag); i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		fprintf(stderr, "grens %s: %s: %s\n", cmd, no->file, no->message);
	}
}

grens_fetch_config *cli_load_feed_list(const char *cmd, const char *path)
{
	grens_fetch_config *cfg = NULL;
	grens_error err;
	grens_diag *diag = grens_diag_new();
	if (!diag) {
		cli_errorf(cmd, "out of memory");
		return NULL;
	}
	if (grens_fetch_config_load(&cfg, path, diag, &err) != 0)
		cli_report_error(cmd, &err);
	else
		cli_print_config_notices(cmd, diag);
	grens_diag_free(diag);
	return cfg;
}

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

/* "min_lon,min_lat,max_lon,max_lat" into v; false when value is not four
 * numbers (then it names a file). */
static bool clip_box(const char *value, double v[4])
{
	const char *p = value;
	for (unsigned n = 0; n < 4; n++) {
		size_t len = strcspn(p, ",");
		if (grens_parse_double(p, len, &v[n]) != 0)
			return false;
		p += len;
		if (n < 3 && *p++ != ',')
			return false;
	}
	return *p == '\0';
}

bool cli_clip_is_box(const char *value)
{
	double v[4];
	return clip_box(value, v);
}

int cli_clip_load(const char *cmd, const char *value, grens_gtfs_clip **out)
{
	grens_error err;
	grens_error_clear(&err);
	double v[4];
	int rc;
	if (clip_box(value, v)) {
		rc = grens_gtfs_clip_bbox(out, v[0], v[1], v[2], v[3], &err);
	} else {
		size_t len;
		char *text = cli_read_file(cmd, "clip file", value, GRENS_LIMIT_CLIP_FILE_BYTES, &len);
		if (!text)
			return -1;
		rc = grens_gtfs_clip_geojson(out, text, len, value, &err);
		free(text);
	}
	if (rc) {
		cli_errorf(cmd, "--clip %s: %s", value, err.message);
		return -1;
	}
	return 0;
}

int cli_clip_check(const char *cmd, const char *value)
{
	grens_gtfs_clip *clip = NULL;
	if (!value)
		return CLI_EXIT_OK;
	if (cli_clip_load(cmd, value, &clip))
		return CLI_EXIT_USAGE;
	grens_gtfs_clip_free(clip);
	return CLI_EXIT_OK;
}

/* Clip a loaded feed to the region and say what it kept. */
static int clip_feed(const char *cmd, grens_gtfs_feed *feed, const grens_gtfs_clip *clip,
		     grens_diag *diag, grens_gtfs_clip_counts *out)
{
	grens_gtfs_clip_counts c;
	grens_error err;
	grens_error_clear(&err);
	if (grens_gtfs_clip_apply(feed, clip, &c, diag, &err)) {
		cli_report_error(cmd, &err);
		return -1;
	}
	if (out) {
		*out = c; /* the caller shows them */
		return 0;
	}
	fprintf(stderr,
		"grens %s: clip: %s: stops %u -> %u, routes %u -> %u, trips %u -> %u (%u cut in "
		"parts), stop_times %llu -> %llu\n",
		cmd, feed->name, c.stops_before, c.stops, c.routes_before, c.routes, c.trips_before,
		c.trips, c.trips_split, (unsigned long long)c.stop_times_before,
		(unsigned long long)c.stop_times);
	return 0;
}

int cli_load_feeds(const char *cmd, const cli_feed_list *list, grens_gtfs_feed **feeds,
		   grens_diag **diags)
{
	int rc = 0;
	grens_gtfs_clip *clip = NULL;
	if (list->clip && cli_clip_load(cmd, list->clip, &clip))
		return -1;
	for (unsigned i = 0; i < list->count; i++) {
		char namebuf[128];
		const char *name;
		const char *path = cli_feed_split(list->paths[i], namebuf, sizeof(namebuf), &name);
		grens_gtfs_options opts = GRENS_GTFS_OPTIONS_INIT;
		grens_error err;
		grens_error_clear(&err);
		opts.name = name;
		opts.max_ratio = list->max_zip_ratio;
		cli_progress_init(&opts.progress);
		feeds[i] = NULL;
		diags[i] = grens_diag_new();
		if (!diags[i]) {
			cli_errorf(cmd, "out of memory");
			rc = -1;
			continue;
		}
		if (grens_gtfs_load(&feeds[i], path, &opts, diags[i], &err) != 0) {
			char lead[4200];
			snprintf(lead, sizeof(lead), "feed '%s' is unusable", path);
			report_error_line(cmd, lead, path, &err);
			rc = -1;

		} else if (list->clips[i] || clip) {
			/* the feed's own region, else the one of --clip */
			grens_gtfs_clip *own = NULL;
			if ((list->clips[i] && cli_clip_load(cmd, list->clips[i], &own)) ||
			    clip_feed(cmd, feeds[i], own ? own : clip, diags[i],
				      list->clip_counts ? &list->clip_counts[i] : NULL)) {
				grens_gtfs_free(feeds[i]);
				feeds[i] = NULL;
				rc = -1;
			}
			grens_gtfs_clip_free(own);
		}
	}
	grens_gtfs_clip_free(clip);
	return rc;
}

void cli_free_feeds(grens_gtfs_feed **feeds, grens_diag **diags, unsigned count)
{
	for (unsigned i = 0; i < count; i++) {
		grens_gtfs_free(feeds[i]);
		grens_diag_free(diags[i]);
	}
}

/* ---- linking options -------------------------------------------------------------- */

void cli_link_args_init(cli_link_args *args)
{
	memset(args, 0, sizeof(*args));
	args->net.radius_m = -1.0;
	args->net.tolerance = -1;
	args->net.min_change = -1;
	args->net.link_min_change = -1;
}

int cli_link_option(const char *cmd, const char *opt, const char *value, void *dst)
{
	cli_link_args *args = dst;
	const char *name = opt + 2;
	if (strcmp(name, "links") == 0) {
		args->no_links = strcmp(value, "none") == 0;
		args->links = args->no_links ? NULL : value;
		return 0;
	}
	if (strcmp(name, "overrides") == 0) {
		args->overrides = value;
		return 0;
	}
	if (strcmp(name, "timezone") == 0) {
		args->net.timezone = value;
		return 0;
	}
	if (strcmp(name, "radius") == 0) {
		double v;
		if (grens_parse_double(value, strlen(value), &v) || !(v >= 0.0 && v <= 5000.0)) {
			cli_errorf(cmd, "--radius takes metres from 0 to 5000, not '%s'", value);
			return -1;
		}
		args->net.radius_m = v;
		return 0;
	}
	if (strcmp(name, "walk-speed") == 0) {
		double v;
		if (grens_parse_double(value, strlen(value), &v) || !(v >= 0.2 && v <= 5.0)) {
			cli_errorf(cmd, "--walk-speed takes metres per second from 0.2 to 5, not '%s'",
				   value);
			return -1;
		}
		args->net.walk_speed_mps = v;
		return 0;
	}
	if (strcmp(name, "tolerance") == 0) {
		int64_t v;
		if (grens_parse_i64(value, strlen(value), 0, 3600, &v)) {
			cli_errorf(cmd, "--tolerance takes seconds from 0 to 3600, not '%s'", value);
			return -1;
		}
		args->net.tolerance = (int32_t)v;
		return 0;
	}
	cli_errorf(cmd, "unknown option '%s'", opt);
	return -1;
}

/* Warnings about the links files and the linking (not the feeds' own
 * notices, which grens info lists). */
static void print_link_notices(const grens_diag *diag)
{
	for (size_t i = 0, shown = 0; diag && i < grens_diag_kept_count(diag) && shown < 20; i++) {
		const grens_notice *no = grens_diag_kept(diag, i);
		if (no->severity < GRENS_SEVERITY_WARNING || strncmp(no->code, "link", 4) != 0)
			continue;
		fprintf(stderr, "%s:%u: %s%s%s: %s\n", no->file, no->line, no->field,
			no->field[0] ? ": " : "", no->code, no->message);
		shown++;
	}
}

static int read_links_file(const char *cmd, grens_net_links *links, const char *path, int kind,
			   grens_diag *diag)
{
	size_t len;
	char *text = cli_read_file(cmd, kind == GRENS_NET_LINKS_FILE ? "links file" : "overrides file",
				   path, GRENS_LIMIT_LINKS_FILE_BYTES, &len);
	if (!text)
		return -1;
	grens_error err;
	grens_error_clear(&err);
	int rc = grens_net_links_parse(links, text, len, kind, path, diag, &err);
	free(text);
	if (rc) {
		cli_report_error(cmd, &err);
		return -1;
	}
	return 0;
}

const char *cli_links_file(const cli_link_args *args, char *buf, size_t bufsz)
{
	if (args->no_links)
		return NULL;
	if (args->links)
		return args->links;
	snprintf(buf, bufsz, "%s/links.csv", cli_feeds_dir());
	return access(buf, R_OK) == 0 ? buf : NULL;
}

int cli_links_load(const char *cmd, const cli_link_args *args, grens_net_links **out)
{
	char default_links[4200];
	grens_diag *diag = grens_diag_new();
	int rc = -1;
	*out = grens_net_links_new();
	if (!*out || !diag) {
		cli_errorf(cmd, "out of memory");
		goto done;
	}
	const char *links_path = cli_links_file(args, default_links, sizeof(default_links));
	if (links_path &&
	    read_links_file(cmd, *out, links_path, GRENS_NET_LINKS_FILE, diag))
		goto done;
	if (args->overrides &&
	    read_links_file(cmd, *out, args->overrides, GRENS_NET_LINKS_OVERRIDES, diag))
		goto done;
	rc = 0;
done:
	print_link_notices(diag);
	grens_diag_free(diag);
	if (rc) {
		grens_net_links_free(*out);
		*out = NULL;
	}
	return rc;
}

void cli_net_options(const cli_link_args *args, grens_net_options *out)
{
	grens_net_options opts = GRENS_NET_OPTIONS_INIT;
	if (args->net.radius_m >= 0)
		opts.footpath_radius_m = args->net.radius_m;
	if (args->net.walk_speed_mps > 0)
		opts.walk_speed_mps = args->net.walk_speed_mps;
	if (args->net.tolerance >= 0)
		opts.merge_tolerance = args->net.tolerance;
	if (args->net.min_change >= 0)
		opts.default_min_change = args->net.min_change;
	if (args->net.link_min_change >= 0)
		opts.link_min_change = args->net.link_min_change;
	opts.merge_trips = !args->net.no_merge;
	opts.timezone = args->net.timezone;
	const char *tzdir = getenv("TZDIR");
	if (tzdir && *tzdir)
		opts.zoneinfo_dir = tzdir;
	*out = opts;
}

int cli_net_build(const char *cmd, const grens_gtfs_feed *const *feeds, uint32_t count,
		  const cli_link_args *args, const grens_net_links *links, grens_timetable **out,
		  grens_net_link_report **report)
{
	grens_net_options opts;
	cli_net_options(args, &opts);
	cli_progress_init(&opts.progress);
	opts.links = links;
	grens_error err;
	grens_error_clear(&err);
	grens_diag *diag = grens_diag_new();
	*out = NULL;
	if (report)
		*report = NULL;
	int rc = diag ? grens_net_build_linked(out, report, feeds, count, &opts, diag, &err)
		      : GRENS_ENOMEM;
	print_link_notices(diag);
	grens_diag_free(diag);
	if (rc) {
		if (!err.code)
			grens_error_set(&err, rc, "out of memory");
		cli_errorf(cmd, "cannot build the timetable");
		cli_report_error(cmd, &err);
		*out = NULL;
		return -1;
	}
	return 0;
}

int cli_build_linked(const char *cmd, const cli_feed_list *list, const cli_link_args *args,
		     grens_timetable **out, grens_net_link_report **report)
{
	grens_gtfs_feed *feeds[64] = { 0 };
	grens_diag *diags[64] = { 0 };
	grens_net_links *links = NULL;
	int rc = -1;
	*out = NULL;
	if (report)
		*report = NULL;
	if (cli_links_load(cmd, args, &links) == 0 && cli_load_feeds(cmd, list, feeds, diags) == 0)
		rc = cli_net_build(cmd, (const grens_gtfs_feed *const *)feeds, list->count, args,
				   links, out, report);
	cli_free_feeds(feeds, diags, list->count);
	grens_net_links_free(links);
	return rc;
}

grens_date cli_busiest_date(const grens_gtfs_feed *const *feeds, uint32_t n, int wd)
{
	grens_date d;
	return grens_gtfs_busiest_date(&d, feeds, n, wd, NULL) ? GRENS_DATE_NONE : d;
}

uint32_t cli_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > (long)GRENS_ACCESS_MAX_THREADS ? GRENS_ACCESS_MAX_THREADS : (uint32_t)n;
}
