#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

int cmd_info(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: grens info [--feed PATH]... [--format text|json]\n");
		return CLI_EXIT_OK;
	}
	cli_errorf("info", "not built yet");
	return CLI_EXIT_FAIL;
}
