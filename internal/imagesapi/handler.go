package imagesapi

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/imaging"
	"github.com/imgcdn/imgcdn/internal/jsonapi"
)

// Handler serves the image settings API.
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
			h.log.Error("image settings", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		jsonapi.WriteError(w, e.status, e.body, err)
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
	if r.URL.Path == SettingsPath {
		if r.Method != http.MethodGet {
			return nil, &jsonapi.MethodError{Allow: http.MethodGet}
		}
		list, err := h.cfg.Store.ListImageSettings()
		if err != nil {
			return nil, err
		}
		return ok(listBody{Settings: list})
	}
	rest, found := strings.CutPrefix(r.URL.Path, SettingsPath+"/")
	id, sub, _ := strings.Cut(rest, "/")
	if !found || id == "" || strings.Contains(sub, "/") {
		return nil, errNotFound
	}
	switch sub {
	case "":
		return h.settings(r, body, id)
	case "secret":
		if r.Method != http.MethodGet {
			return nil, &jsonapi.MethodError{Allow: http.MethodGet}
		}
		secret, err := h.cfg.Store.ImageSigningSecret(id)
		if err != nil {
			return nil, err
		}
		return ok(secretBody{Secret: secret})
	case "sign":
		if r.Method != http.MethodPost {
			return nil, &jsonapi.MethodError{Allow: http.MethodPost}
		}
		var in urlBody
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		secret, err := h.cfg.Store.ImageSigningSecret(id)
		if err != nil {
			return nil, err
		}
		signed, err := imaging.SignURL(secret, in.URL)
		if err != nil {
			return nil, err
		}
		return ok(urlBody{URL: signed})
	}
	return nil, errNotFound
}

// settings answers GET and PUT of one distribution's settings.
func (h *Handler) settings(r *http.Request, body io.Reader, id string) (*response, error) {
	switch r.Method {
	case http.MethodGet:
		s, err := h.cfg.Store.GetImageSettings(id)
		if err != nil {
			return nil, err
		}
		s.SigningSecret = ""
		return ok(s)
	case http.MethodPut:
		var in SettingsBody
		if err := decode(body, &in); err != nil {
			return nil, err
		}
		rotate := r.URL.Query().Get("rotateSecret") == "true"
		s, err := h.cfg.Store.PutImageSettings(distrib.ImageSettings{DistributionID: id, RequireSigned: in.RequireSigned,
			AllowedWidths: in.AllowedWidths}, rotate)
		if err != nil {
			return nil, err
		}
		s.SigningSecret = "" // never echo one, whatever the store does
		return ok(s)
	}
	return nil, &jsonapi.MethodError{Allow: "GET, PUT"}
}

func ok(body any) (*response, error) { return &response{http.StatusOK, body}, nil }

// decode reads a JSON body of at most MaxBodySize bytes into v, refusing unknown fields.
func decode(body io.Reader, v any) error {
	b, err := io.ReadAll(io.LimitReader(body, MaxBodySize+1))
	if err != nil {
		return err
	}
	if len(b) > MaxBodySize {
		return errTooLarge
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	return nil
}
