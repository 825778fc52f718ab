/* grens export macro: marks the functions of the public API.
 * libgrens is built with -fvisibility=hidden, so only what carries
 * GRENS_EXTERN is exported from the shared library; the internal helpers
 * the modules share stay out of its ABI. */
#ifndef GRENS_EXPORT_H
#define GRENS_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define GRENS_EXTERN __attribute__((visibility("default")))
#else
#define GRENS_EXTERN
#endif

#endif
