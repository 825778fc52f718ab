/* Places for every command that uses them: the default places files, and
 * how places were tied to stops and what could not be placed, as JSON and
 * as sentences (the same words in text, JSON and the report). */
#ifndef GRENS_CLI_PLACES_CLI_H
#define GRENS_CLI_PLACES_CLI_H

#include <jansson.h>

#include "cli.h"
#include "grens/access.h"

#define PLACES_CLI_MAX_FILES 64u

/* The .csv files of cli_feeds_dir()/places, sorted; each paths[i] is
 * malloc'd (the caller frees them). 0, or -1 after a message. */
int places_cli_default(const char *cmd, char **paths, uint32_t cap, uint32_t *n);
/* Read places files into places (notices printed, skipped rows counted on
 * stderr). 0, or -1 after a message. */
int places_cli_read(const char *cmd, const char *const *paths, uint32_t n,
		    grens_access_places *places);
/* {"walk": {"places", "population"}, "bike": ..., "feeder": ..., "none": ...} */
json_t *places_cli_ties_json(const grens_access_network *net);
/* {"municipalities", "population"} of the places that cannot be placed. */
json_t *places_cli_unplaced_json(const grens_access_places *places);
/* The sentences of the two objects above (access: meta.access, for the
 * speeds and reaches the feeder assumption names). */
void places_cli_ties_text(const json_t *ties, const json_t *access, char *buf, size_t n);
void places_cli_unplaced_text(const json_t *unplaced, char *buf, size_t n);
/* The assumption sets of --sensitivity (grens-access(1), BORDER EFFECT: How sure): [0] central,
 * the run's own settings (link: the first and last mile; net: the
 * footpaths and changes of the linker); [1] low
 * makes every part of a journey harder, [2] high easier, by fixed steps. */
#define PLACES_CLI_SETS 3
typedef struct places_cli_assumption {
	double access_distance_m, walk_speed_mps, footpath_walk_speed_mps;
	int32_t min_change, link_min_change;
} places_cli_assumption;
void places_cli_assumption_sets(const grens_access_link_options *link,
				const cli_link_args *net,
				places_cli_assumption out[PLACES_CLI_SETS]);

/* meta.access of a run with these link options. */
json_t *places_cli_access_json(const grens_access_link_options *o);

#endif
