/* grens: command dispatch. One file per command (cmd_<name>.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "grens/core.h"

static const cli_command commands[] = {
#define GRENS_COMMAND(name, summary) { #name, summary, cmd_##name },
#include "commands.def"
#undef GRENS_COMMAND
};

static void usage(FILE *out)
{
	fprintf(out, "usage: grens <command> [options]\n\n"
		     "A cross-border public-transit accessibility calculator.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'grens <command> --help' describes each command.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("grens %s\n", grens_version());
		return CLI_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "grens: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}
