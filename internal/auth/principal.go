package auth

import (
	"crypto/sha256"
	"encoding/hex"
)

// Key is one access key pair and the principal it acts for. Exactly one of the principal
// fields is set, except for the account root, which has none.
type Key struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	// User makes the key act as the IAM-style user arn:aws:iam::<account>:user/<User>, which
	// has no rights until a bucket policy grants them.
	User string `json:"user,omitempty"`
	// OAI makes the key act as the CloudFront origin access identity with this id: the
	// principal "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity <OAI>" that
	// bucket policies name (the edge signs its origin fetches with such a key).
	OAI string `json:"oai,omitempty"`
	// Service makes the key act as an AWS service principal such as cloudfront.amazonaws.com
	// (origin access control).
	Service string `json:"service,omitempty"`
	// Edge makes the key an edge node's: it acts as the service principal
	// cloudfront.amazonaws.com, may follow the control plane, and may sign origin fetches on
	// behalf of an origin access identity or a distribution (origin access control) by naming
	// it in a signed header; s3api honours those headers for edge keys only.
	Edge bool `json:"edge,omitempty"`
	// Created is when the key was issued (RFC 3339), for `imgcdn keys list`.
	Created string `json:"created,omitempty"`
}

// Principal is who a verified request acts as.
type Principal struct {
	AccessKeyID string
	// ARN names the principal as bucket policies do; empty for service principals.
	ARN string
	// Account is the 12-digit account the principal belongs to; empty for OAIs and services.
	Account string
	// Root is the account owner, allowed everything unless a policy explicitly denies it.
	Root bool
	// User, OAI and Service repeat the Key's principal field.
	User    string
	OAI     string
	Service string
	// Edge repeats Key.Edge: the principal is an edge node (Service is cloudfront.amazonaws.com).
	Edge bool
	// CanonicalID is the S3 canonical user id (the account's, or the OAI's S3CanonicalUserId).
	CanonicalID string
}

// EdgeService is the service principal edge keys act as, the one CloudFront's origin access
// control presents to S3.
const EdgeService = "cloudfront.amazonaws.com"

// OAIARN is the IAM ARN of a CloudFront origin access identity, as bucket policies name it.
func OAIARN(id string) string {
	return "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity " + id
}

// OAICanonicalID is the S3 canonical user id of an origin access identity. It is derived from
// the id so that the control API, the S3 side and every edge agree without sharing state.
func OAICanonicalID(id string) string {
	sum := sha256.Sum256([]byte("imgcdn origin access identity\x00" + id))
	return hex.EncodeToString(sum[:])
}

// principal describes what key acts as within account.
func (a Account) principal(key Key) Principal {
	p := Principal{AccessKeyID: key.AccessKeyID, User: key.User, OAI: key.OAI, Service: key.Service, Edge: key.Edge}
	switch {
	case key.Edge:
		p.Service = EdgeService
	case key.OAI != "":
		p.ARN, p.CanonicalID = OAIARN(key.OAI), OAICanonicalID(key.OAI)
	case key.Service != "":
	case key.User != "":
		p.ARN, p.Account, p.CanonicalID = "arn:aws:iam::"+a.ID+":user/"+key.User, a.ID, a.CanonicalID
	default:
		p.ARN, p.Account, p.CanonicalID, p.Root = a.RootARN(), a.ID, a.CanonicalID, true
	}
	return p
}
