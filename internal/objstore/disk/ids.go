package disk

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/base64"
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

// idSource hands out blob ids, upload ids and version sort keys.
type idSource struct {
	seq  atomic.Uint64 // blob ids
	vseq atomic.Uint64 // version sequence numbers
}

func newIDSource() *idSource {
	s := &idSource{}
	now := uint64(time.Now().UnixNano())
	s.seq.Store(now)
	s.vseq.Store(now)
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

// sortKey orders the versions of one key in their metadata keys, newest first: the
// bit-inverted sequence number, big-endian, then 16 random bytes that make it unique even
// when a clock step back after a restart repeats a sequence number. A version's id is its
// sort key in versionIDEncoding, except for the "null" version, whose sort key is found
// through the n/ index. The zero sortKey marks a record written before versions existed.
type sortKey [24]byte

func (k sortKey) seq() uint64 { return ^binary.BigEndian.Uint64(k[:8]) }

// versionIDEncoding is base64 over an alphabet of URL-safe characters in ASCII order, so
// that version ids are opaque, need no escaping in a URL or XML, and sort like their bytes:
// 24 bytes give 32 characters.
var versionIDEncoding = base64.NewEncoding("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz").
	WithPadding(base64.NoPadding).Strict()

const versionIDLen = 32

func (k sortKey) versionID() string { return versionIDEncoding.EncodeToString(k[:]) }

// parseVersionID returns the sort key a non-null version id encodes, or false when id could
// not have come from versionID.
func parseVersionID(id string) (sortKey, bool) {
	var k sortKey
	if len(id) != versionIDLen {
		return k, false
	}
	n, err := versionIDEncoding.Decode(k[:], []byte(id))
	return k, err == nil && n == len(k) && k != sortKey{}
}

// version returns the sort key of a new version that sorts before (is newer than) every
// version whose sequence number is at most newest. The commit that calls it holds the key's
// lock and passes the latest version's sequence number, so versions of one key always sort
// in commit order, even if the clock stepped back since the store last ran.
func (s *idSource) version(newest uint64) sortKey {
	for {
		cur := s.vseq.Load()
		n := max(cur, newest) + 1
		if s.vseq.CompareAndSwap(cur, n) {
			var k sortKey
			binary.BigEndian.PutUint64(k[:8], ^n)
			if _, err := rand.Read(k[8:]); err != nil {
				panic("disk: crypto/rand failed: " + err.Error())
			}
			return k
		}
	}
}
