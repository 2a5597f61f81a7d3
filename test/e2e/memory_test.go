package e2e

import "testing"

// TestStreamingMemory1GiB is the default-size variant of the 5 GiB streaming requirement
// (memory_big_test.go, build tag bigtest).
func TestStreamingMemory1GiB(t *testing.T) {
	testStreamingMemory(t, 1<<30)
}
