/* Write a timetable as a snapshot to a temporary file and map it back, so a
 * test can run the same checks on what a snapshot gives. */
#ifndef GRENS_TEST_SNAPSHOT_RT_H
#define GRENS_TEST_SNAPSHOT_RT_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "grens/net.h"

/* The loaded copy of tt (free with grens_net_free), or NULL after a
 * message. The file is removed at once: the mapping keeps it alive. */
static inline grens_timetable *snapshot_roundtrip(const grens_timetable *tt)
{
	char path[] = "/tmp/grens-snapshot-test-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		fprintf(stderr, "cannot make a temporary file\n");
		return NULL;
	}
	FILE *f = fdopen(fd, "wb");
	grens_error err;
	grens_error_clear(&err);
	grens_timetable *loaded = NULL;
	int rc = f ? grens_net_snapshot_write(tt, f, "{\"test\": true}", NULL, &err) : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0)
		rc = grens_net_snapshot_load(&loaded, path, &err);
	if (rc)
		fprintf(stderr, "snapshot round trip failed: %s\n", err.message);
	unlink(path);
	return loaded;
}

#endif
