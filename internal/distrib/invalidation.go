package distrib

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Invalidation limits (cloudfront-limits.html, "Invalidations"): 3,000 paths in progress at
// a time per distribution, of which at most 15 may end in a wildcard.
const (
	MaxInvalidationPaths         = 3000
	MaxWildcardPathsInProgress   = 15
	MaxInvalidationPathLen       = 4096
	InvalidationStatusInProgress = "InProgress"
	InvalidationStatusCompleted  = "Completed"
)

// Sentinel errors of invalidations.
var (
	// ErrNoSuchInvalidation: 404 NoSuchInvalidation.
	ErrNoSuchInvalidation = errors.New("distrib: the specified invalidation does not exist")
	// ErrInvalidationAlreadyExists: a CallerReference reused with other paths
	// (409 InvalidationBatchAlreadyExists).
	ErrInvalidationAlreadyExists = errors.New("distrib: the caller reference is already used by an invalidation with other paths")
	// ErrBatchTooLarge: more than 3,000 paths in one batch (413 BatchTooLarge).
	ErrBatchTooLarge = errors.New("distrib: an invalidation batch has at most 3000 paths")
	// ErrTooManyInvalidationsInProgress: the batch would put more than 3,000 paths, or 15
	// wildcard paths, in progress (400 TooManyInvalidationsInProgress).
	ErrTooManyInvalidationsInProgress = errors.New("distrib: too many invalidation paths in progress (3000, of which 15 wildcards); wait for some to complete")
)

// Invalidation is a batch of paths to remove from every edge's cache.
type Invalidation struct {
	ID              string    `json:"id"`
	DistributionID  string    `json:"distributionId"`
	CallerReference string    `json:"callerReference"`
	Paths           []string  `json:"paths"`
	CreateTime      time.Time `json:"createTime"`
	// Seq orders every invalidation of the Service; edges apply them in Seq order and report
	// the highest they have applied with MarkInvalidationsApplied.
	Seq int64 `json:"seq"`
	// Status is worked out on every read (not stored).
	Status string `json:"-"`
}

// Key layout. inv/<distribution>/<rev> orders a distribution's invalidations newest first
// (rev is MaxInt64-Seq, zero-padded), the order ListInvalidations answers in.
const (
	invPrefix     = "inv/"      // inv/<dist>/<rev> -> JSON Invalidation
	invIDPrefix   = "inv-id/"   // inv-id/<dist>/<id> -> rev
	invRefPrefix  = "inv-ref/"  // inv-ref/<dist>/<CallerReference> -> id
	invSeqKey     = "inv-seq"   // the last Seq issued
	edgeInvPrefix = "edge-inv/" // edge-inv/<node> -> highest Seq applied
)

func revKey(seq int64) string { return fmt.Sprintf("%019d", int64(1<<63-1)-seq) }

// validatePaths applies CreateInvalidation's rules (API_InvalidationBatch.html): each path
// starts with /, and * may only be the last character.
func validatePaths(paths []string) error {
	if len(paths) == 0 {
		return InvalidArgument("Paths", "must list at least one path")
	}
	if len(paths) > MaxInvalidationPaths {
		return ErrBatchTooLarge
	}
	for _, p := range paths {
		switch {
		case !strings.HasPrefix(p, "/"):
			return InvalidArgument("Paths", fmt.Sprintf("%q must start with /", p))
		case strings.Contains(strings.TrimSuffix(p, "*"), "*"):
			return InvalidArgument("Paths", fmt.Sprintf("%q may contain * only as its last character", p))
		case len(p) > MaxInvalidationPathLen:
			return InvalidArgument("Paths", "a path is longer than 4096 characters")
		}
		if err := checkText("Paths", p, MaxInvalidationPathLen); err != nil {
			return err
		}
	}
	return nil
}

// CreateInvalidation records an invalidation of paths on distribution id. A CallerReference
// already used on the distribution returns the existing invalidation when the paths are the
// same (created is false), ErrInvalidationAlreadyExists when not
// (API_CreateInvalidation.html).
func (s *Service) CreateInvalidation(distID, callerRef string, paths []string) (_ Invalidation, created bool, _ error) {
	if callerRef == "" {
		return Invalidation{}, false, InvalidArgument("CallerReference", "is required")
	}
	if err := checkText("CallerReference", callerRef, MaxCallerReferenceLen); err != nil {
		return Invalidation{}, false, err
	}
	if err := validatePaths(paths); err != nil {
		return Invalidation{}, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getDistribution(distID); err != nil {
		return Invalidation{}, false, err
	}
	if id, ok, err := s.getString(invRefPrefix + distID + "/" + callerRef); err != nil || ok {
		if err != nil {
			return Invalidation{}, false, err
		}
		inv, err := s.getInvalidation(distID, id)
		if err != nil {
			return Invalidation{}, false, err
		}
		if !slices.Equal(inv.Paths, paths) {
			return Invalidation{}, false, ErrInvalidationAlreadyExists
		}
		return inv, false, nil
	}
	if err := s.checkInProgress(distID, paths); err != nil {
		return Invalidation{}, false, err
	}
	last, _, err := s.getString(invSeqKey)
	if err != nil {
		return Invalidation{}, false, err
	}
	seq, _ := strconv.ParseInt(last, 10, 64)
	seq++
	inv := Invalidation{ID: "I" + newID()[1:], DistributionID: distID, CallerReference: callerRef,
		Paths: paths, CreateTime: s.now(), Seq: seq}
	rev := revKey(seq)
	var w Writes
	w.Set([]byte(invSeqKey), []byte(strconv.FormatInt(seq, 10)))
	w.Set([]byte(invPrefix+distID+"/"+rev), mustJSON(inv))
	w.Set([]byte(invIDPrefix+distID+"/"+inv.ID), []byte(rev))
	w.Set([]byte(invRefPrefix+distID+"/"+callerRef), []byte(inv.ID))
	w.Set([]byte(invOrderKey(seq)), []byte(distID+"/"+rev))
	if err := s.applyChange(&w); err != nil {
		return Invalidation{}, false, err
	}
	inv, err = s.invalidationStatus(inv)
	return inv, err == nil, err
}

// checkInProgress refuses a batch that would put more than the allowed paths in progress.
func (s *Service) checkInProgress(distID string, paths []string) error {
	total, wild := len(paths), 0
	for _, p := range paths {
		if strings.HasSuffix(p, "*") {
			wild++
		}
	}
	var scanErr error
	err := s.store.Scan([]byte(invPrefix+distID+"/"), nil, func(_, v []byte) bool {
		inv, err := decodeJSON[Invalidation](v)
		if err == nil {
			inv, err = s.invalidationStatus(inv)
		}
		if scanErr = err; err != nil {
			return false
		}
		if inv.Status == InvalidationStatusInProgress {
			total += len(inv.Paths)
			for _, p := range inv.Paths {
				if strings.HasSuffix(p, "*") {
					wild++
				}
			}
		}
		return true
	})
	if err = errors.Join(err, scanErr); err != nil {
		return err
	}
	if total > MaxInvalidationPaths || wild > MaxWildcardPathsInProgress {
		return ErrTooManyInvalidationsInProgress
	}
	return nil
}

// GetInvalidation returns invalidation id of distribution distID with its Status.
func (s *Service) GetInvalidation(distID, id string) (Invalidation, error) {
	if _, err := s.getDistribution(distID); err != nil {
		return Invalidation{}, err
	}
	inv, err := s.getInvalidation(distID, id)
	if err != nil {
		return Invalidation{}, err
	}
	return s.invalidationStatus(inv)
}

func (s *Service) getInvalidation(distID, id string) (Invalidation, error) {
	if !validID(id) {
		return Invalidation{}, ErrNoSuchInvalidation
	}
	rev, ok, err := s.getString(invIDPrefix + distID + "/" + id)
	if err != nil || !ok {
		if err == nil {
			err = ErrNoSuchInvalidation
		}
		return Invalidation{}, err
	}
	var inv Invalidation
	err = s.getJSON(invPrefix+distID+"/"+rev, &inv, ErrNoSuchInvalidation)
	return inv, err
}

// ListInvalidations returns one page of a distribution's invalidations, newest first. The
// Marker is the NextMarker of the previous page.
func (s *Service) ListInvalidations(distID string, p Page) (List[Invalidation], error) {
	if _, err := s.getDistribution(distID); err != nil {
		return List[Invalidation]{}, err
	}
	l, err := list(s, invPrefix+distID+"/", p, func(i Invalidation) string { return revKey(i.Seq) })
	if err != nil {
		return List[Invalidation]{}, err
	}
	for i := range l.Items {
		if l.Items[i], err = s.invalidationStatus(l.Items[i]); err != nil {
			return List[Invalidation]{}, err
		}
	}
	return l, nil
}

// InProgressInvalidations counts a distribution's invalidations still InProgress, for
// Distribution.InProgressInvalidationBatches.
func (s *Service) InProgressInvalidations(distID string) (int, error) {
	n := 0
	var scanErr error
	err := s.store.Scan([]byte(invPrefix+distID+"/"), nil, func(_, v []byte) bool {
		inv, err := decodeJSON[Invalidation](v)
		if err == nil {
			inv, err = s.invalidationStatus(inv)
		}
		if scanErr = err; err != nil {
			return false
		}
		if inv.Status == InvalidationStatusInProgress {
			n++
		}
		return true
	})
	return n, errors.Join(err, scanErr)
}

// MarkInvalidationsApplied records that node has applied every invalidation up to seq.
// Edges apply invalidations in Seq order, so one watermark per node is enough.
func (s *Service) MarkInvalidationsApplied(node string, seq int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.requireEdge(node); err != nil {
		return err
	}
	return s.raiseWatermark(edgeInvPrefix+node, seq)
}

// invalidationStatus is Completed once every registered edge has applied inv; with no edge
// registered, at once (the rule of withStatus).
func (s *Service) invalidationStatus(inv Invalidation) (Invalidation, error) {
	done, err := s.allEdgesReached(func(node string) string { return edgeInvPrefix + node }, inv.Seq)
	if err != nil {
		return Invalidation{}, err
	}
	inv.Status = InvalidationStatusInProgress
	if done {
		inv.Status = InvalidationStatusCompleted
	}
	return inv, nil
}
