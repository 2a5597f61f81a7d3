// Command imagetool is the Go half of bench/run-image.sh (`make bench-image`, issue 7's image
// benchmark): it writes the two source images, drives a transforming HTTP server (imgcdn's edge,
// the bare engine, imgproxy) with 1 or 2 clients, times the libvips floor (`vips thumbnail`), and
// turns the raw records into the markdown report. The script starts and stops the servers;
// everything that needs arithmetic or checking is here, where it is tested.
//
//	imagetool gen DIR                       write DIR/photo.jpg (4000x3000) and DIR/graphic.png (2000x1500)
//	imagetool load --server S --url T --pid P [--host H] [cell flags]   one HTTP run, one record
//	imagetool floor --server S --dir DIR [--batch K] [cell flags]      one floor run, one record
//	imagetool probe FILE                    print an image's format, width and height
//	imagetool report RAW [HEADER.md]        print the markdown report of the records
//
// Cell flags: --source photo.jpg --width 300 --format jpeg|webp|avif --clients 1 --duration 5s --min 3.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "imagetool:", err)
		os.Exit(1)
	}
}

const usage = "usage: imagetool gen DIR | load FLAGS | floor FLAGS | probe FILE | report RAW [HEADER.md]"

func run(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf(usage)
	}
	switch args[0] {
	case "gen":
		if len(args) != 2 {
			return fmt.Errorf("usage: imagetool gen DIR")
		}
		return writeImages(args[1])
	case "load":
		return runLoad(args[1:])
	case "floor":
		return runFloor(args[1:])
	case "probe":
		if len(args) != 2 {
			return fmt.Errorf("usage: imagetool probe FILE")
		}
		b, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		f, w, h, err := probe(b)
		if err != nil {
			return err
		}
		fmt.Printf("%s %d %d %d\n", f, w, h, len(b))
		return nil
	case "report":
		if len(args) < 2 || len(args) > 3 {
			return fmt.Errorf("usage: imagetool report RAW [HEADER.md]")
		}
		header := ""
		if len(args) == 3 {
			header = args[2]
		}
		return writeReport(os.Stdout, args[1], header)
	}
	return fmt.Errorf("unknown subcommand %q; %s", args[0], usage)
}
