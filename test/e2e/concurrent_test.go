package e2e

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// TestConcurrentWrites: concurrent PUTs to one key leave one whole body (the store
// rules); concurrent If-None-Match: * PUTs to a new key let exactly one writer win and refuse
// the others with 412 PreconditionFailed or 409 ConditionalRequestConflict (the S3 user guide,
// "Conditional writes").
func TestConcurrentWrites(t *testing.T) {
	srv := sharedServer(t)
	c := pathSDK(t, srv)
	ctx := context.Background()
	bucket := mustBucket(t, c, "race")
	const writers = 16

	bodies := make([][]byte, writers)
	for i := range bodies {
		size := 1000 + i // inline-sized
		if i%2 == 1 {
			size = 300_000 + i*1000 // file-backed
		}
		bodies[i] = randBytes(uint64(900+i), size)
	}
	for round := range 3 {
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("contended"), Body: bytes.NewReader(bodies[i])})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d: concurrent PUT %d: %v", round, i, err)
			}
		}
		got, out := mustGet(t, c, bucket, "contended")
		winner := -1
		for i, b := range bodies {
			if bytes.Equal(got, b) {
				winner = i
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: after %d concurrent PUTs the object (%d bytes) is none of the bodies sent", round, writers, len(got))
		}
		if aws.ToString(out.ETag) != quotedMD5(bodies[winner]) {
			t.Errorf("round %d: body of writer %d with ETag %s, want %s", round, winner, aws.ToString(out.ETag), quotedMD5(bodies[winner]))
		}
	}

	for round := range 3 {
		key := "once-" + string(rune('a'+round))
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = c.PutObject(ctx, &s3.PutObjectInput{
					Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(bodies[i]), IfNoneMatch: aws.String("*"),
				})
			}()
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			var ae smithy.APIError
			switch {
			case err == nil && winner >= 0:
				t.Errorf("round %d: If-None-Match * PUTs %d and %d both succeeded", round, winner, i)
			case err == nil:
				winner = i
			case errors.As(err, &ae) && (ae.ErrorCode() == "PreconditionFailed" || ae.ErrorCode() == "ConditionalRequestConflict"):
			default:
				t.Errorf("round %d: If-None-Match * PUT %d: %v, want success, PreconditionFailed or ConditionalRequestConflict", round, i, err)
			}
		}
		if winner < 0 {
			t.Errorf("round %d: no If-None-Match * PUT to a new key succeeded", round)
			continue
		}
		if got, _ := mustGet(t, c, bucket, key); !bytes.Equal(got, bodies[winner]) {
			t.Errorf("round %d: the object is not the body of the one conditional PUT that succeeded (writer %d)", round, winner)
		}
	}
}
