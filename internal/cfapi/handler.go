package cfapi

import (
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/sigv4"
)

// Handler serves the CloudFront API.
type Handler struct {
	cfg Config
	svc *distrib.Service
	log *slog.Logger
}

var _ http.Handler = (*Handler)(nil)

// New returns the CloudFront API handler.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, svc: cfg.Service, log: log}, nil
}

// request is what an operation handler needs of the HTTP request.
type request struct {
	r    *http.Request
	id   string      // the resource id in the path (the distribution's, for invalidations)
	sub  string      // the invalidation id in the path
	body *sigv4.Body // the signature-checked body
}

// response is an operation's answer; write renders it.
type response struct {
	status   int
	etag     string
	location string
	doc      any // marshalled as XML; nil for no body
	// raw, when set, is the body as is, of type contentType (GetFunction's code blob).
	raw         []byte
	contentType string
}

// ServeHTTP verifies, authorizes, routes and answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	w.Header().Set("x-amz-request-id", requestID)
	resp, err := h.serve(r)
	if err != nil {
		e := errorFor(err)
		if e.status >= 500 && e.status != http.StatusNotImplemented {
			h.log.Error("cloudfront api", "method", r.Method, "path", r.URL.Path, "request_id", requestID, "err", err)
		}
		writeXML(w, e.status, errorDocument(e, requestID))
		return
	}
	if resp.etag != "" {
		w.Header().Set("ETag", resp.etag)
	}
	if resp.location != "" {
		w.Header().Set("Location", resp.location)
	}
	if resp.raw != nil {
		w.Header().Set("Content-Type", resp.contentType)
		w.WriteHeader(resp.status)
		w.Write(resp.raw)
		return
	}
	if resp.doc == nil {
		w.WriteHeader(resp.status)
		return
	}
	writeXML(w, resp.status, resp.doc)
}

func (h *Handler) serve(r *http.Request) (*response, error) {
	a, err := h.cfg.Verifier.Verify(r)
	if err != nil {
		return nil, err
	}
	if a.Anonymous {
		return nil, errAnonymous
	}
	if p, ok := h.cfg.Principals.Principal(a.AccessKey); !ok || !p.Root {
		return nil, errNotRoot
	}
	body, err := a.Body(r)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	o, id := route(r.Method, r.URL.Path)
	o = withQuery(o, r.URL.Query())
	rq := &request{r: r, id: id, body: body}
	if io, distID, invID, ok := routeInvalidation(r.Method, r.URL.Path); ok {
		o, rq.id, rq.sub = io, distID, invID
	}
	if fo, name, ok := routeFunction(r.Method, r.URL.Path); ok {
		if fo == opUnsupported {
			return nil, fmt.Errorf("%w: %s %s", errUnsupported, r.Method, r.URL.Path)
		}
		rq.id = name
		return h.serveFunction(fo, rq)
	}
	switch o {
	case opCreateOAI:
		return h.createOAI(rq)
	case opGetOAI:
		return h.getOAI(rq)
	case opGetOAIConfig:
		return h.getOAIConfig(rq)
	case opUpdateOAI:
		return h.updateOAI(rq)
	case opDeleteOAI:
		return h.deleteOAI(rq)
	case opListOAIs:
		return h.listOAIs(rq)
	case opCreateOAC:
		return h.createOAC(rq)
	case opGetOAC:
		return h.getOAC(rq)
	case opGetOACConfig:
		return h.getOACConfig(rq)
	case opUpdateOAC:
		return h.updateOAC(rq)
	case opDeleteOAC:
		return h.deleteOAC(rq)
	case opListOACs:
		return h.listOACs(rq)
	case opCreateDistribution:
		return h.createDistribution(rq, false)
	case opCreateDistributionWithTags:
		return h.createDistribution(rq, true)
	case opGetDistribution:
		return h.getDistribution(rq)
	case opGetDistributionConfig:
		return h.getDistributionConfig(rq)
	case opUpdateDistribution:
		return h.updateDistribution(rq)
	case opDeleteDistribution:
		return h.deleteDistribution(rq)
	case opListDistributions:
		return h.listDistributions(rq)
	case opCreateInvalidation:
		return h.createInvalidation(rq)
	case opGetInvalidation:
		return h.getInvalidation(rq)
	case opListInvalidations:
		return h.listInvalidations(rq)
	}
	if resp, err, ok := h.servePolicy(o, rq); ok {
		return resp, err
	}
	switch o {
	case opTagResource:
		return h.tagResource(rq)
	case opUntagResource:
		return h.untagResource(rq)
	case opListTagsForResource:
		return h.listTagsForResource(rq)
	}
	return nil, fmt.Errorf("%w: %s %s", errUnsupported, r.Method, r.URL.Path)
}

// ifMatch is the If-Match header; CloudFront's ETags are bare, but a quoted one is accepted.
func (rq *request) ifMatch() string {
	return strings.Trim(strings.TrimSpace(rq.r.Header.Get("If-Match")), `"`)
}

// writeXML writes doc with its XML declaration.
func writeXML(w http.ResponseWriter, status int, doc any) {
	b, err := xml.Marshal(doc)
	if err != nil {
		// Only this package's fixed types are marshalled: this cannot happen.
		panic(err)
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(b)
}

// newRequestID returns a UUID-shaped id like CloudFront's x-amz-request-id.
func newRequestID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
