package auth

import (
	"errors"
	"fmt"
	"regexp"
)

// Delegation headers. An edge key signs one of them (inside SignedHeaders) on an origin fetch
// to say on whose behalf it fetches; s3api honours them for edge keys only
// (edge-design.md, "Edge credentials and delegation").
const (
	// HeaderEdgeOAI names the CloudFront origin access identity the fetch is made as: the
	// request is authorized as OAIARN(id) / OAICanonicalID(id), exactly like a key with
	// Key.OAI. It is not an x-amz-* header, so SigV4 verifiers do not force it to be
	// signed; s3api checks SignedHeaders itself.
	HeaderEdgeOAI = "X-Imgcdn-Oai"
	// HeaderSourceARN carries the distribution ARN of an origin access control fetch: the
	// request is authorized as the service principal EdgeService with the condition keys
	// aws:SourceArn (this value) and aws:SourceAccount (its account), which is what
	// CloudFront's OAC presents to S3 ("Restricting access to an Amazon S3 origin",
	// CloudFront developer guide).
	HeaderSourceARN = "X-Amz-Source-Arn"
)

// distributionARN is arn:aws:cloudfront::<12-digit account>:distribution/<id>, the form
// CloudFront gives distribution ARNs (API_Distribution.html, ARN element). Ids are
// upper-case letters and digits.
var distributionARN = regexp.MustCompile(`^arn:aws:cloudfront::([0-9]{12}):distribution/([A-Z0-9]{1,64})$`)

// DistributionARN is the ARN of distribution id of account.
func DistributionARN(account, id string) string {
	return "arn:aws:cloudfront::" + account + ":distribution/" + id
}

// ParseDistributionARN splits a distribution ARN into its account and distribution id; ok is
// false for anything else.
func ParseDistributionARN(arn string) (account, id string, ok bool) {
	m := distributionARN.FindStringSubmatch(arn)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// ValidOAIID reports whether id has the shape of an origin access identity id (upper-case
// letters and digits, as CloudFront's E2QWRUHAPOMQZL).
func ValidOAIID(id string) bool { return oaiID.MatchString(id) }

// LoadOrCreateEdgeKey returns the edge key that `imgcdn serve` signs its embedded edge's
// origin fetches and control-plane calls with: the oldest edge key in dataDir's keys.json,
// created there on first call. Looking it up and creating it happen under the key file's
// lock, so two processes starting at once end up with one key. Deleting it (imgcdn keys
// delete) rotates it: the next start creates a new one.
func LoadOrCreateEdgeKey(dataDir string) (Key, error) {
	f := OpenKeyFile(dataDir)
	var key Key
	err := f.update(func(doc *keyFileDoc) error {
		for _, k := range doc.Keys { // in creation order: Create appends
			if k.Edge {
				key = k
				return errUnchanged
			}
		}
		if len(doc.Keys) >= MaxKeys {
			return fmt.Errorf("auth: %d keys is the limit; delete one to let imgcdn create its edge key", MaxKeys)
		}
		key = newKey(Key{Edge: true})
		doc.Keys = append(doc.Keys, key)
		return nil
	})
	if errors.Is(err, errUnchanged) {
		err = nil
	}
	return key, err
}
