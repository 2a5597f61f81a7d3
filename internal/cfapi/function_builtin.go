package cfapi

import (
	"crypto/sha256"
	"encoding/base32"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// The built-in image optimizer as the CloudFront Functions API shows it (issue 7, "Turning it
// on"): a cloudfront-js-2.0 function, published (LIVE), that nobody can change. The edge runs
// the optimizer natively with libvips; the JavaScript below is what GetFunction returns, so
// that a user who reads the function learns what it does and how to use it. Its handler
// passes requests through unchanged, which is also what the code would do if it ran.
const (
	optimizerRuntime = "cloudfront-js-2.0"
	optimizerComment = "imgcdn built-in: resizes, crops and converts images on /cdn-cgi/image/<options>/<path> URLs"
	optimizerCode    = `// imgcdn-image-optimizer (cloudfront-js-2.0), built into imgcdn.
//
// The imgcdn edge runs this function natively (libvips); this code is not executed. It cannot
// be updated, published or deleted. Associate it with a cache behavior as a viewer-request
// function to transform images:
//
//   /cdn-cgi/image/<options>/<path>   e.g. /cdn-cgi/image/width=300,format=auto/images/a.jpg
//   <path>?width=300&format=auto      when the behavior forwards those query strings
//
// Options (Cloudflare's names): width (w), height (h), fit, gravity (g), dpr, format (f),
// quality (q), background, rotate, blur, sharpen, metadata, anim, trim, onerror=redirect.
// Variants are cached like any object and invalidated with their source.
// ` + "`imgcdn images set`" + ` can require signed transform URLs and limit the widths allowed.
function handler(event) {
    return event.request;
}
`
)

// optimizerTime is CreatedTime and LastModifiedTime: when this code was last changed.
var optimizerTime = time.Date(2025, time.November, 27, 0, 0, 0, 0, time.UTC)

// optimizerETag is the function's ETag, derived from its code so that it changes with it and
// stays the same across restarts and hosts; the shape of CloudFront's (E + 13 of [A-Z0-9]).
var optimizerETag = func() string {
	sum := sha256.Sum256([]byte(optimizerRuntime + "\x00" + optimizerComment + "\x00" + optimizerCode))
	return "E" + base32.StdEncoding.EncodeToString(sum[:])[:13]
}()

// Function stages (FunctionStage in botocore's model).
const (
	stageLive        = "LIVE"
	stageDevelopment = "DEVELOPMENT"
)

// Function statuses as DescribeFunction answers them: a published function that no cache
// behavior uses is UNASSOCIATED, one in use is DEPLOYED.
const (
	statusUnassociated = "UNASSOCIATED"
	statusDeployed     = "DEPLOYED"
)

// optimizerSummary is the FunctionSummary of the built-in function in stage.
func (h *Handler) optimizerSummary(stage string) (functionSummaryXML, error) {
	used, err := h.svc.FunctionAssociated(distrib.ImageOptimizerFunctionName)
	if err != nil {
		return functionSummaryXML{}, err
	}
	status := statusUnassociated
	if used {
		status = statusDeployed
	}
	return functionSummaryXML{
		Name:           distrib.ImageOptimizerFunctionName,
		Status:         status,
		FunctionConfig: functionConfigXML{Comment: optimizerComment, Runtime: optimizerRuntime},
		FunctionMetadata: functionMetadataXML{
			FunctionARN:      distrib.ImageOptimizerARN(h.cfg.AccountID),
			Stage:            stage,
			CreatedTime:      formatTime(optimizerTime),
			LastModifiedTime: formatTime(optimizerTime),
		},
	}, nil
}
