// Command edgetool is the Go half of bench/run-edge.sh (`make bench-edge`): it writes the two
// test images, reads a server's CPU time and RSS from /proc, and turns the script's raw
// measurements into the markdown report. The script does the orchestration (starting nginx,
// Varnish and imgcdn, running wrk and curl); everything that needs arithmetic is here, where
// it is tested.
//
//	edgetool gen DIR                   write DIR/small.png (32,369 B) and DIR/large.jpg (1 MiB)
//	edgetool proc PID                  print "<cpu seconds> <rss KiB> <processes>" for PID and its descendants
//	edgetool report RAW [HEADER.md]    print the markdown report of the raw measurements
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "edgetool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: edgetool gen DIR | proc PID | report RAW [HEADER.md]")
	}
	switch args[0] {
	case "gen":
		if len(args) != 2 {
			return fmt.Errorf("usage: edgetool gen DIR")
		}
		return writeImages(args[1])
	case "proc":
		if len(args) != 2 {
			return fmt.Errorf("usage: edgetool proc PID")
		}
		return printProc(os.Stdout, "/proc", args[1])
	case "report":
		if len(args) < 2 || len(args) > 3 {
			return fmt.Errorf("usage: edgetool report RAW [HEADER.md]")
		}
		return writeReport(os.Stdout, args[1:]...)
	}
	return fmt.Errorf("unknown subcommand %q", args[0])
}
