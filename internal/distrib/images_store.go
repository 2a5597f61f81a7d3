package distrib

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/crypt"
)

// imageSettingsPrefix keys the settings: image-settings/<distribution id> -> JSON record.
// DeleteDistribution removes the record with the distribution.
const imageSettingsPrefix = "image-settings/"

// imageSecretContext binds a sealed signing secret to its distribution: a record copied under
// another id fails to open (crypt's wrapping context).
const imageSecretContext = "imgcdn image signing secret\x00"

// imageSettingsRecord is what is stored: the settings without their secret, and the secret
// sealed under a data key of its own, wrapped by the master key (as origin endpoints are).
type imageSettingsRecord struct {
	ImageSettings
	WrappedKey []byte `json:"wrappedKey"`
	Sealed     []byte `json:"sealed"`
}

// PutImageSettings replaces the image settings of an existing distribution and returns them
// as stored, without the secret. The signing secret is generated on the first put, so that
// URLs can be signed before signatures are required, and kept afterwards unless rotate is
// set (which invalidates every URL signed so far). Edges see the change (the Version grows).
func (s *Service) PutImageSettings(in ImageSettings, rotate bool) (ImageSettings, error) {
	in = in.Normalize()
	in.SigningSecret = ""
	if err := in.Validate(); err != nil {
		return ImageSettings{}, err
	}
	if s.cfg.SecretKey == nil {
		return ImageSettings{}, ErrNoSecretKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.getDistribution(in.DistributionID); err != nil {
		return ImageSettings{}, err
	}
	key := imageSettingsPrefix + in.DistributionID
	var rec imageSettingsRecord
	err := s.getJSON(key, &rec, ErrNoImageSettings)
	switch {
	case errors.Is(err, ErrNoImageSettings):
		rotate = true
	case err != nil:
		return ImageSettings{}, err
	}
	if rotate {
		if rec.WrappedKey, rec.Sealed, err = s.newImageSecret(in.DistributionID); err != nil {
			return ImageSettings{}, err
		}
	}
	in.LastModifiedTime = s.now()
	rec.ImageSettings = in
	var w Writes
	w.Set([]byte(key), mustJSON(rec))
	if err := s.applyChange(&w); err != nil {
		return ImageSettings{}, err
	}
	return in, nil
}

// newImageSecret returns a new 256-bit secret, sealed.
func (s *Service) newImageSecret(id string) (wrapped, sealed []byte, err error) {
	var b [32]byte
	rand.Read(b[:])
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	dk, wk, err := s.cfg.SecretKey.NewDataKey([]byte(imageSecretContext + id))
	if err != nil {
		return nil, nil, err
	}
	if wrapped, err = wk.MarshalBinary(); err != nil {
		return nil, nil, err
	}
	sealed, err = crypt.Seal(nil, dk, []byte(secret))
	return wrapped, sealed, err
}

// GetImageSettings returns the settings of distribution id, without the secret:
// ErrNoSuchDistribution or ErrNoImageSettings when there are none.
func (s *Service) GetImageSettings(id string) (ImageSettings, error) {
	if _, err := s.getDistribution(id); err != nil {
		return ImageSettings{}, err
	}
	var rec imageSettingsRecord
	if err := s.getJSON(imageSettingsPrefix+id, &rec, ErrNoImageSettings); err != nil {
		return ImageSettings{}, err
	}
	return rec.ImageSettings, nil
}

// ListImageSettings returns every distribution's settings in id order, without secrets.
func (s *Service) ListImageSettings() ([]ImageSettings, error) {
	out := []ImageSettings{}
	err := s.scanImageSettings(func(r imageSettingsRecord) error {
		out = append(out, r.ImageSettings)
		return nil
	})
	return out, err
}

// ImageSigningSecret returns the opened signing secret of distribution id, for signing URLs
// (`imgcdn sign-url`) or for handing to the application that signs them.
func (s *Service) ImageSigningSecret(id string) (string, error) {
	if _, err := s.getDistribution(id); err != nil {
		return "", err
	}
	var rec imageSettingsRecord
	if err := s.getJSON(imageSettingsPrefix+id, &rec, ErrNoImageSettings); err != nil {
		return "", err
	}
	return s.openImageSecret(rec)
}

// edgeImageSettings returns, with their secrets opened, the settings of ds, in id order: what
// EdgeState carries. Callers hold s.mu.
func (s *Service) edgeImageSettings(ds []Distribution) ([]ImageSettings, error) {
	want := map[string]bool{}
	for _, d := range ds {
		want[d.ID] = true
	}
	out := []ImageSettings{}
	err := s.scanImageSettings(func(r imageSettingsRecord) error {
		if !want[r.DistributionID] {
			return nil
		}
		secret, err := s.openImageSecret(r)
		if err != nil {
			return err
		}
		st := r.ImageSettings
		st.SigningSecret = secret
		out = append(out, st)
		return nil
	})
	return out, err
}

func (s *Service) openImageSecret(r imageSettingsRecord) (string, error) {
	if s.cfg.SecretKey == nil {
		return "", fmt.Errorf("image settings of %s: %w", r.DistributionID, ErrNoSecretKey)
	}
	var wk crypt.WrappedKey
	if err := wk.UnmarshalBinary(r.WrappedKey); err != nil {
		return "", fmt.Errorf("distrib: image settings of %s: %w", r.DistributionID, err)
	}
	dk, err := s.cfg.SecretKey.Unwrap(wk, []byte(imageSecretContext+r.DistributionID))
	if err != nil {
		return "", fmt.Errorf("distrib: image settings of %s: %w", r.DistributionID, err)
	}
	b, err := crypt.Open(nil, dk, r.Sealed)
	if err != nil {
		return "", fmt.Errorf("distrib: image settings of %s: %w", r.DistributionID, err)
	}
	return string(b), nil
}

// scanImageSettings calls fn for every stored record in id order, stopping at the first
// error.
func (s *Service) scanImageSettings(fn func(imageSettingsRecord) error) error {
	var fnErr error
	err := s.store.Scan([]byte(imageSettingsPrefix), nil, func(k, v []byte) bool {
		var r imageSettingsRecord
		if r, fnErr = decodeJSON[imageSettingsRecord](v); fnErr != nil {
			fnErr = fmt.Errorf("%w (%q)", fnErr, k)
			return false
		}
		fnErr = fn(r)
		return fnErr == nil
	})
	return errors.Join(err, fnErr)
}
