package disk

import (
	"errors"
	"fmt"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// SSE-S3 at rest, as internal/crypt's package documentation prescribes: every encrypted
// stream (a blob file, a part's blob, an inline body) gets its own data key, wrapped by the
// master key for the stream's id (the blob id or the inline body's d/ id), so a wrapped key
// moved onto another body fails to open. Blob files and d/ values hold crypt's chunked
// format; records hold the wrapped keys; sizes and ETags describe the plaintext.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingServerSideEncryption.html

// encryption validates a requested algorithm and reports whether to encrypt.
func (s *Store) encryption(alg string) (bool, error) {
	switch alg {
	case "":
		return false, nil
	case objstore.EncryptionAES256:
		if s.cfg.MasterKey == nil {
			return false, fmt.Errorf("%w: start the server with a master key (key file or IMGCDN_MASTER_KEY) to store AES256 objects", objstore.ErrEncryptionNotConfigured)
		}
		return true, nil
	}
	return false, fmt.Errorf("%w: %q; only %s is supported", objstore.ErrInvalidEncryption, alg, objstore.EncryptionAES256)
}

// newDataKey returns a fresh data key for the stream id and stores its wrapped form in wk.
func (s *Store) newDataKey(wk *wrappedKey, id blobID) (crypt.DataKey, error) {
	dk, w, err := s.cfg.MasterKey.NewDataKey(id[:])
	if err != nil {
		return crypt.DataKey{}, fmt.Errorf("disk: new data key: %w", err)
	}
	if _, err := w.AppendBinary(wk[:0]); err != nil {
		return crypt.DataKey{}, fmt.Errorf("disk: wrap data key: %w", err)
	}
	return dk, nil
}

// unwrap opens the data key of the stream id.
func (s *Store) unwrap(wk *wrappedKey, id blobID) (crypt.DataKey, error) {
	if s.cfg.MasterKey == nil {
		return crypt.DataKey{}, fmt.Errorf("%w: the object is encrypted", objstore.ErrEncryptionNotConfigured)
	}
	var w crypt.WrappedKey
	if err := w.UnmarshalBinary(wk[:]); err != nil {
		return crypt.DataKey{}, corruptErr(err)
	}
	dk, err := s.cfg.MasterKey.Unwrap(w, id[:])
	return dk, corruptErr(err)
}

// seal encrypts an inline body under a fresh data key for id, appending to dst.
func (s *Store) seal(dst []byte, wk *wrappedKey, id blobID, plaintext []byte) ([]byte, error) {
	dk, err := s.newDataKey(wk, id)
	if err != nil {
		return nil, err
	}
	out, err := crypt.Seal(dst, dk, plaintext)
	if err != nil {
		return nil, fmt.Errorf("disk: encrypt body: %w", err)
	}
	return out, nil
}

// open decrypts and authenticates a whole inline body, appending to dst.
func (s *Store) open(dst []byte, wk *wrappedKey, id blobID, sealed []byte) ([]byte, error) {
	dk, err := s.unwrap(wk, id)
	if err != nil {
		return nil, err
	}
	out, err := crypt.Open(dst, dk, sealed)
	return out, corruptErr(err)
}

// corruptErr marks crypt's integrity failures as objstore.ErrCorrupt (keeping crypt's error,
// whose message says whether the key or the data is at fault); other errors pass unchanged.
func corruptErr(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range []error{crypt.ErrAuthentication, crypt.ErrWrongMasterKey, crypt.ErrInvalidWrappedKey} {
		if errors.Is(err, c) {
			return fmt.Errorf("%w: %w", objstore.ErrCorrupt, err)
		}
	}
	return err
}
