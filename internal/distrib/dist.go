package distrib

import (
	"crypto/rand"
	"errors"
	"reflect"
	"strings"
	"time"
)

// Key layout of distributions. The index keys make the uniqueness and in-use checks single
// reads, and are written in the same atomic batch as the record they index.
const (
	distPrefix    = "dist/"     // dist/<id> -> JSON Distribution
	distRefPrefix = "dist-ref/" // dist-ref/<CallerReference> -> id
	aliasPrefix   = "alias/"    // alias/<lower-case CNAME> -> id
	hostPrefix    = "host/"     // host/<DomainLabel> -> id
	oaiUsePrefix  = "oai-use/"  // oai-use/<OAI id>/<distribution id> -> ""
	oacUsePrefix  = "oac-use/"  // oac-use/<OAC id>/<distribution id> -> ""
)

// DefaultMaxDistributions is CloudFront's default quota of distributions per account
// (cloudfront-limits.html).
const DefaultMaxDistributions = 500

// CreateDistribution creates a distribution with tags (nil for none). A CallerReference
// already used with the same config returns the existing distribution (created is false);
// with another config it fails with ErrDistributionAlreadyExists (API_CreateDistribution.html).
func (s *Service) CreateDistribution(cfg DistributionConfig, tags []Tag) (_ Distribution, created bool, _ error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return Distribution{}, false, err
	}
	if err := checkTags(tags); err != nil {
		return Distribution{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok, err := s.getString(distRefPrefix + cfg.CallerReference)
	if err != nil {
		return Distribution{}, false, err
	}
	if ok {
		d, err := s.getDistribution(id)
		if err != nil {
			return Distribution{}, false, err
		}
		if !reflect.DeepEqual(d.Config, cfg) {
			return Distribution{}, false, ErrDistributionAlreadyExists
		}
		return d, false, nil
	}
	n, err := s.count(distPrefix)
	if err != nil {
		return Distribution{}, false, err
	}
	if n >= s.cfg.MaxDistributions {
		return Distribution{}, false, ErrTooManyDistributions
	}
	if err := s.checkReferences("", &cfg); err != nil {
		return Distribution{}, false, err
	}
	if id, err = s.freshID(distPrefix); err != nil {
		return Distribution{}, false, err
	}
	label, err := s.freshLabel()
	if err != nil {
		return Distribution{}, false, err
	}
	d := Distribution{ID: id, DomainLabel: label, Config: cfg, ETag: newID(), Version: 1, LastModified: s.now(), Tags: tags}
	var w Writes
	w.Set([]byte(distRefPrefix+cfg.CallerReference), []byte(id))
	w.Set([]byte(hostPrefix+label), []byte(id))
	indexWrites(&w, id, nil, &cfg)
	w.Set([]byte(distPrefix+id), mustJSON(d))
	if err := s.applyChange(&w); err != nil {
		return Distribution{}, false, err
	}
	d, err = s.withStatus(d)
	return d, err == nil, err
}

// GetDistribution returns the distribution with id and its current Status.
func (s *Service) GetDistribution(id string) (Distribution, error) {
	d, err := s.getDistribution(id)
	if err != nil {
		return Distribution{}, err
	}
	d, err = s.withStatus(d)
	return d, err
}

// UpdateDistribution replaces the whole config of a distribution whose current ETag is
// ifMatch (API_UpdateDistribution.html). The CallerReference cannot change.
func (s *Service) UpdateDistribution(id, ifMatch string, cfg DistributionConfig) (Distribution, error) {
	cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return Distribution{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.getDistribution(id)
	if err != nil {
		return Distribution{}, err
	}
	if err := checkIfMatch(ifMatch, d.ETag); err != nil {
		return Distribution{}, err
	}
	if cfg.CallerReference != d.Config.CallerReference {
		return Distribution{}, ErrIllegalUpdate
	}
	if err := s.checkReferences(id, &cfg); err != nil {
		return Distribution{}, err
	}
	old := d.Config
	d.Config, d.ETag, d.Version, d.LastModified = cfg, newID(), d.Version+1, s.now()
	var w Writes
	indexWrites(&w, id, &old, &cfg)
	w.Set([]byte(distPrefix+id), mustJSON(d))
	if err := s.applyChange(&w); err != nil {
		return Distribution{}, err
	}
	d, err = s.withStatus(d)
	return d, err
}

// DeleteDistribution deletes a distribution whose current ETag is ifMatch, once it is
// disabled and deployed (API_DeleteDistribution.html).
func (s *Service) DeleteDistribution(id, ifMatch string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.getDistribution(id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, d.ETag); err != nil {
		return err
	}
	if d, err = s.withStatus(d); err != nil {
		return err
	}
	if d.Config.Enabled || d.Status != StatusDeployed {
		return ErrDistributionNotDisabled
	}
	var w Writes
	indexWrites(&w, id, &d.Config, nil)
	w.Delete([]byte(distRefPrefix + d.Config.CallerReference))
	w.Delete([]byte(hostPrefix + d.DomainLabel))
	w.Delete([]byte(distPrefix + id))
	w.Delete([]byte(imageSettingsPrefix + id))
	if err := s.deleteApplied(&w, id); err != nil {
		return err
	}
	return s.applyChange(&w)
}

// ListDistributions returns one page of distributions in id order, with their Status.
func (s *Service) ListDistributions(p Page) (List[Distribution], error) {
	l, err := list(s, distPrefix, p, func(d Distribution) string { return d.ID })
	if err != nil {
		return List[Distribution]{}, err
	}
	for i := range l.Items {
		if l.Items[i], err = s.withStatus(l.Items[i]); err != nil {
			return List[Distribution]{}, err
		}
	}
	return l, nil
}

// DistributionByHost returns the distribution whose DomainLabel is label, for the edge's
// host -> distribution lookup.
func (s *Service) DistributionByHost(label string) (Distribution, error) {
	id, ok, err := s.getString(hostPrefix + strings.ToLower(label))
	if err != nil {
		return Distribution{}, err
	}
	if !ok {
		return Distribution{}, ErrNoSuchDistribution
	}
	return s.GetDistribution(id)
}

func (s *Service) getDistribution(id string) (Distribution, error) {
	if !validID(id) {
		return Distribution{}, ErrNoSuchDistribution
	}
	var d Distribution
	err := s.getJSON(distPrefix+id, &d, ErrNoSuchDistribution)
	return d, err
}

// checkReferences checks what a config names outside itself: OAIs, OACs, policies and
// functions must exist, and aliases must not belong to another distribution than self.
func (s *Service) checkReferences(self string, cfg *DistributionConfig) error {
	for _, o := range cfg.Origins {
		if o.S3 != nil && o.S3.OriginAccessIdentity != "" {
			if _, err := s.getOAI(strings.TrimPrefix(o.S3.OriginAccessIdentity, OAIPathPrefix)); err != nil {
				if errors.Is(err, ErrNoSuchOAI) {
					return ErrInvalidOAIRef
				}
				return err
			}
		}
		if o.OriginAccessControlID != "" {
			if _, err := s.GetOAC(o.OriginAccessControlID); err != nil {
				if errors.Is(err, ErrNoSuchOAC) {
					return ErrInvalidOACRef
				}
				return err
			}
		}
	}
	if err := s.checkPolicyReferences(cfg); err != nil {
		return err
	}
	if err := s.checkFunctionAssociations(cfg); err != nil {
		return err
	}
	for _, a := range cfg.Aliases {
		owner, ok, err := s.getString(aliasPrefix + strings.ToLower(a))
		if err != nil {
			return err
		}
		if ok && owner != self {
			return ErrCNAMEAlreadyExists
		}
	}
	return nil
}

// indexWrites removes the index keys of old and adds those of cfg (either may be nil).
// Deletes come first, so that a key in both survives.
func indexWrites(w *Writes, id string, old, cfg *DistributionConfig) {
	keys := func(c *DistributionConfig) []string {
		if c == nil {
			return nil
		}
		var ks []string
		for _, a := range c.Aliases {
			ks = append(ks, aliasPrefix+strings.ToLower(a))
		}
		for _, o := range c.Origins {
			if o.S3 != nil && o.S3.OriginAccessIdentity != "" {
				ks = append(ks, oaiUsePrefix+strings.TrimPrefix(o.S3.OriginAccessIdentity, OAIPathPrefix)+"/"+id)
			}
			if o.OriginAccessControlID != "" {
				ks = append(ks, oacUsePrefix+o.OriginAccessControlID+"/"+id)
			}
		}
		return append(ks, policyUseKeys(id, c)...)
	}
	for _, k := range keys(old) {
		w.Delete([]byte(k))
	}
	for _, k := range keys(cfg) {
		v := []byte{}
		if strings.HasPrefix(k, aliasPrefix) {
			v = []byte(id)
		}
		w.Set([]byte(k), v)
	}
}

// inUse reports whether any key starts with prefix + id + "/".
func (s *Service) inUse(prefix, id string) (bool, error) {
	used := false
	err := s.store.Scan([]byte(prefix+id+"/"), nil, func(_, _ []byte) bool { used = true; return false })
	return used, err
}

// labelAlphabet is what the first label of a distribution's domain name is made of.
const labelAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// freshLabel returns an unused "d" + 13 lower-case alphanumerics, the shape of CloudFront's
// d111111abcdef8.cloudfront.net.
func (s *Service) freshLabel() (string, error) {
	for {
		var b [13]byte
		rand.Read(b[:])
		l := []byte{'d'}
		for _, c := range b {
			l = append(l, labelAlphabet[int(c)%len(labelAlphabet)])
		}
		_, taken, err := s.getString(hostPrefix + string(l))
		if err != nil {
			return "", err
		}
		if !taken {
			return string(l), nil
		}
	}
}

func (s *Service) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now().UTC()
	}
	return time.Now().UTC().Truncate(time.Millisecond)
}
