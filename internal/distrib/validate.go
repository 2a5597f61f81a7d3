package distrib

import (
	"fmt"
	"unicode/utf8"
)

// Bounds on free-text fields. CloudFront limits OAI comments to 128 characters
// (API_CloudFrontOriginAccessIdentityConfig.html) and OAC names to 64
// (API_OriginAccessControlConfig.html); the CallerReference and Description bounds are
// imgcdn's, to keep index keys and records small.
const (
	MaxCommentLen         = 128
	MaxCallerReferenceLen = 256
	MaxOACNameLen         = 64
	MaxDescriptionLen     = 256
)

// Validate checks an OAI config.
func (c OAIConfig) Validate() error {
	if c.CallerReference == "" {
		return InvalidArgument("CallerReference", "is required")
	}
	if err := checkText("CallerReference", c.CallerReference, MaxCallerReferenceLen); err != nil {
		return err
	}
	return checkText("Comment", c.Comment, MaxCommentLen)
}

// Validate checks an OAC config.
func (c OACConfig) Validate() error {
	if c.Name == "" {
		return InvalidArgument("Name", "is required")
	}
	if err := checkText("Name", c.Name, MaxOACNameLen); err != nil {
		return err
	}
	if err := checkText("Description", c.Description, MaxDescriptionLen); err != nil {
		return err
	}
	if c.SigningProtocol != SigningProtocolSigV4 {
		return InvalidArgument("SigningProtocol", fmt.Sprintf("must be %q, not %q", SigningProtocolSigV4, c.SigningProtocol))
	}
	switch c.SigningBehavior {
	case SigningAlways, SigningNever, SigningNoOverride:
	default:
		return InvalidArgument("SigningBehavior", fmt.Sprintf("must be always, never or no-override, not %q", c.SigningBehavior))
	}
	if c.OriginType != OriginTypeS3 {
		return InvalidArgument("OriginAccessControlOriginType", fmt.Sprintf("must be %q: imgcdn signs requests to S3 origins only, not %q", OriginTypeS3, c.OriginType))
	}
	return nil
}

func checkText(field, v string, max int) error {
	if !utf8.ValidString(v) {
		return InvalidArgument(field, "is not valid UTF-8")
	}
	if n := utf8.RuneCountInString(v); n > max {
		return InvalidArgument(field, fmt.Sprintf("is %d characters long; the maximum is %d", n, max))
	}
	return nil
}
