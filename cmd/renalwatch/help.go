package main

import (
	"context"
	"fmt"
	"io"
)

// help implements "renalwatch help [COMMAND]": without a command it lists
// the commands; with one it prints what "renalwatch COMMAND --help" prints.
func help(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return 0
	case 1:
	default:
		fmt.Fprintf(stderr, "renalwatch: help takes one COMMAND, got %d arguments (for example: renalwatch help egfr)\n", len(args))
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return exitCode(c.run(ctx, []string{"--help"}, stdout, stderr), stderr)
		}
	}
	fmt.Fprintf(stderr, "renalwatch: help: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}
