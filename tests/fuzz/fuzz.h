/* Fuzz targets share the libFuzzer entry point, so the same file builds
 * with -fsanitize=fuzzer (clang) or with replay.c (any compiler). */
#ifndef GRENS_FUZZ_H
#define GRENS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop with a message when an invariant does not hold (a fuzz finding). */
#define FUZZ_ASSERT(cond)                                                                         \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,    \
				#cond);                                                           \
			abort();                                                                  \
		}                                                                                 \
	} while (0)

#endif
