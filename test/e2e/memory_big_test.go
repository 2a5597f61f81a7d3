//go:build bigtest

package e2e

import "testing"

// TestStreamingMemory5GiB is the requirement at full size: a 5 GiB object goes in
// (multipart) and out with the server's RSS growing by less than 100 MiB. It takes minutes,
// so it runs only with -tags bigtest:
//
//	go test -tags bigtest -run TestStreamingMemory5GiB -timeout 30m ./test/e2e/
func TestStreamingMemory5GiB(t *testing.T) {
	testStreamingMemory(t, 5<<30)
}
