package distrib

import (
	"github.com/imgcdn/imgcdn/internal/auth"
)

// Key layout of origin access identities.
const (
	oaiPrefix    = "oai/"     // oai/<id> -> JSON OAI
	oaiRefPrefix = "oai-ref/" // oai-ref/<CallerReference> -> id
)

// CreateOAI creates an origin access identity. A CallerReference already used with the same
// config returns the existing identity (created is false); with another config it fails with
// ErrOAIAlreadyExists (API_CreateCloudFrontOriginAccessIdentity.html).
func (s *Service) CreateOAI(cfg OAIConfig) (_ OAI, created bool, _ error) {
	if err := cfg.Validate(); err != nil {
		return OAI{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok, err := s.getString(oaiRefPrefix + cfg.CallerReference)
	if err != nil {
		return OAI{}, false, err
	}
	if ok {
		o, err := s.getOAI(id)
		if err != nil {
			return OAI{}, false, err
		}
		if o.Config != cfg {
			return OAI{}, false, ErrOAIAlreadyExists
		}
		return o, false, nil
	}
	n, err := s.count(oaiPrefix)
	if err != nil {
		return OAI{}, false, err
	}
	if n >= s.cfg.MaxOAIs {
		return OAI{}, false, ErrTooManyOAIs
	}
	id, err = s.freshID(oaiPrefix)
	if err != nil {
		return OAI{}, false, err
	}
	o := OAI{ID: id, S3CanonicalUserID: auth.OAICanonicalID(id), Config: cfg, ETag: newID()}
	var w Writes
	w.Set([]byte(oaiPrefix+id), mustJSON(o))
	w.Set([]byte(oaiRefPrefix+cfg.CallerReference), []byte(id))
	if err := s.applyChange(&w); err != nil {
		return OAI{}, false, err
	}
	return o, true, nil
}

// GetOAI returns the identity with id, or ErrNoSuchOAI.
func (s *Service) GetOAI(id string) (OAI, error) { return s.getOAI(id) }

func (s *Service) getOAI(id string) (OAI, error) {
	if !validID(id) {
		return OAI{}, ErrNoSuchOAI
	}
	var o OAI
	err := s.getJSON(oaiPrefix+id, &o, ErrNoSuchOAI)
	return o, err
}

// UpdateOAI replaces the comment of an identity whose current ETag is ifMatch. The
// CallerReference cannot change (ErrIllegalUpdate).
func (s *Service) UpdateOAI(id, ifMatch string, cfg OAIConfig) (OAI, error) {
	if err := cfg.Validate(); err != nil {
		return OAI{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.getOAI(id)
	if err != nil {
		return OAI{}, err
	}
	if err := checkIfMatch(ifMatch, o.ETag); err != nil {
		return OAI{}, err
	}
	if cfg.CallerReference != o.Config.CallerReference {
		return OAI{}, ErrIllegalUpdate
	}
	o.Config, o.ETag = cfg, newID()
	var w Writes
	w.Set([]byte(oaiPrefix+id), mustJSON(o))
	if err := s.applyChange(&w); err != nil {
		return OAI{}, err
	}
	return o, nil
}

// DeleteOAI deletes an identity whose current ETag is ifMatch, unless a distribution uses it.
func (s *Service) DeleteOAI(id, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.getOAI(id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, o.ETag); err != nil {
		return err
	}
	used, err := s.inUse(oaiUsePrefix, id)
	if err != nil {
		return err
	}
	if used || s.cfg.OAIInUse != nil && s.cfg.OAIInUse(id) {
		return ErrOAIInUse
	}
	var w Writes
	w.Delete([]byte(oaiPrefix + id))
	w.Delete([]byte(oaiRefPrefix + o.Config.CallerReference))
	return s.applyChange(&w)
}

// ListOAIs returns one page of identities in id order.
func (s *Service) ListOAIs(p Page) (List[OAI], error) {
	return list(s, oaiPrefix, p, func(o OAI) string { return o.ID })
}

// freshID returns a new id not yet used under prefix.
func (s *Service) freshID(prefix string) (string, error) {
	for {
		id := newID()
		_, err := s.store.Get([]byte(prefix + id))
		if err == nil {
			continue
		}
		if isNotFound(err) {
			return id, nil
		}
		return "", err
	}
}
