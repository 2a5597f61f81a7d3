package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// SSE-S3 cells (issue 3): the same PUT/GET cells in a bucket whose default encryption is AES256
// (PutBucketEncryption), so that the client sends exactly what it sends to a plain bucket and
// the difference is the server's encryption alone. Each encrypted cell runs right after its
// plain twin, so both see the same machine.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html

// sseGoal is issue 3's bound on what encryption may cost: under 15% of plain throughput.
const sseGoal = 0.15

// createSSEBucket creates a bucket that encrypts every new object with SSE-S3 by default.
func createSSEBucket(ctx context.Context, cli *s3.Client, name string) error {
	if err := createBucket(ctx, cli, name); err != nil {
		return err
	}
	_, err := cli.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{
		Bucket: aws.String(name),
		ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
			Rules: []types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
			}},
		},
	})
	if err != nil {
		return fmt.Errorf("PutBucketEncryption %s (start the server with a master key, or pass --sse-sizes \"\"): %w", name, err)
	}
	return nil
}

// wantSSE reports whether size x conc has an encrypted cell.
func (c Config) wantSSE(size int64, conc int) bool {
	for _, s := range c.SSESizes {
		for _, n := range c.SSEConcurrency {
			if s == size && n == conc {
				return true
			}
		}
	}
	return false
}

// writeSSECost adds the table of encrypted cells against their plain twins of the same run.
func writeSSECost(b *strings.Builder, r *Results) {
	var rows []string
	for _, e := range r.Phases {
		if !e.Encrypted {
			continue
		}
		p, ok := findPhase(r, e.Op, e.Size, e.Concurrency, false)
		if !ok || p.OpsPerSec == 0 {
			continue
		}
		ratio := e.OpsPerSec / p.OpsPerSec
		verdict := "yes"
		if 1-ratio >= sseGoal {
			verdict = "no"
		}
		rows = append(rows, fmt.Sprintf("| %s | %s | %d | %.0f | %.0f | %.2fx | %.1f%% | %s | %s | %s |",
			e.Op, formatSize(e.Size), e.Concurrency, p.OpsPerSec, e.OpsPerSec, ratio, 100*(1-ratio),
			perOp(p.ServerCPUms, p.Ops), perOp(e.ServerCPUms, e.Ops), verdict+errNote(p.Errors+e.Errors)))
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### %s: SSE-S3 against plain, same run (issue 3: encryption should cost < 15%% of plain throughput)\n\n", r.Label)
	b.WriteString("| op | size | concurrency | plain ops/s | SSE-S3 ops/s | SSE/plain | cost | plain server CPU µs/op | SSE server CPU µs/op | < 15% |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, row := range rows {
		b.WriteString(row + "\n")
	}
}
