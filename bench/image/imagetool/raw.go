package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// parseRaw reads the records `load` and `floor` printed (see record), in any order and any
// number of rounds. Blank lines are skipped; anything else is an error.
func parseRaw(r io.Reader) ([]record, error) {
	var out []record
	sc := bufio.NewScanner(r)
	for ln := 1; sc.Scan(); ln++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		rec, err := parseRecord(f)
		if err != nil {
			return nil, fmt.Errorf("raw line %d %q: %w", ln, sc.Text(), err)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

func parseRecord(f []string) (record, error) {
	if len(f) != 15 || f[0] != "run" {
		return record{}, fmt.Errorf("want 15 fields starting with run, got %d", len(f))
	}
	r := record{server: f[1], cellKey: cellKey{source: f[2], format: f[4]}, peakFrom: f[14]}
	ints := map[int]*int{3: &r.width, 5: &r.clients}
	int64s := map[int]*int64{6: &r.n, 10: &r.errors, 11: &r.outBytes, 12: &r.peakKiB}
	floats := map[int]*float64{7: &r.durUS, 8: &r.p50, 9: &r.p99, 13: &r.cpu}
	for i, p := range ints {
		v, err := strconv.Atoi(f[i])
		if err != nil {
			return record{}, fmt.Errorf("field %d: %w", i+1, err)
		}
		*p = v
	}
	for i, p := range int64s {
		v, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return record{}, fmt.Errorf("field %d: %w", i+1, err)
		}
		*p = v
	}
	for i, p := range floats {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return record{}, fmt.Errorf("field %d: %w", i+1, err)
		}
		*p = v
	}
	if r.n <= 0 || r.durUS <= 0 || r.clients <= 0 {
		return record{}, fmt.Errorf("a run of %d transforms in %v µs with %d clients", r.n, r.durUS, r.clients)
	}
	return r, nil
}
