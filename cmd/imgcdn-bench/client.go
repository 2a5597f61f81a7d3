package main

import (
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
)

// newClient builds the S3 client every phase shares. Its settings are chosen for honest
// measurement, and the report states them:
//
//   - no retries (aws.NopRetryer): a failed request counts as an error, never as a slow success;
//   - enough idle connections per host for the highest concurrency, so no phase pays for
//     reconnects (net/http keeps only 2 idle connections per host by default);
//   - path-style addressing and region us-east-1, as a self-hosted endpoint on loopback needs;
//   - the payload signing and checksum modes of Config.Payload and Config.Checksum.
//
// The config is built by hand rather than with config.LoadDefaultConfig so that nothing from
// ~/.aws or the environment (profiles, retry modes, endpoints) changes what is measured.
func newClient(c Config, maxConns int) *s3.Client {
	httpClient := awshttp.NewBuildableClient().
		WithTimeout(0). // per-request deadlines come from the phase contexts
		WithTransportOptions(func(tr *http.Transport) {
			tr.MaxIdleConns = maxConns * 2
			tr.MaxIdleConnsPerHost = maxConns * 2
			tr.MaxConnsPerHost = 0
			tr.IdleConnTimeout = 90 * time.Second
			tr.DisableCompression = true
		})
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKey, c.SecretKey, ""),
		HTTPClient:  httpClient,
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(c.Endpoint)
		o.UsePathStyle = true
		if c.Checksum == checksumWhenRequired {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
		} else {
			o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenSupported
			o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenSupported
		}
		if c.Payload == payloadUnsigned {
			o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
				return v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware(st)
			})
		}
	})
}

// modeDescription says in one line what the client sends, for the report.
func modeDescription(c Config) string {
	payload := "x-amz-content-sha256 = hex SHA-256 of the body (SDK default over http)"
	if c.Payload == payloadUnsigned {
		payload = "x-amz-content-sha256 = UNSIGNED-PAYLOAD"
	}
	checksum := "request checksums when_supported (SDK default: x-amz-checksum-crc32 on every upload; GET responses validated)"
	if c.Checksum == checksumWhenRequired {
		checksum = "request checksums when_required (none sent for these operations; responses not validated)"
	}
	return "SigV4 header auth, " + payload + ", " + checksum + ", path-style, us-east-1, SDK retries disabled, generator GOGC=" + strconv.Itoa(c.GOGC)
}
