package edge

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// respPolicy applies a response headers policy (modifying-response-headers.html) to what the
// viewer gets, whether it came from the cache or the origin: headers are added on the way out,
// never stored, so a policy change applies to cached objects at once, as on CloudFront.
type respPolicy struct {
	cfg distrib.ResponseHeadersPolicyConfig
}

// finishHeaders applies the behaviour's response headers policy to h, the headers of an
// answer whose x-cache is xcache, just before they are written.
func (rq *request) finishHeaders(h http.Header, xcache string) {
	rq.behavior.respHeaders.apply(h, rq.r)
	rq.serverTiming(h, xcache)
}

// apply edits h, the response headers about to be written for request r.
func (p *respPolicy) apply(h http.Header, r *http.Request) {
	if p == nil {
		return
	}
	for _, name := range p.cfg.RemoveHeaders {
		h.Del(name)
	}
	if c := p.cfg.CORS; c != nil {
		p.cors(c, h, r)
	}
	if s := p.cfg.SecurityHeaders; s != nil {
		security(s, h)
	}
	for _, ch := range p.cfg.CustomHeaders {
		set(h, ch.Header, ch.Value, ch.Override)
	}
}

// cors answers a CORS request (one with an Origin header) whose origin the policy allows.
// Preflights (OPTIONS with Access-Control-Request-Method) also get the allowed methods,
// headers and max age (the Fetch standard's CORS protocol).
func (p *respPolicy) cors(c *distrib.CORSConfig, h http.Header, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || !matchOrigin(c.AllowOrigins, origin) {
		return
	}
	if !c.OriginOverride && h.Get("Access-Control-Allow-Origin") != "" {
		return
	}
	allow := origin
	if len(c.AllowOrigins) == 1 && c.AllowOrigins[0] == "*" && !c.AllowCredentials {
		allow = "*"
	} else {
		addVary(h, "Origin")
	}
	h.Set("Access-Control-Allow-Origin", allow)
	if c.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ", "))
	}
	if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
		methods := c.AllowMethods
		if len(methods) == 1 && methods[0] == "ALL" {
			methods = []string{"GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"}
		}
		h.Set("Access-Control-Allow-Methods", strings.Join(methods, ", "))
		if len(c.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(c.AllowHeaders, ", "))
		}
		if c.MaxAgeSec != nil {
			h.Set("Access-Control-Max-Age", strconv.FormatInt(*c.MaxAgeSec, 10))
		}
	}
}

// matchOrigin: "*" allows any origin; an entry may hold one "*" wildcard, as
// "https://*.example.com" (CloudFront accepts such patterns in AllowOrigins).
func matchOrigin(allowed []string, origin string) bool {
	for _, a := range allowed {
		if a == "*" || strings.EqualFold(a, origin) {
			return true
		}
		if pre, suf, ok := strings.Cut(a, "*"); ok && len(origin) >= len(pre)+len(suf) &&
			strings.HasPrefix(strings.ToLower(origin), strings.ToLower(pre)) && strings.HasSuffix(strings.ToLower(origin), strings.ToLower(suf)) {
			return true
		}
	}
	return false
}

func security(s *distrib.SecurityHeadersConfig, h http.Header) {
	if x := s.XSSProtection; x != nil {
		v := "0"
		if x.Protection {
			v = "1"
			switch {
			case x.ModeBlock:
				v += "; mode=block"
			case x.ReportURI != "":
				v += "; report=" + x.ReportURI
			}
		}
		set(h, "X-XSS-Protection", v, x.Override)
	}
	if f := s.FrameOptions; f != nil {
		set(h, "X-Frame-Options", f.FrameOption, f.Override)
	}
	if rp := s.ReferrerPolicy; rp != nil {
		set(h, "Referrer-Policy", rp.ReferrerPolicy, rp.Override)
	}
	if c := s.ContentSecurityPolicy; c != nil {
		set(h, "Content-Security-Policy", c.ContentSecurityPolicy, c.Override)
	}
	if c := s.ContentTypeOptions; c != nil {
		set(h, "X-Content-Type-Options", "nosniff", c.Override)
	}
	if t := s.StrictTransportSecurity; t != nil {
		v := "max-age=" + strconv.FormatInt(t.AccessControlMaxAgeSec, 10)
		if t.IncludeSubdomains {
			v += "; includeSubDomains"
		}
		if t.Preload {
			v += "; preload"
		}
		set(h, "Strict-Transport-Security", v, t.Override)
	}
}

// set adds a header; without override, a header the origin sent wins.
func set(h http.Header, name, value string, override bool) {
	if !override && h.Get(name) != "" {
		return
	}
	h.Set(name, value)
}
