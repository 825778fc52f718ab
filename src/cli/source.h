/* The snapshot provenance writer of source.c, for grens build. */
#ifndef GRENS_CLI_SOURCE_H
#define GRENS_CLI_SOURCE_H

#include "cli.h"
#include "grens/gtfs.h"

/* The provenance of a timetable built from the feeds of list with args, as
 * JSON text
 * into *out (the caller frees): the feeds' names, paths, feed_info and the
 * SHA-256 of each file, the links and overrides files, the linking options,
 * each feed's clip region (a box as given, a file with its SHA-256, or null),
 * the grens version and the busiest date of each weekday; and inputs_sha256,
 * one SHA-256 over the inputs' hashes and the options. 0 or -1 after a
 * message. */
int cli_source_provenance(const char *cmd, const grens_gtfs_feed *const *feeds,
			  const cli_feed_list *list, const cli_link_args *args, char **out,
			  char inputs_sha256[65]);

/* Load and link the feeds of list (the defaults when empty) with args, and
 * write the timetable and its provenance to out as a snapshot: into a
 * temporary file beside it, synced, then renamed onto it. Prints one line
 * with the counts and the size. An exit code. */
int cli_build_snapshot(const char *cmd, cli_feed_list *list, const cli_link_args *args,
		       const char *out);

#endif
