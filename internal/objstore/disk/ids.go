package disk

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"sync/atomic"
	"time"
)

// blobID names a blob file or an inline body. The first 8 bytes are a per-store counter
// seeded from the clock, so ids handed out in a row are increasing: inline bodies are then
// written to pebble in key order, which lets flushed tables sit beside older ones instead of
// being rewritten by compactions. The last 8 bytes are random, so ids never collide across
// restarts even if the clock steps back. Ids are never derived from keys: keys are data.
type blobID [16]byte

func (id blobID) String() string { return hex.EncodeToString(id[:]) }

// idSource hands out blob ids and upload ids.
type idSource struct{ seq atomic.Uint64 }

func newIDSource() *idSource {
	s := &idSource{}
	s.seq.Store(uint64(time.Now().UnixNano()))
	return s
}

func (s *idSource) blob() blobID {
	var id blobID
	binary.BigEndian.PutUint64(id[:8], s.seq.Add(1))
	if _, err := rand.Read(id[8:]); err != nil {
		panic("disk: crypto/rand failed: " + err.Error()) // documented never to fail on Linux
	}
	return id
}

// uploadIDEncoding is RFC 4648 base32hex: URL-safe and, unlike base64, order-preserving, so
// upload ids (which start with the time) sort by initiation time, as ListMultipartUploads
// wants within one key.
var uploadIDEncoding = base32.HexEncoding.WithPadding(base32.NoPadding)

func (s *idSource) upload() string {
	var b [20]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixNano()))
	if _, err := rand.Read(b[8:]); err != nil {
		panic("disk: crypto/rand failed: " + err.Error())
	}
	return uploadIDEncoding.EncodeToString(b[:])
}

// validUploadID reports whether id could have come from upload(): it is checked before an
// id from a request becomes part of a metadata key.
func validUploadID(id string) bool {
	if len(id) != 32 {
		return false
	}
	_, err := uploadIDEncoding.DecodeString(id)
	return err == nil
}

// blobDir and blobPath lay blobs out as blobs/<2 hex>/<32 hex>, 256 directories created at
// Open so the hot path never calls mkdir. The directory comes from a random byte.
func blobDir(root string, id blobID) string {
	return filepath.Join(root, "blobs", hex.EncodeToString(id[15:]))
}

func blobPath(root string, id blobID) string {
	return filepath.Join(blobDir(root, id), id.String())
}
