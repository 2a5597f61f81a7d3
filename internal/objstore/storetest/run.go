// Package storetest is the conformance suite every objstore.Store implementation runs:
// buckets, object round trips, awkward keys, ranges, conditional and concurrent writes,
// failed writes, listings checked against a brute-force model, multipart uploads, snapshot
// reads, versioning, encryption at rest, bucket configurations and object ACLs. An implementation's test calls Run (or RunWithOptions) with a constructor
// of fresh, empty stores.
package storetest

import (
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// Options adapts the suite to how the store under test is configured.
type Options struct {
	// MinPartSize is the store's minimum size of all but the last multipart part. Default
	// objstore.MinPartSize; stores configured lower keep the multipart tests small.
	MinPartSize int64
	// Encrypted says the store has a master key: the encryption tests write and read
	// objstore.EncryptionAES256 objects. Without one they expect
	// objstore.ErrEncryptionNotConfigured.
	Encrypted bool
	// AtRest, when set (with Encrypted), makes everything the store has written durable in
	// files, flushing what it holds in memory, and returns the directory that holds them
	// all: the test that no plaintext of an encrypted object is at rest reads every byte
	// below it.
	AtRest func(s objstore.Store) (dir string, err error)
	// Corrupt, when set (with Encrypted), flips one byte of the stored body of the latest
	// version of bucket/key, wherever the store keeps it.
	Corrupt func(s objstore.Store, bucket, key string) error
}

// Run runs the suite with the default Options. newStore must return a fresh, empty store
// and arrange (with t.Cleanup) for it to be closed.
func Run(t *testing.T, newStore func(t *testing.T) objstore.Store) {
	RunWithOptions(t, Options{}, newStore)
}

// RunWithOptions runs the suite; see Run.
func RunWithOptions(t *testing.T, opts Options, newStore func(t *testing.T) objstore.Store) {
	if opts.MinPartSize <= 0 {
		opts.MinPartSize = objstore.MinPartSize
	}
	tests := []struct {
		name string
		fn   func(e *env)
	}{
		{"BucketLifecycle", testBucketLifecycle},
		{"BucketNames", testBucketNames},
		{"MissingBucket", testMissingBucket},
		{"DeleteBucketRacesPuts", testDeleteBucketRacesPuts},
		{"RoundTrip", testRoundTrip},
		{"Metadata", testMetadata},
		{"Overwrite", testOverwrite},
		{"Delete", testDelete},
		{"KeyValidation", testKeyValidation},
		{"AwkwardKeys", testAwkwardKeys},
		{"Ranges", testRanges},
		{"FailedWritesKeepPrevious", testFailedWrites},
		{"ConditionalWrites", testConditionalWrites},
		{"ConcurrentIfNoneMatch", testConcurrentIfNoneMatch},
		{"ConcurrentIfMatch", testConcurrentIfMatch},
		{"ConcurrentPutsOneKey", testConcurrentPuts},
		{"ListTable", testListTable},
		{"ListModel", testListModel},
		{"ListPaging", testListPaging},
		{"MultipartBasic", testMultipartBasic},
		{"MultipartValidation", testMultipartValidation},
		{"MultipartReplacePart", testMultipartReplacePart},
		{"MultipartSubset", testMultipartSubset},
		{"MultipartAbort", testMultipartAbort},
		{"MultipartConditional", testMultipartConditional},
		{"MultipartRanges", testMultipartRanges},
		{"MultipartConcurrentParts", testMultipartConcurrentParts},
		{"ListParts", testListParts},
		{"ListUploads", testListUploads},
		{"Snapshot", testSnapshot},
		{"VersioningStates", testVersioningStates},
		{"VersioningEnabled", testVersioningEnabled},
		{"VersioningSuspended", testVersioningSuspended},
		{"VersionedDeleteBucket", testVersionedDeleteBucket},
		{"VersionedWrites", testVersionedWrites},
		{"ListVersionsModel", testListVersionsModel},
		{"ListVersionsMarkerGone", testListVersionsMarkerGone},
		{"EncryptionSettings", testEncryptionSettings},
		{"EncryptedRoundTrip", testEncryptedRoundTrip},
		{"EncryptedMultipart", testEncryptedMultipart},
		{"EncryptionAtRest", testEncryptionAtRest},
		{"EncryptionTamper", testEncryptionTamper},
		{"BucketConfigs", testBucketConfigs},
		{"BucketConfigsConcurrent", testBucketConfigsConcurrent},
		{"ObjectACLs", testObjectACLs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(newEnv(t, opts, newStore(t)))
		})
	}
}
