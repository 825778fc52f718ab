/* Private to the library: units of work spread over threads (the
 * accessibility origins, the OD run's phases). */
#ifndef GRENS_POOL_H
#define GRENS_POOL_H

#include <stdint.h>

#include "grens/core.h"

/* One unit: thread is 0..threads-1 (0 is the caller's), so that a unit can
 * use that thread's own workspace; on failure it fills err. */
typedef int (*grens_pool_fn)(void *ctx, uint32_t unit, uint32_t thread, grens_error *err);

/* Run fn for the units 0..units-1 on up to threads threads, the calling
 * thread among them: each takes the next unit left until none is, or one
 * has failed. done, if not NULL, is called after each unit with the count
 * finished, one call at a time. A thread that cannot start leaves its units
 * to the others. Returns 0, or the code of the failed unit with the lowest
 * index, with its error in *err; GRENS_ENOMEM when no lock can be made. */
int grens_pool_run(uint32_t threads, uint32_t units, grens_pool_fn fn,
		   void (*done)(void *ctx, uint32_t finished, uint32_t units), void *ctx,
		   grens_error *err);

#endif
