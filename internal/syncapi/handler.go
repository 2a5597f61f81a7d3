package syncapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
)

// Paths of the endpoint (follow's).
const (
	StatePath   = follow.StatePath
	AppliedPath = follow.AppliedPath
	LeavePath   = follow.LeavePath
)

// Handler serves the edge sync endpoint.
type Handler struct {
	cfg Config
	log *slog.Logger
	// closing ends every long poll when Close is called: http.Server.Shutdown waits for
	// active requests, and a poll may otherwise hold it for MaxWait.
	closing context.Context
	close   context.CancelFunc
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
	closing, cancel := context.WithCancel(context.Background())
	return &Handler{cfg: cfg, log: log, closing: closing, close: cancel}, nil
}

// Close ends the long polls in flight (they answer 503, and edges retry elsewhere or later)
// and refuses new requests. Call it before http.Server.Shutdown, e.g. with
// srv.RegisterOnShutdown(func() { h.Close() }). It is safe to call more than once.
func (h *Handler) Close() error {
	h.close()
	return nil
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
		if e.status >= 500 && e.status != http.StatusServiceUnavailable {
			h.log.Error("edge sync", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		jsonapi.WriteError(w, e.status, e.body, err)
		return
	}
	if resp.body == nil {
		w.WriteHeader(resp.status)
		return
	}
	jsonapi.WriteJSON(w, resp.status, resp.body)
}

func (h *Handler) serve(r *http.Request) (*response, error) {
	if h.closing.Err() != nil {
		return nil, errShuttingDown
	}
	a, err := h.cfg.Verifier.Verify(r)
	if err != nil {
		return nil, err
	}
	switch p, ok := h.cfg.Principals.Principal(a.AccessKey); {
	case a.Anonymous:
		return nil, errAnonymous
	case a.Service != SigningService:
		return nil, errWrongService
	case !ok || !p.Edge:
		return nil, errNotEdge
	}
	body, err := a.Body(r)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	switch r.URL.Path {
	case StatePath:
		if r.Method != http.MethodGet {
			return nil, &jsonapi.MethodError{Allow: http.MethodGet}
		}
		return h.state(r)
	case AppliedPath:
		if r.Method != http.MethodPost {
			return nil, &jsonapi.MethodError{Allow: http.MethodPost}
		}
		return h.applied(r.Context(), body)
	case LeavePath:
		if r.Method != http.MethodPost {
			return nil, &jsonapi.MethodError{Allow: http.MethodPost}
		}
		return h.leave(body)
	}
	return nil, errNotFound
}

// state answers GET state: at once when the edge is behind, else after a change or the wait.
func (h *Handler) state(r *http.Request) (*response, error) {
	q, err := parseStateQuery(r.URL.RawQuery)
	if err != nil {
		return nil, err
	}
	src, err := follow.NewLocal(h.cfg.Service, q.node)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), q.wait)
	defer cancel()
	defer context.AfterFunc(h.closing, cancel)()
	u, err := src.Wait(ctx, q.after, q.since)
	switch {
	case err == nil:
		return &response{http.StatusOK, u}, nil
	case h.closing.Err() != nil:
		return nil, errShuttingDown
	case errors.Is(err, context.DeadlineExceeded) && r.Context().Err() == nil:
		// Nothing changed while the edge waited: it asks again with the same after.
		return &response{status: http.StatusNoContent}, nil
	}
	return nil, err
}

// stateQuery is the parsed query of GET state.
type stateQuery struct {
	node         string
	after, since int64
	wait         time.Duration
}

// parseStateQuery reads node (required), after and since (default -1: no state, no
// invalidations) and wait (seconds, default 0, capped at MaxWait).
func parseStateQuery(raw string) (stateQuery, error) {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return stateQuery{}, distrib.InvalidArgument("query", "is not a valid query string")
	}
	q := stateQuery{node: v.Get("node")}
	if !distrib.ValidNode(q.node) {
		return stateQuery{}, distrib.InvalidArgument("node", "must be 1 to 128 letters, digits, '-', '_' or '.'")
	}
	num := func(name string, def, min int64) (int64, error) {
		s := v.Get(name)
		if s == "" {
			return def, nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < min {
			return 0, distrib.InvalidArgument(name, fmt.Sprintf("must be an integer of at least %d", min))
		}
		return n, nil
	}
	if q.after, err = num("after", -1, -1); err != nil {
		return stateQuery{}, err
	}
	if q.since, err = num("since", -1, -1); err != nil {
		return stateQuery{}, err
	}
	wait, err := num("wait", 0, 0)
	if err != nil {
		return stateQuery{}, err
	}
	q.wait = time.Duration(min(wait, int64(MaxWait/time.Second))) * time.Second
	return q, nil
}

// applied answers POST applied.
func (h *Handler) applied(ctx context.Context, body io.Reader) (*response, error) {
	rep, err := decodeReport(body)
	if err != nil {
		return nil, err
	}
	src, err := follow.NewLocal(h.cfg.Service, rep.Node)
	if err != nil {
		return nil, err
	}
	if err := src.Report(ctx, rep.Applied); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

// leave answers POST leave: the node is unregistered (a node never seen is fine).
func (h *Handler) leave(body io.Reader) (*response, error) {
	rep, err := decodeReport(body)
	if err != nil {
		return nil, err
	}
	if err := h.cfg.Service.UnregisterEdge(rep.Node); err != nil {
		return nil, err
	}
	return &response{status: http.StatusNoContent}, nil
}

// decodeReport reads and checks a POST applied body of at most MaxBodySize bytes.
func decodeReport(body io.Reader) (follow.Report, error) {
	b, err := io.ReadAll(io.LimitReader(body, MaxBodySize+1))
	if err != nil {
		return follow.Report{}, err
	}
	if len(b) > MaxBodySize {
		return follow.Report{}, errTooLarge
	}
	var rep follow.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return follow.Report{}, fmt.Errorf("%w: %v", errMalformed, err)
	}
	if !distrib.ValidNode(rep.Node) {
		return follow.Report{}, distrib.InvalidArgument("node", "must be 1 to 128 letters, digits, '-', '_' or '.'")
	}
	if rep.InvalidationSeq < 0 {
		return follow.Report{}, distrib.InvalidArgument("invalidationSeq", "must not be negative")
	}
	for id, v := range rep.Distributions {
		if v < 1 {
			return follow.Report{}, distrib.InvalidArgument("distributions", fmt.Sprintf("the version of %.64q must be at least 1", id))
		}
	}
	return rep, nil
}
