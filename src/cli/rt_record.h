/* grens rt record. */
#ifndef GRENS_RT_RECORD_CLI_H
#define GRENS_RT_RECORD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "grens/rt.h"

/* grens rt record ...: argv[0] is "record". Returns the exit code. */
int cli_rt_record(int argc, char **argv);

#endif
