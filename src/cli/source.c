/* Where a command's timetable comes from: GTFS feeds, built as every
 * command builds them, or a snapshot grens build wrote, mapped as it is.
 * The snapshot's provenance (which this file writes and reads) carries what
 * the commands otherwise take from the feeds: their names and files, the
 * linking options, and the busiest date of each weekday. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "grens/gtfs.h"
#include "grens/net.h"
#include "grens/report.h"
#include "source.h"

/* The options a timetable is built with, as the provenance records them. */
static json_t *options_json(const cli_link_args *args)
{
	grens_net_options o;
	cli_net_options(args, &o);
	return json_pack(
	    "{s:f, s:f, s:i, s:i, s:i, s:b, s:s?}", "footpath_radius_m", o.footpath_radius_m,
	    "walk_speed_mps", o.walk_speed_mps, "min_change_s", (json_int_t)o.default_min_change,
	    "link_min_change_s", (json_int_t)o.link_min_change, "merge_tolerance_s",
	    (json_int_t)o.merge_tolerance, "merge_trips", o.merge_trips, "timezone", o.timezone);
}

/* The linking options' names as typed on the command line, for messages. */
static const struct {
	const char *key, *option;
} option_names[] = {
    {"footpath_radius_m", "--radius"},	  {"walk_speed_mps", "--walk-speed"},
    {"min_change_s", "--min-transfer"},	  {"link_min_change_s", "the link change time"},
    {"merge_tolerance_s", "--tolerance"}, {"merge_trips", "--no-merge"},
    {"timezone", "--timezone"},
};

/* Do args ask for the timetable the snapshot holds? Prints the first
 * difference. */
static bool same_options(const char *cmd, const cli_source *src, const cli_link_args *args)
{
	json_t *want = options_json(args);
	const json_t *have = json_object_get(src->provenance, "link_options");
	bool same = want && json_equal(want, have);
	for (size_t i = 0; want && !same && i < sizeof(option_names) / sizeof(*option_names); i++) {
		json_t *w = json_object_get(want, option_names[i].key);
		json_t *h = json_object_get(have, option_names[i].key);
		if (json_equal(w, h) || (!w && json_is_null(h)))
			continue;
		char *ws = w ? json_dumps(w, JSON_ENCODE_ANY) : NULL;
		char *hs = h ? json_dumps(h, JSON_ENCODE_ANY) : NULL;
		cli_errorf(cmd,
			   "%s: built with %s = %s, asked for %s: rebuild it with grens build or "
			   "use --feed",
			   src->path, option_names[i].option, hs ? hs : "default",
			   ws ? ws : "default");
		free(ws);
		free(hs);
		break;
	}
	json_decref(want);
	return same;
}

int cli_source_load(const char *cmd, cli_feed_list *list, const cli_link_args *args,
		    cli_source *src)
{
	memset(src, 0, sizeof(*src));
	if (!list->snapshot) {
		cli_feed_list_default(list);
		int rc = cli_load_feeds(cmd, list, src->feeds, src->diags);
		src->count = list->count;
		for (uint32_t i = 0; i < src->count; i++)
			src->names[src->name_count++] = src->feeds[i] ? src->feeds[i]->name : "";
		return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
	}
	src->path = list->snapshot;
	if (list->count) {
		cli_errorf(cmd, "give --feed or --snapshot, not both");
		return CLI_EXIT_USAGE;
	}
	if (list->clip) {
		cli_errorf(cmd, "%s: a snapshot is clipped when grens build writes it: give --clip "
				"to grens build",
			   src->path);
		return CLI_EXIT_USAGE;
	}
	if (args && (args->links || args->no_links || args->overrides)) {
		cli_errorf(cmd,
			   "%s: a snapshot is linked when grens build writes it: give --links "
			   "and --overrides to grens build",
			   src->path);
		return CLI_EXIT_USAGE;
	}
	grens_error err;
	grens_error_clear(&err);
	if (grens_net_snapshot_load(&src->snapshot, src->path, &err)) {
		cli_report_error(cmd, &err);
		return CLI_EXIT_FAIL;
	}
	json_error_t je;
	src->provenance = json_loads(grens_net_snapshot_provenance(src->snapshot), 0, &je);
	if (!json_is_object(src->provenance) ||
	    !json_is_array(json_object_get(src->provenance, "feeds"))) {
		cli_errorf(cmd, "%s: not written by grens build (no provenance); rebuild it",
			   src->path);
		return CLI_EXIT_FAIL;
	}
	const grens_timetable *tt = src->snapshot;
	for (uint32_t f = 0; f < tt->feed_count && f < 64; f++)
		src->names[src->name_count++] = grens_net_str(tt, tt->feed_name[f]);
	if (args && !same_options(cmd, src, args))
		return CLI_EXIT_USAGE;
	return CLI_EXIT_OK;
}

void cli_source_free(cli_source *src)
{
	cli_free_feeds(src->feeds, src->diags, src->count);
	grens_net_free(src->snapshot);
	json_decref(src->provenance);
	memset(src, 0, sizeof(*src));
}

int cli_source_build(const char *cmd, const cli_source *src, const cli_link_args *args,
		     const grens_net_links *links, grens_timetable **out)
{
	*out = NULL;
	if (!src->snapshot)
		return cli_net_build(cmd, (const grens_gtfs_feed *const *)src->feeds, src->count,
				     args, links, out, NULL);
	if (!same_options(cmd, src, args))
		return -1;
	grens_error err;
	grens_error_clear(&err);
	if (grens_net_snapshot_share(out, src->snapshot, &err)) {
		cli_report_error(cmd, &err);
		return -1;
	}
	return 0;
}

void cli_source_net(const cli_source *src, const cli_link_args *args,
		    const grens_net_links *links, grens_net_source *out)
{
	memset(out, 0, sizeof(*out));
	out->snapshot = src->snapshot;
	if (src->snapshot)
		return;
	out->feeds = (const grens_gtfs_feed *const *)src->feeds;
	out->feed_count = src->count;
	cli_net_options(args, &out->options);
	cli_progress_init(&out->options.progress);
	out->options.links = links;
}

grens_date cli_source_busiest_date(const cli_source *src, int wd)
{
	if (!src->snapshot)
		return cli_busiest_date((const grens_gtfs_feed *const *)src->feeds, src->count, wd);
	const char *s = json_string_value(
	    json_array_get(json_object_get(src->provenance, "busiest_dates"), (size_t)wd));
	grens_date d;
	if (!s || grens_date_parse_iso(s, strlen(s), &d) != 0)
		return GRENS_DATE_NONE;
	return d;
}

int cli_source_refuse(const char *cmd, const cli_feed_list *list, bool given, const char *what)
{
	if (!list->snapshot || !given)
		return 0;
	/* realtime matching reads the feeds' stop_sequence and routes */
	cli_errorf(cmd, "%s needs --feed: %s, and %s holds the built timetable only", what,
		   "matching realtime updates reads the GTFS feeds' stop_sequence and routes",
		   list->snapshot);
	return CLI_EXIT_USAGE;
}

/* ---- writing the provenance (grens build) -------------------------------------- */

/* {"file", "sha256", "bytes"} of a links or overrides file, or null. */
static json_t *file_json(const char *cmd, const char *path)
{
	if (!path)
		return json_null();
	char hex[65];
	uint64_t size = 0;
	grens_error err;
	grens_error_clear(&err);
	if (grens_sha256_file(path, hex, &size, &err)) {
		cli_report_error(cmd, &err);
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	return json_pack("{s:s, s:s, s:I}", "file", slash ? slash + 1 : path, "sha256", hex,
			 "bytes", (json_int_t)size);
}

/* Append "what name sha256\n" lines of a provenance object's files. */
static void hash_lines(FILE *m, const char *what, const json_t *files)
{
	size_t i;
	const json_t *f;
	json_array_foreach(files, i, f)
	    fprintf(m, "%s\t%s\t%s\n", what, json_string_value(json_object_get(f, "name")),
		    json_string_value(json_object_get(f, "sha256")));
}

int cli_source_provenance(const char *cmd, const grens_gtfs_feed *const *feeds,
			  const cli_feed_list *list, const cli_link_args *args, char **out,
			  char inputs_sha256[65])
{
	*out = NULL;
	uint32_t count = list->count;
	char buf[4200];
	json_t *root = json_pack("{s:i, s:s, s:[], s:o, s:[]}", "grens_snapshot", 1,
				 "grens_version", grens_version(), "feeds", "link_options",
				 options_json(args), "busiest_dates");
	json_t *links = file_json(cmd, cli_links_file(args, buf, sizeof(buf)));
	json_t *overrides = file_json(cmd, args->overrides);
	char *lines = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&lines, &len);
	int rc = -1;
	if (!root || !links || !overrides || !m)
		goto done;
	json_object_set(root, "links", links);
	json_object_set(root, "overrides", overrides);
	/* the region each feed was clipped to: a box as given, a file hashed */
	json_t *clips = json_array();
	json_object_set_new(root, "clip", clips);
	for (uint32_t i = 0; clips && i < count; i++) {
		const char *c = list->clips[i] ? list->clips[i] : list->clip;
		bool box = c && cli_clip_is_box(c);
		json_t *jc = !c ? json_null() : box ? json_pack("{s:s}", "bbox", c) : file_json(cmd, c);
		if (!jc || json_array_append_new(clips, jc))
			goto done;
		fprintf(m, "clip\t%s\n",
			!c ? "-" : box ? c : json_string_value(json_object_get(jc, "sha256")));
	}
	json_t *jfeeds = json_object_get(root, "feeds");
	for (uint32_t i = 0; i < count; i++) {
		const grens_gtfs_feed_info *fi = &feeds[i]->feed_info;
		char *text = NULL;
		grens_error err;
		grens_error_clear(&err);
		if (grens_report_feed_provenance(
			&text, feeds[i]->name, feeds[i]->path,
			fi->present && fi->version ? fi->version : "",
			fi->present && fi->publisher_name ? fi->publisher_name : "", &err)) {
			cli_report_error(cmd, &err);
			goto done;
		}
		json_error_t je;
		json_t *f = json_loads(text, 0, &je);
		free(text);
		if (!f || json_array_append_new(jfeeds, f))
			goto nomem;
		hash_lines(m, feeds[i]->name, json_object_get(f, "files"));
	}
	fprintf(m, "links\t%s\noverrides\t%s\n",
		json_is_null(links) ? "-" : json_string_value(json_object_get(links, "sha256")),
		json_is_null(overrides) ? "-"
					: json_string_value(json_object_get(overrides, "sha256")));
	char *opts =
	    json_dumps(json_object_get(root, "link_options"), JSON_COMPACT | JSON_SORT_KEYS);
	fprintf(m, "options\t%s\n", opts ? opts : "");
	free(opts);
	/* Monday .. Sunday: the default date of compare, access and report */
	for (int wd = 0; wd < 7; wd++) {
		grens_date d = cli_busiest_date(feeds, count, wd);
		char iso[16];
		grens_date_format_iso(d, iso, sizeof(iso));
		json_array_append_new(json_object_get(root, "busiest_dates"),
				      d == GRENS_DATE_NONE ? json_null() : json_string(iso));
	}
	if (fclose(m) != 0) {
		m = NULL;
		goto nomem;
	}
	m = NULL;
	grens_sha256_hex(lines, len, inputs_sha256);
	*out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!*out)
		goto nomem;
	rc = 0;
	goto done;
nomem:
	cli_errorf(cmd, "out of memory");
done:
	if (m)
		fclose(m);
	free(lines);
	json_decref(links);
	json_decref(overrides);
	json_decref(root);
	return rc;
}

uint32_t cli_source_subset(const cli_source *src, const char *list,
			   const struct grens_gtfs_feed **out, uint32_t cap)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < src->name_count && n < cap; i++)
		if (grens_list_has(list, src->names[i]))
			out[n++] = src->feeds[i];
	return n;
}
