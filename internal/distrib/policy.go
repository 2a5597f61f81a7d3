package distrib

import (
	"crypto/rand"
	"fmt"
	"slices"
)

// Every change goes through applyChange: a cache behavior may name the policy, and edges
// serve from its settings, so they must see the change like a distribution's.

// policyKind describes one of the three policy kinds to the generic code below: its key
// prefixes, its quota, AWS's managed policies of the kind, and the errors it answers with.
// CloudFront gives the three kinds the same operations and the same rules (names unique among
// custom and managed policies; managed ones read-only; If-Match on update and delete; delete
// refused while a cache behavior names the policy), so one implementation serves them all.
type policyKind[C any] struct {
	prefix     string // <prefix><id> -> JSON Policy[C]
	namePrefix string // <namePrefix><Name> -> id
	usePrefix  string // <usePrefix><policy id>/<distribution id> -> "", written with the distribution
	max        int
	managed    []Policy[C]
	name       func(*C) string
	// check normalizes a config in place, then validates it.
	check                            func(*C) error
	errNoSuch, errExists, errTooMany error
	errInUse                         error
}

// MaxPolicies is CloudFront's default quota of custom cache policies, of origin request
// policies and of response headers policies, each, per account (cloudfront-limits.html).
const MaxPolicies = 20

func (k *policyKind[C]) findManaged(id string) (Policy[C], bool) {
	for _, p := range k.managed {
		if p.ID == id {
			return p, true
		}
	}
	return Policy[C]{}, false
}

// getPolicy returns a managed or custom policy.
func getPolicy[C any](s *Service, k policyKind[C], id string) (Policy[C], error) {
	if p, ok := k.findManaged(id); ok {
		return p, nil
	}
	if !validPolicyID(id) {
		return Policy[C]{}, k.errNoSuch
	}
	var p Policy[C]
	err := s.getJSON(k.prefix+id, &p, k.errNoSuch)
	return p, err
}

// nameTaken reports whether name belongs to a managed policy or to a custom one other than
// self.
func nameTaken[C any](s *Service, k policyKind[C], name, self string) (bool, error) {
	for i := range k.managed {
		if k.name(&k.managed[i].Config) == name {
			return true, nil
		}
	}
	owner, ok, err := s.getString(k.namePrefix + name)
	return ok && owner != self, err
}

func createPolicy[C any](s *Service, k policyKind[C], cfg C) (Policy[C], error) {
	if err := k.check(&cfg); err != nil {
		return Policy[C]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name := k.name(&cfg)
	if taken, err := nameTaken(s, k, name, ""); err != nil || taken {
		if err == nil {
			err = k.errExists
		}
		return Policy[C]{}, err
	}
	n, err := s.count(k.prefix)
	if err != nil {
		return Policy[C]{}, err
	}
	if n >= k.max {
		return Policy[C]{}, k.errTooMany
	}
	p := Policy[C]{ID: newPolicyID(), Config: cfg, ETag: newID(), LastModified: s.now()}
	if _, found, err := s.getString(k.prefix + p.ID); err != nil || found {
		// A UUID collision is practically impossible; refuse rather than overwrite.
		return Policy[C]{}, fmt.Errorf("distrib: policy id %s is already used: %w", p.ID, err)
	}
	var w Writes
	w.Set([]byte(k.prefix+p.ID), mustJSON(p))
	w.Set([]byte(k.namePrefix+name), []byte(p.ID))
	if err := s.applyChange(&w); err != nil {
		return Policy[C]{}, err
	}
	return p, nil
}

func updatePolicy[C any](s *Service, k policyKind[C], id, ifMatch string, cfg C) (Policy[C], error) {
	if _, ok := k.findManaged(id); ok {
		return Policy[C]{}, ErrManagedPolicyUpdate
	}
	if err := k.check(&cfg); err != nil {
		return Policy[C]{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := getPolicy(s, k, id)
	if err != nil {
		return Policy[C]{}, err
	}
	if err := checkIfMatch(ifMatch, p.ETag); err != nil {
		return Policy[C]{}, err
	}
	var w Writes
	oldName, name := k.name(&p.Config), k.name(&cfg)
	if name != oldName {
		if taken, err := nameTaken(s, k, name, id); err != nil || taken {
			if err == nil {
				err = k.errExists
			}
			return Policy[C]{}, err
		}
		w.Delete([]byte(k.namePrefix + oldName))
		w.Set([]byte(k.namePrefix+name), []byte(id))
	}
	p.Config, p.ETag, p.LastModified = cfg, newID(), s.now()
	w.Set([]byte(k.prefix+id), mustJSON(p))
	if err := s.applyChange(&w); err != nil {
		return Policy[C]{}, err
	}
	return p, nil
}

func deletePolicy[C any](s *Service, k policyKind[C], id, ifMatch string) error {
	if _, ok := k.findManaged(id); ok {
		return ErrIllegalDelete
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := getPolicy(s, k, id)
	if err != nil {
		return err
	}
	if err := checkIfMatch(ifMatch, p.ETag); err != nil {
		return err
	}
	used, err := s.inUse(k.usePrefix, id)
	if err != nil {
		return err
	}
	if used {
		return k.errInUse
	}
	var w Writes
	w.Delete([]byte(k.prefix + id))
	w.Delete([]byte(k.namePrefix + k.name(&p.Config)))
	return s.applyChange(&w)
}

// listPolicies returns one page of the policies of type typ ("" for both, managed first, then
// custom ones in id order). Marker is the id of the last policy of the previous page; one
// that names no policy of the list is ErrNoSuch..., as CloudFront answers.
func listPolicies[C any](s *Service, k policyKind[C], typ string, p Page) (List[Policy[C]], error) {
	var all []Policy[C]
	switch typ {
	case "", PolicyTypeManaged, PolicyTypeCustom:
	default:
		return List[Policy[C]]{}, InvalidArgument("Type", fmt.Sprintf("must be managed or custom, not %q", typ))
	}
	if typ != PolicyTypeCustom {
		all = append(all, k.managed...)
	}
	if typ != PolicyTypeManaged {
		// Custom policies are bounded by the quota (MaxPolicies), so one scan is small.
		custom, err := list(s, k.prefix, Page{MaxItems: k.max + 1}, func(p Policy[C]) string { return p.ID })
		if err != nil {
			return List[Policy[C]]{}, err
		}
		all = append(all, custom.Items...)
	}
	if p.MaxItems <= 0 {
		p.MaxItems = DefaultMaxItems
	}
	start := 0
	if p.Marker != "" {
		i := slices.IndexFunc(all, func(x Policy[C]) bool { return x.ID == p.Marker })
		if i < 0 {
			return List[Policy[C]]{}, k.errNoSuch
		}
		start = i + 1
	}
	out := List[Policy[C]]{Items: all[start:]}
	if len(out.Items) > p.MaxItems {
		out.Items, out.IsTruncated = out.Items[:p.MaxItems], true
		out.NextMarker = out.Items[p.MaxItems-1].ID
	}
	return out, nil
}

// newPolicyID returns a random (version 4) UUID, the shape of CloudFront's policy ids.
func newPolicyID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// validPolicyID reports whether s has the shape of a UUID in lower-case hex. Ids come from
// URL paths and configs: anything else names no policy, and never reaches the store as a key.
func validPolicyID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}
