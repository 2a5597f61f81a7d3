package s3api

import (
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/auth"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// actor is who a verified request acts as: the principal, and for an edge's origin access
// control fetch the distribution it fetches for (the aws:SourceArn and aws:SourceAccount
// condition keys).
type actor struct {
	principal     auth.Principal
	sourceARN     string
	sourceAccount string
}

// actorFor is the one place the Verifier's result becomes a principal. Anonymous requests
// act as nobody; a signed request acts as its key's principal (Config.Principals), except
// that an edge key (auth.Key.Edge) may act for others by signing one delegation header
// (edge-design.md, "Edge credentials and delegation"):
//
//   - auth.HeaderEdgeOAI: id makes the request the origin access identity's, exactly as
//     if an OAI key had signed it (OAIARN(id), OAICanonicalID(id));
//   - auth.HeaderSourceARN: a distribution ARN keeps the service principal
//     cloudfront.amazonaws.com and sets aws:SourceArn and aws:SourceAccount, which is what
//     CloudFront's origin access control presents to S3 ("Restricting access to an Amazon S3
//     origin", CloudFront developer guide) and what its recommended bucket policy tests.
//
// Delegation is refused with AccessDenied, never ignored, when the key is not an edge key,
// the request is unsigned or not SigV4-signed, the header is outside SignedHeaders (a proxy
// could have added it), both headers are sent, or a value is malformed: a request that
// asked to act as someone and cannot must not silently run as someone else.
func (s *Server) actorFor(r *http.Request, creds *sigv4.Auth) (actor, error) {
	oai, hasOAI := r.Header[auth.HeaderEdgeOAI]
	arn, hasARN := r.Header[auth.HeaderSourceARN]
	if creds.Anonymous {
		if hasOAI || hasARN {
			return actor{}, delegationDenied("x-imgcdn-oai and x-amz-source-arn need a request signed with an edge key (imgcdn keys create --edge)")
		}
		return actor{}, nil
	}
	p, ok := s.cfg.Principals.Principal(creds.AccessKey)
	if !ok { // the key was deleted since the Verifier looked it up
		return actor{}, newError(codeInvalidAccessKeyID)
	}
	if !hasOAI && !hasARN {
		return actor{principal: p}, nil
	}
	switch {
	case !p.Edge:
		return actor{}, delegationDenied("x-imgcdn-oai and x-amz-source-arn are honoured only on requests signed with an edge key (imgcdn keys create --edge); this key is not one")
	case hasOAI && hasARN:
		return actor{}, delegationDenied("send x-imgcdn-oai (origin access identity) or x-amz-source-arn (origin access control), not both")
	case creds.SignatureVersion != 4:
		return actor{}, delegationDenied("delegation headers need a Signature Version 4 request")
	}
	if hasOAI {
		if len(oai) != 1 || !auth.ValidOAIID(oai[0]) {
			return actor{}, delegationDenied("x-imgcdn-oai must be one origin access identity id (upper-case letters and digits)")
		}
		if !signedHeader(r, creds, auth.HeaderEdgeOAI) {
			return actor{}, delegationDenied("x-imgcdn-oai must be listed in SignedHeaders")
		}
		id := oai[0]
		return actor{principal: auth.Principal{
			AccessKeyID: p.AccessKeyID, ARN: auth.OAIARN(id), CanonicalID: auth.OAICanonicalID(id), OAI: id,
		}}, nil
	}
	var account string
	if len(arn) == 1 {
		account, _, ok = auth.ParseDistributionARN(arn[0])
	}
	if !ok {
		return actor{}, delegationDenied("x-amz-source-arn must be one distribution ARN, arn:aws:cloudfront::<account>:distribution/<id>")
	}
	if !signedHeader(r, creds, auth.HeaderSourceARN) {
		return actor{}, delegationDenied("x-amz-source-arn must be listed in SignedHeaders")
	}
	return actor{principal: p, sourceARN: arn[0], sourceAccount: account}, nil
}

func delegationDenied(msg string) *Error {
	return newError(codeAccessDenied).withMessage("Access Denied: " + msg)
}

// signedHeader reports whether the request's SigV4 signature covers header name. The
// Verifier has already checked the signature over exactly the SignedHeaders list of the
// Authorization header (or the X-Amz-SignedHeaders parameter of a presigned URL), so that
// list can be read back from the request as sent.
func signedHeader(r *http.Request, creds *sigv4.Auth, name string) bool {
	var list string
	if creds.Presigned {
		list = r.URL.Query().Get("X-Amz-SignedHeaders")
	} else {
		list = authorizationParam(r.Header.Get("Authorization"), "SignedHeaders")
	}
	name = strings.ToLower(name)
	for h := range strings.SplitSeq(list, ";") {
		if h == name {
			return true
		}
	}
	return false
}

// authorizationParam is the value of one Key=value component of a SigV4 Authorization
// header ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=...").
func authorizationParam(h, key string) string {
	_, rest, ok := strings.Cut(h, " ")
	if !ok {
		return ""
	}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok && k == key {
			return v
		}
	}
	return ""
}
