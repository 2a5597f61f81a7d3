package distrib

import (
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/crypt"
)

// originEndpointPrefix keys the endpoints: origin-endpoint/<domain> -> JSON record.
const originEndpointPrefix = "origin-endpoint/"

// originSecretContext binds a sealed secret to its domain: a record copied under another
// domain fails to open (crypt's wrapping context).
const originSecretContext = "imgcdn origin endpoint secret\x00"

// originEndpointRecord is what is stored: the endpoint without its secret, and the secret
// sealed under a data key of its own, wrapped by the master key.
type originEndpointRecord struct {
	OriginEndpoint
	// WrappedKey is the marshaled crypt.WrappedKey; Sealed is crypt.Seal of the secret.
	WrappedKey []byte `json:"wrappedKey"`
	Sealed     []byte `json:"sealed"`
}

// PutOriginEndpoint registers e, replacing the endpoint of the same domain, and returns it as
// stored, without its secret. Edges see the change (the Version grows).
func (s *Service) PutOriginEndpoint(e OriginEndpoint) (OriginEndpoint, error) {
	e = e.Normalize()
	if err := e.Validate(); err != nil {
		return OriginEndpoint{}, err
	}
	if s.cfg.SecretKey == nil {
		return OriginEndpoint{}, ErrNoSecretKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := originEndpointPrefix + e.Domain
	if _, err := s.store.Get([]byte(key)); errors.Is(err, errNotFound) {
		n, err := s.count(originEndpointPrefix)
		if err != nil {
			return OriginEndpoint{}, err
		}
		if n >= MaxOriginEndpoints {
			return OriginEndpoint{}, ErrTooManyOriginEndpoints
		}
	} else if err != nil {
		return OriginEndpoint{}, err
	}
	dk, wk, err := s.cfg.SecretKey.NewDataKey([]byte(originSecretContext + e.Domain))
	if err != nil {
		return OriginEndpoint{}, err
	}
	rec := originEndpointRecord{OriginEndpoint: e}
	if rec.WrappedKey, err = wk.MarshalBinary(); err != nil {
		return OriginEndpoint{}, err
	}
	if rec.Sealed, err = crypt.Seal(nil, dk, []byte(e.SecretAccessKey)); err != nil {
		return OriginEndpoint{}, err
	}
	rec.SecretAccessKey, rec.LastModifiedTime = "", s.now()
	var w Writes
	w.Set([]byte(key), mustJSON(rec))
	if err := s.applyChange(&w); err != nil {
		return OriginEndpoint{}, err
	}
	return rec.OriginEndpoint, nil
}

// ListOriginEndpoints returns every endpoint in domain order, without secrets.
func (s *Service) ListOriginEndpoints() ([]OriginEndpoint, error) {
	out := []OriginEndpoint{}
	err := s.scanOriginEndpoints(func(r originEndpointRecord) error {
		out = append(out, r.OriginEndpoint)
		return nil
	})
	return out, err
}

// DeleteOriginEndpoint removes the endpoint of domain, unless a distribution's S3 origin
// names it (ErrOriginEndpointInUse): its fetches would silently go elsewhere.
func (s *Service) DeleteOriginEndpoint(domain string) error {
	domain = normalizeOriginDomain(domain)
	s.mu.Lock()
	defer s.mu.Unlock()
	key := originEndpointPrefix + domain
	if _, err := s.store.Get([]byte(key)); errors.Is(err, errNotFound) {
		return ErrNoSuchOriginEndpoint
	} else if err != nil {
		return err
	}
	used := false
	var decodeErr error
	err := s.store.Scan([]byte(distPrefix), nil, func(k, v []byte) bool {
		var d Distribution
		if d, decodeErr = decodeJSON[Distribution](v); decodeErr != nil {
			decodeErr = fmt.Errorf("%w (%q)", decodeErr, k)
			return false
		}
		used = originDomains(d)[domain]
		return !used
	})
	if err = errors.Join(err, decodeErr); err != nil {
		return err
	}
	if used {
		return ErrOriginEndpointInUse
	}
	var w Writes
	w.Delete([]byte(key))
	return s.applyChange(&w)
}

// originDomains returns the normalized DomainNames of d's S3 origins.
func originDomains(d Distribution) map[string]bool {
	m := map[string]bool{}
	for _, o := range d.Config.Origins {
		if o.S3 != nil {
			m[normalizeOriginDomain(o.DomainName)] = true
		}
	}
	return m
}

// referencedOriginEndpoints returns, with their secrets opened, the endpoints that ds's S3
// origins name, in domain order: only what the edges need leaves the control plane. Callers
// hold s.mu.
func (s *Service) referencedOriginEndpoints(ds []Distribution) ([]OriginEndpoint, error) {
	want := map[string]bool{}
	for _, d := range ds {
		for dom := range originDomains(d) {
			want[dom] = true
		}
	}
	out := []OriginEndpoint{}
	err := s.scanOriginEndpoints(func(r originEndpointRecord) error {
		if !want[r.Domain] {
			return nil
		}
		secret, err := s.openSecret(r)
		if err != nil {
			return err
		}
		e := r.OriginEndpoint
		e.SecretAccessKey = secret
		out = append(out, e)
		return nil
	})
	return out, err
}

// openSecret unseals a record's secret.
func (s *Service) openSecret(r originEndpointRecord) (string, error) {
	if s.cfg.SecretKey == nil {
		return "", fmt.Errorf("origin endpoint %s: %w", r.Domain, ErrNoSecretKey)
	}
	var wk crypt.WrappedKey
	if err := wk.UnmarshalBinary(r.WrappedKey); err != nil {
		return "", fmt.Errorf("distrib: origin endpoint %s: %w", r.Domain, err)
	}
	dk, err := s.cfg.SecretKey.Unwrap(wk, []byte(originSecretContext+r.Domain))
	if err != nil {
		return "", fmt.Errorf("distrib: origin endpoint %s: %w", r.Domain, err)
	}
	b, err := crypt.Open(nil, dk, r.Sealed)
	if err != nil {
		return "", fmt.Errorf("distrib: origin endpoint %s: %w", r.Domain, err)
	}
	return string(b), nil
}

// scanOriginEndpoints calls fn for every stored record in domain order, stopping at the
// first error.
func (s *Service) scanOriginEndpoints(fn func(originEndpointRecord) error) error {
	var fnErr error
	err := s.store.Scan([]byte(originEndpointPrefix), nil, func(k, v []byte) bool {
		var r originEndpointRecord
		if r, fnErr = decodeJSON[originEndpointRecord](v); fnErr != nil {
			fnErr = fmt.Errorf("%w (%q)", fnErr, k)
			return false
		}
		fnErr = fn(r)
		return fnErr == nil
	})
	return errors.Join(err, fnErr)
}
