package distrib

import (
	"errors"
	"fmt"
	"strings"
)

// ImageOptimizerFunctionName is the one CloudFront function imgcdn has: built in, always
// published, run natively by the edge (issue 7, "Turning it on"). A cache behaviour whose
// FunctionAssociations name it for viewer-request transforms images on
// /cdn-cgi/image/<options>/<path> URLs.
const ImageOptimizerFunctionName = "imgcdn-image-optimizer"

// EventViewerRequest is the event type the image optimizer runs on.
const EventViewerRequest = "viewer-request"

// FunctionARN returns the ARN of the function name in account, the shape of botocore's
// FunctionARN pattern: arn:aws:cloudfront::[0-9]{12}:function/[a-zA-Z0-9-_]{1,64}.
func FunctionARN(account, name string) string {
	return "arn:aws:cloudfront::" + account + ":function/" + name
}

// ImageOptimizerARN is FunctionARN(account, ImageOptimizerFunctionName).
func ImageOptimizerARN(account string) string {
	return FunctionARN(account, ImageOptimizerFunctionName)
}

// ImageOptimizerAssociated reports whether b associates the image optimizer of account with
// its viewer requests: what turns image transforms on for the behaviour.
func ImageOptimizerAssociated(b *CacheBehavior, account string) bool {
	for _, a := range b.FunctionAssociations {
		if a.EventType == EventViewerRequest && a.ARN == ImageOptimizerARN(account) {
			return true
		}
	}
	return false
}

// ErrInvalidFunctionAssociation: a FunctionAssociation names no function of the account, or
// uses it in a way CloudFront refuses (400 InvalidFunctionAssociation). It is wrapped with
// the reason.
var ErrInvalidFunctionAssociation = errors.New("distrib: invalid function association")

// checkFunctionAssociations checks every behaviour's FunctionAssociations the way
// CreateDistribution and UpdateDistribution do (API_FunctionAssociation.html, "Restrictions
// on edge functions"): event types viewer-request or viewer-response only, one function per
// event type, and the ARN must name a published function of this account. The only function
// there is is the built-in image optimizer, which acts on viewer requests.
func (s *Service) checkFunctionAssociations(cfg *DistributionConfig) error {
	for _, b := range cfg.behaviors() {
		if err := checkBehaviorFunctions(b, s.cfg.AccountID); err != nil {
			field := "DefaultCacheBehavior"
			if b.PathPattern != "" {
				field = fmt.Sprintf("CacheBehavior %q", b.PathPattern)
			}
			return fmt.Errorf("%w: %s: %w", ErrInvalidFunctionAssociation, field, err)
		}
	}
	return nil
}

// checkBehaviorFunctions returns why b's associations are refused, or nil. An empty account
// (a Service without Config.AccountID) accepts the optimizer of any 12-digit account.
func checkBehaviorFunctions(b *CacheBehavior, account string) error {
	seen := map[string]bool{}
	for _, a := range b.FunctionAssociations {
		switch a.EventType {
		case "viewer-request", "viewer-response":
		case "origin-request", "origin-response":
			return fmt.Errorf("CloudFront functions run on viewer-request or viewer-response, not %s (use Lambda@Edge for origin events)", a.EventType)
		default:
			return fmt.Errorf("EventType %q is not viewer-request or viewer-response", a.EventType)
		}
		if seen[a.EventType] {
			return fmt.Errorf("two functions are associated with %s; a cache behavior has at most one function per event type", a.EventType)
		}
		seen[a.EventType] = true
		acct, name, ok := parseFunctionARN(a.ARN)
		switch {
		case !ok:
			return fmt.Errorf("%q is not a function ARN (arn:aws:cloudfront::<account>:function/<name>)", a.ARN)
		case name != ImageOptimizerFunctionName || account != "" && acct != account:
			return fmt.Errorf("%q names no published function of this account; the only one is %s", a.ARN, ImageOptimizerARN(orAny(account)))
		case a.EventType != EventViewerRequest:
			return fmt.Errorf("%s transforms viewer requests: associate it with viewer-request, not %s", ImageOptimizerFunctionName, a.EventType)
		}
	}
	return nil
}

// orAny shows an unknown account as the placeholder users replace.
func orAny(account string) string {
	if account == "" {
		return "<account>"
	}
	return account
}

// parseFunctionARN splits arn:aws:cloudfront::<12 digits>:function/<name> (botocore's
// FunctionARN pattern, names of 1 to 64 letters, digits, '-' and '_').
func parseFunctionARN(arn string) (account, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:cloudfront::")
	if !ok {
		return "", "", false
	}
	account, name, ok = strings.Cut(rest, ":function/")
	if !ok || len(account) != 12 || strings.Trim(account, "0123456789") != "" || !ValidFunctionName(name) {
		return "", "", false
	}
	return account, name, true
}

// ValidFunctionName checks botocore's FunctionName: 1 to 64 letters, digits, '-' or '_'.
func ValidFunctionName(n string) bool {
	if n == "" || len(n) > 64 {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// FunctionAssociated reports whether any distribution's cache behaviour associates the
// function name (its ARN in this account): DescribeFunction answers Status DEPLOYED then,
// UNASSOCIATED otherwise.
func (s *Service) FunctionAssociated(name string) (bool, error) {
	used := false
	var decodeErr error
	err := s.store.Scan([]byte(distPrefix), nil, func(k, v []byte) bool {
		var d Distribution
		if d, decodeErr = decodeJSON[Distribution](v); decodeErr != nil {
			decodeErr = fmt.Errorf("%w (%q)", decodeErr, k)
			return false
		}
		for _, b := range d.Config.behaviors() {
			for _, a := range b.FunctionAssociations {
				if _, n, ok := parseFunctionARN(a.ARN); ok && n == name {
					used = true
				}
			}
		}
		return !used
	})
	return used, errors.Join(err, decodeErr)
}
