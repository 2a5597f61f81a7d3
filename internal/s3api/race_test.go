//go:build race

package s3api

// raceEnabled reports a -race build, in which sync.Pool drops items on purpose and
// allocation counts mean nothing.
const raceEnabled = true
