//go:build !race

package s3api

const raceEnabled = false
