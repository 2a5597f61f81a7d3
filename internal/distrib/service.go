package distrib

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/imgcdn/imgcdn/internal/crypt"
)

// Config configures a Service.
type Config struct {
	// Dir is the directory of the control plane's own pebble database, created if missing.
	// Required. It is separate from the object store so that either can be rebuilt alone.
	Dir string
	// MaxOAIs is how many origin access identities may exist; CloudFront's default quota is
	// 100 (cloudfront-limits.html). 0 means 100.
	MaxOAIs int
	// MaxOACs is how many origin access controls may exist; CloudFront's default quota is 100.
	// 0 means 100.
	MaxOACs int
	// MaxDistributions is how many distributions may exist; CloudFront's default quota is
	// 500. 0 means 500.
	MaxDistributions int
	// OAIInUse reports whether something other than this Service's distributions uses the
	// identity; DeleteOAI refuses it then (CloudFrontOriginAccessIdentityInUse), as it does
	// when a distribution names it. Nil means nothing else. It is called with the Service's
	// lock held and must not call back into the Service.
	OAIInUse func(id string) bool
	// OACInUse is OAIInUse for origin access controls (OriginAccessControlInUse).
	OACInUse func(id string) bool
	// SecretKey seals the secrets of origin endpoints at rest (origins_store.go): the
	// installation's master key. Nil: PutOriginEndpoint fails with ErrNoSecretKey.
	SecretKey *crypt.MasterKey
	// AccountID is the 12-digit account the control plane belongs to; EdgeState carries it so
	// that edges build distribution ARNs (aws:SourceArn of origin access control) as the API does.
	AccountID string
	// Now returns the current time for LastModifiedTime; nil means time.Now.
	Now func() time.Time
	// Logger receives the store's messages; nil discards them.
	Logger *slog.Logger
}

// DefaultMaxItems is CloudFront's quota for both OAIs and OACs, and the default page size of
// its list calls.
const DefaultMaxItems = 100

// NewDefaultConfig returns a Config with the defaults filled in; Dir is still required.
func NewDefaultConfig() Config {
	return Config{MaxOAIs: DefaultMaxItems, MaxOACs: DefaultMaxItems, MaxDistributions: DefaultMaxDistributions}
}

// Validate reports a Config that cannot work.
func (c Config) Validate() error {
	if c.Dir == "" {
		return errors.New("distrib: Config.Dir is required")
	}
	if c.MaxOAIs < 0 || c.MaxOACs < 0 || c.MaxDistributions < 0 {
		return errors.New("distrib: MaxOAIs, MaxOACs and MaxDistributions must not be negative")
	}
	return nil
}

// Service is the control plane's state. All mutations run under one lock, so that the
// read-check-write of an If-Match, a CallerReference or a unique name is atomic; reads go
// straight to the store, whose Apply is atomic.
type Service struct {
	cfg   Config
	store Store
	mu    sync.Mutex
	feed  changeFeed // wakes WaitChange on every change edges must see (state.go)

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the Service's database in cfg.Dir.
func Open(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("distrib: %w", err)
	}
	st, err := openPebble(cfg.Dir, cfg.Logger)
	if err != nil {
		return nil, err
	}
	return New(cfg, st), nil
}

// New returns a Service over an already open store, which it owns from then on.
func New(cfg Config, st Store) *Service {
	if cfg.MaxOAIs == 0 {
		cfg.MaxOAIs = DefaultMaxItems
	}
	if cfg.MaxOACs == 0 {
		cfg.MaxOACs = DefaultMaxItems
	}
	if cfg.MaxDistributions == 0 {
		cfg.MaxDistributions = DefaultMaxDistributions
	}
	return &Service{cfg: cfg, store: st}
}

// Close closes the store once it is idle; later calls return the first result. Other calls
// after Close fail.
func (s *Service) Close() error {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.feed.close()
		s.closeErr = s.store.Close()
	})
	return s.closeErr
}

// getJSON reads the record at key into v; it returns notFound when there is none.
func (s *Service) getJSON(key string, v any, notFound error) error {
	b, err := s.store.Get([]byte(key))
	if errors.Is(err, errNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("distrib: corrupt record %q: %w", key, err)
	}
	return nil
}

// getString reads a plain index value; ok is false when there is none.
func (s *Service) getString(key string) (string, bool, error) {
	b, err := s.store.Get([]byte(key))
	if errors.Is(err, errNotFound) {
		return "", false, nil
	}
	return string(b), err == nil, err
}

// count returns how many keys start with prefix.
func (s *Service) count(prefix string) (int, error) {
	n := 0
	err := s.store.Scan([]byte(prefix), nil, func(_, _ []byte) bool { n++; return true })
	return n, err
}

// list returns one page of the JSON records under prefix, whose keys are prefix + id.
func list[T any](s *Service, prefix string, p Page, id func(T) string) (List[T], error) {
	if p.MaxItems <= 0 {
		p.MaxItems = DefaultMaxItems
	}
	var out List[T]
	var after []byte
	if p.Marker != "" {
		after = []byte(prefix + p.Marker)
	}
	var decodeErr error
	err := s.store.Scan([]byte(prefix), after, func(k, v []byte) bool {
		if len(out.Items) == p.MaxItems {
			out.IsTruncated = true
			return false
		}
		var item T
		if decodeErr = json.Unmarshal(v, &item); decodeErr != nil {
			decodeErr = fmt.Errorf("distrib: corrupt record %q: %w", k, decodeErr)
			return false
		}
		out.Items = append(out.Items, item)
		return true
	})
	if err = errors.Join(err, decodeErr); err != nil {
		return List[T]{}, err
	}
	if out.IsTruncated {
		out.NextMarker = id(out.Items[len(out.Items)-1])
	}
	return out, nil
}

// checkIfMatch is the If-Match rule of every CloudFront update and delete: required, and equal
// to the current ETag (API_UpdateCloudFrontOriginAccessIdentity.html).
func checkIfMatch(ifMatch, etag string) error {
	switch {
	case ifMatch == "":
		return ErrMissingIfMatch
	case ifMatch != etag:
		return ErrPreconditionFailed
	}
	return nil
}

// decodeJSON decodes one record.
func decodeJSON[T any](b []byte) (T, error) {
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("distrib: corrupt record: %w", err)
	}
	return v, nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain strings are marshalled: this cannot happen.
		panic(err)
	}
	return b
}
