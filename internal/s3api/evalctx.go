package s3api

import (
	"crypto/tls"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/policy"
)

// maxContextKeys bounds the condition keys one request carries (see fill).
const maxContextKeys = 40

// evalState is one request's policy.Request: the principal and the condition keys, built
// once and evaluated for each resource the request touches. Values are carved from vals, so
// a pooled evalState fills its map without allocating.
type evalState struct {
	req  policy.Request
	vals [maxContextKeys]string
	n    int
}

func (st *evalState) add(key, value string) {
	if st.n == len(st.vals) {
		return
	}
	st.vals[st.n] = value
	st.req.Context[key] = st.vals[st.n : st.n+1 : st.n+1]
	st.n++
}

// evaluate asks the policy about action on the bucket, or on its object key.
func (st *evalState) evaluate(p *policy.Policy, action, bucket, key string) policy.Decision {
	st.req.Action = action
	if key == "" {
		st.req.Resource = policy.BucketARN(bucket)
	} else {
		st.req.Resource = policy.ObjectARN(bucket, key)
	}
	return p.Evaluate(&st.req)
}

func (a *policyAuthorizer) acquire(req *AuthzRequest) *evalState {
	st := a.evals.Get().(*evalState)
	a.fill(st, req)
	return st
}

func (a *policyAuthorizer) release(st *evalState) {
	clear(st.req.Context)
	clear(st.vals[:st.n])
	st.n = 0
	st.req.Resource, st.req.Action = "", ""
	st.req.Principal = policy.Principal{}
	a.evals.Put(st)
}

// headerKeys are the request headers S3 exposes as condition keys under their own names
// (list_amazons3.html#amazons3-policy-keys), and the s3:if-match family.
var headerKeys = [...]struct{ header, key string }{
	{"X-Amz-Acl", "s3:x-amz-acl"},
	{"X-Amz-Content-Sha256", "s3:x-amz-content-sha256"},
	{"X-Amz-Copy-Source", "s3:x-amz-copy-source"},
	{"X-Amz-Grant-Full-Control", "s3:x-amz-grant-full-control"},
	{"X-Amz-Grant-Read", "s3:x-amz-grant-read"},
	{"X-Amz-Grant-Read-Acp", "s3:x-amz-grant-read-acp"},
	{"X-Amz-Grant-Write", "s3:x-amz-grant-write"},
	{"X-Amz-Grant-Write-Acp", "s3:x-amz-grant-write-acp"},
	{"X-Amz-Metadata-Directive", "s3:x-amz-metadata-directive"},
	{"X-Amz-Object-Ownership", "s3:x-amz-object-ownership"},
	{"X-Amz-Server-Side-Encryption", "s3:x-amz-server-side-encryption"},
	{"X-Amz-Server-Side-Encryption-Customer-Algorithm", "s3:x-amz-server-side-encryption-customer-algorithm"},
	{"X-Amz-Storage-Class", "s3:x-amz-storage-class"},
	{"X-Amz-Website-Redirect-Location", "s3:x-amz-website-redirect-location"},
	{"If-Match", "s3:if-match"},
	{"If-None-Match", "s3:if-none-match"},
}

// listKeys are the ListBucket (and ListBucketVersions) parameters S3 exposes as condition keys.
var listKeys = [...]struct{ param, key string }{
	{"prefix", "s3:prefix"}, {"delimiter", "s3:delimiter"}, {"max-keys", "s3:max-keys"},
}

// fill builds the request context: the global keys of "AWS global condition context keys"
// (reference_policies_condition-keys.html) that a request to S3 carries, and the S3 keys of
// list_amazons3.html. Keys describing the principal (aws:PrincipalArn, aws:PrincipalAccount,
// aws:PrincipalType, aws:username...) are derived by the policy package from the principal.
// A key whose value the request does not have is left out: that is what ...IfExists and Null
// test.
func (a *policyAuthorizer) fill(st *evalState, req *AuthzRequest) {
	anonymous := req.Auth == nil || req.Auth.Anonymous
	st.req.Principal = policyPrincipal(&req.Principal, anonymous)
	t := a.times()
	st.add("aws:currenttime", t.current)
	st.add("aws:epochtime", t.epoch)
	st.add("aws:resourceaccount", a.s.cfg.Owner.AccountID)
	st.add("s3:resourceaccount", a.s.cfg.Owner.AccountID)
	if !anonymous {
		if req.Auth.Presigned {
			st.add("s3:authtype", "REST-QUERY-STRING")
		} else {
			st.add("s3:authtype", "REST-HEADER")
		}
		if req.Auth.SignatureVersion == 2 {
			st.add("s3:signatureversion", "AWS")
		} else {
			st.add("s3:signatureversion", "AWS4-HMAC-SHA256")
		}
		if req.Auth.Region != "" {
			st.add("aws:requestedregion", req.Auth.Region)
		}
		// Set only for an edge's origin access control fetch (actorFor): the service
		// principal acts for that distribution, as a service acting for a resource does.
		if req.SourceARN != "" {
			st.add("aws:sourcearn", req.SourceARN)
			st.add("aws:sourceaccount", req.SourceAccount)
		}
	}
	if v := req.Query["versionId"]; len(v) > 0 {
		st.add("s3:versionid", v[0])
	}
	if req.Action == "s3:ListBucket" || req.Action == "s3:ListBucketVersions" {
		for _, lk := range listKeys {
			if v := req.Query[lk.param]; len(v) > 0 {
				st.add(lk.key, v[0])
			}
		}
	}
	r := req.Request
	if r == nil {
		return
	}
	st.add("aws:sourceip", a.s.sourceIP(r))
	if r.TLS != nil {
		st.add("aws:securetransport", "true")
		if v := tlsVersion(r.TLS.Version); v != "" {
			st.add("s3:tlsversion", v)
		}
	} else {
		st.add("aws:securetransport", "false")
	}
	if v := r.Header["Referer"]; len(v) > 0 {
		st.add("aws:referer", v[0])
	}
	if v := r.Header["User-Agent"]; len(v) > 0 {
		st.add("aws:useragent", v[0])
	}
	for _, hk := range headerKeys {
		if v := r.Header[hk.header]; len(v) > 0 {
			st.add(hk.key, v[0])
		}
	}
}

// tlsVersion is s3:TlsVersion's value for a TLS version ("1.2", "1.3").
func tlsVersion(v uint16) string {
	switch v {
	case tls.VersionTLS13:
		return "1.3"
	case tls.VersionTLS12:
		return "1.2"
	case tls.VersionTLS11:
		return "1.1"
	case tls.VersionTLS10:
		return "1.0"
	}
	return ""
}

// clockStrings are aws:CurrentTime and aws:EpochTime for one second, formatted once per
// second rather than once per request.
type clockStrings struct {
	sec            int64
	current, epoch string
}

func (a *policyAuthorizer) times() *clockStrings {
	now := a.s.cfg.Now()
	sec := now.Unix()
	if c := a.clock.Load(); c != nil && c.sec == sec {
		return c
	}
	c := &clockStrings{sec: sec, current: now.UTC().Format("2006-01-02T15:04:05Z"), epoch: strconv.FormatInt(sec, 10)}
	a.clock.Store(c)
	return c
}

// sourceIP is aws:SourceIp: the address of the connection's peer, or, when that peer is a
// trusted proxy (Config.TrustedProxies), the nearest X-Forwarded-For entry that is not one.
func (s *Server) sourceIP(r *http.Request) string {
	host := r.RemoteAddr
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if len(s.cfg.TrustedProxies) == 0 || !s.trustedProxy(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			return host // a malformed chain names nobody reliably: keep the proxy's address
		}
		if !s.trustedProxy(hop) {
			return hop
		}
	}
	return host
}

func (s *Server) trustedProxy(host string) bool {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
