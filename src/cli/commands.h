#ifndef GRENS_CLI_COMMANDS_H
#define GRENS_CLI_COMMANDS_H
#define GRENS_COMMAND(name, summary) int cmd_##name(int argc, char **argv);
#include "commands.def"
#undef GRENS_COMMAND
#endif
