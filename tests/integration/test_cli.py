"""The command dispatcher: usage, --version, unknown commands."""
from harness import run, check, finish

r = run()
check(r.returncode == 2, "no command exits 2")
check("usage: grens" in r.stderr, "usage printed on stderr")

r = run("--help")
check(r.returncode == 0 and "commands:" in r.stdout, "--help lists commands")

r = run("--version")
check(r.returncode == 0 and r.stdout.startswith("grens "), "--version")

r = run("no-such-command")
check(r.returncode == 2 and "unknown command" in r.stderr, "unknown command exits 2")

finish()
