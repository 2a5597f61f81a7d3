package distrib

// Key layout of origin access controls.
const (
	oacPrefix     = "oac/"      // oac/<id> -> JSON OAC
	oacNamePrefix = "oac-name/" // oac-name/<Name> -> id
)

// CreateOAC creates an origin access control. Names are unique (ErrOACAlreadyExists); unlike
// OAIs there is no CallerReference, so a retried create fails rather than duplicating
// (API_CreateOriginAccessControl.html).
func (s *Service) CreateOAC(cfg OACConfig) (OAC, error) {
	if err := cfg.Validate(); err != nil {
		return OAC{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, taken, err := s.getString(oacNamePrefix + cfg.Name); err != nil || taken {
		if err == nil {
			err = ErrOACAlreadyExists
		}
		return OAC{}, err
	}
	n, err := s.count(oacPrefix)
	if err != nil {
		return OAC{}, err
	}
	if n >= s.cfg.MaxOACs {
		return OAC{}, ErrTooManyOACs
	}
	id, err := s.freshID(oacPrefix)
	if err != nil {
		return OAC{}, err
	}
	o := OAC{ID: id, Config: cfg, ETag: newID()}
	var w Writes
	w.Set([]byte(oacPrefix+id), mustJSON(o))
	w.Set([]byte(oacNamePrefix+cfg.Name), []byte(id))
	if err := s.applyChange(&w); err != nil {
		return OAC{}, err
	}
	return o, nil
}

// GetOAC returns the control with id, or ErrNoSuchOAC.
func (s *Service) GetOAC(id string) (OAC, error) {
	if !validID(id) {
		return OAC{}, ErrNoSuchOAC
	}
	var o OAC
	err := s.getJSON(oacPrefix+id, &o, ErrNoSuchOAC)
	return o, err
}

// UpdateOAC replaces the config of a control whose current ETag is ifMatch. A new name must
// be free (ErrOACAlreadyExists).
func (s *Service) UpdateOAC(id, ifMatch string, cfg OACConfig) (OAC, error) {
	if err := cfg.Validate(); err != nil {
		return OAC{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.GetOAC(id)
	if err != nil {
		return OAC{}, err
	}
	if err := checkIfMatch(ifMatch, o.ETag); err != nil {
		return OAC{}, err
	}
	var w Writes
	if cfg.Name != o.Config.Name {
		if _, taken, err := s.getString(oacNamePrefix + cfg.Name); err != nil || taken {
			if err == nil {
				err = ErrOACAlreadyExists
			}
			return OAC{}, err
		}
		w.Delete([]byte(oacNamePrefix + o.Config.Name))
		w.Set([]byte(oacNamePrefix+cfg.Name), []byte(id))
	}
	o.Config, o.ETag = cfg, newID()
	w.Set([]byte(oacPrefix+id), mustJSON(o))
	if err := s.applyChange(&w); err != nil {
		return OAC{}, err
	}
	return o, nil
}

// DeleteOAC deletes a control whose current ETag is ifMatch, unless a distribution uses it.
func (s *Service) DeleteOAC(id, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.GetOAC(id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, o.ETag); err != nil {
		return err
	}
	used, err := s.inUse(oacUsePrefix, id)
	if err != nil {
		return err
	}
	if used || s.cfg.OACInUse != nil && s.cfg.OACInUse(id) {
		return ErrOACInUse
	}
	var w Writes
	w.Delete([]byte(oacPrefix + id))
	w.Delete([]byte(oacNamePrefix + o.Config.Name))
	return s.applyChange(&w)
}

// ListOACs returns one page of controls in id order.
func (s *Service) ListOACs(p Page) (List[OAC], error) {
	return list(s, oacPrefix, p, func(o OAC) string { return o.ID })
}
