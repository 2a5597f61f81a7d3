package originsapi

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
)

// Handler serves the origin endpoints API.
type Handler struct {
	cfg Config
	log *slog.Logger
}

var _ http.Handler = (*Handler)(nil)

// New returns the handler.
func New(cfg Config) (*Handler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, log: log}, nil
}

// response is an operation's answer: a status and an optional JSON body.
type response struct {
	status int
	body   any
}

// ServeHTTP verifies, authorizes, routes and answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, err := h.serve(r)
	if err != nil {
		e := errorFor(err)
		if e.status >= 500 {
			h.log.Error("origin endpoints", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		jsonapi.WriteError(w, e.status, e.body, err)
		return
	}
	if resp.body == nil {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(resp.status)
		return
	}
	jsonapi.WriteJSON(w, resp.status, resp.body)
}

func (h *Handler) serve(r *http.Request) (*response, error) {
	a, err := h.cfg.Verifier.Verify(r)
	if err != nil {
		return nil, err
	}
	switch p, ok := h.cfg.Principals.Principal(a.AccessKey); {
	case a.Anonymous:
		return nil, errAnonymous
	case a.Service != SigningService:
		return nil, errWrongService
	case !ok || !p.Root:
		return nil, errNotRoot
	}
	body, err := a.Body(r)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	if r.URL.Path == EndpointsPath {
		if r.Method != http.MethodGet {
			return nil, &jsonapi.MethodError{Allow: http.MethodGet}
		}
		list, err := h.cfg.Store.ListOriginEndpoints()
		if err != nil {
			return nil, err
		}
		return &response{http.StatusOK, listBody{Endpoints: list}}, nil
	}
	domain, ok := strings.CutPrefix(r.URL.Path, EndpointsPath+"/")
	if !ok || domain == "" || strings.Contains(domain, "/") {
		return nil, errNotFound
	}
	switch r.Method {
	case http.MethodPut:
		e, err := decodeEndpoint(body, domain)
		if err != nil {
			return nil, err
		}
		got, err := h.cfg.Store.PutOriginEndpoint(e)
		if err != nil {
			return nil, err
		}
		got.SecretAccessKey = "" // the store returns none; never echo one, whatever it does
		return &response{http.StatusOK, got}, nil
	case http.MethodDelete:
		if err := h.cfg.Store.DeleteOriginEndpoint(domain); err != nil {
			return nil, err
		}
		return &response{status: http.StatusNoContent}, nil
	}
	return nil, &jsonapi.MethodError{Allow: "PUT, DELETE"}
}

// decodeEndpoint reads a PUT body of at most MaxBodySize bytes; the domain is the path's (a
// body naming another one is refused rather than guessed at).
func decodeEndpoint(body io.Reader, domain string) (distrib.OriginEndpoint, error) {
	b, err := io.ReadAll(io.LimitReader(body, MaxBodySize+1))
	if err != nil {
		return distrib.OriginEndpoint{}, err
	}
	if len(b) > MaxBodySize {
		return distrib.OriginEndpoint{}, errTooLarge
	}
	var e distrib.OriginEndpoint
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return distrib.OriginEndpoint{}, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if e.Domain != "" && !strings.EqualFold(strings.TrimSuffix(e.Domain, "."), strings.TrimSuffix(domain, ".")) {
		return distrib.OriginEndpoint{}, distrib.InvalidArgument("domain", fmt.Sprintf("%q in the body differs from %q in the path", e.Domain, domain))
	}
	e.Domain = domain
	return e, nil
}
