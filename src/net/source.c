/* A job's timetable from its source: the feeds, built, or a snapshot,
 * shared. */
#include "grens/net.h"

int grens_net_source_build(grens_timetable **out, const grens_net_source *src,
			   const grens_net_options *opts, grens_diag *diag, grens_error *err)
{
	if (out)
		*out = NULL;
	if (!out || !src)
		return grens_error_set(err, GRENS_EINVAL,
				       "grens_net_source_build: out and src are required");
	if (src->snapshot && src->feeds) {
		grens_error_set(err, GRENS_EARG, "a source holds feeds or a snapshot, not both");
		return GRENS_EARG;
	}
	if (src->snapshot) {
		if (opts) {
			grens_error_set(err, GRENS_EARG,
					"a snapshot is built with the options grens build was "
					"given; build it again with others, or use the feeds");
			return GRENS_EARG;
		}
		return grens_net_snapshot_share(out, src->snapshot, err);
	}
	if (!src->feeds || src->feed_count == 0) {
		grens_error_set(err, GRENS_EARG, "a source needs feeds or a snapshot");
		return GRENS_EARG;
	}
	grens_diag *own = NULL;
	if (!diag) {
		own = grens_diag_new();
		if (!own) {
			grens_error_set(err, GRENS_ENOMEM, "out of memory");
			return GRENS_ENOMEM;
		}
		diag = own;
	}
	int rc = grens_net_build_linked(out, NULL, src->feeds, src->feed_count,
					opts ? opts : &src->options, diag, err);
	grens_diag_free(own);
	return rc;
}
