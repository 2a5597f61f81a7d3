package disk

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// errCorrupt is returned when a metadata record does not decode; it means the database was
// damaged or written by an incompatible version, never a client error.
var errCorrupt = fmt.Errorf("disk: corrupt metadata record: %w", objstore.ErrCorrupt)

// recordFormat is the first byte of every record value written. Format 2 added versions
// (sort keys), ACLs, encryption and bucket settings; decoders still read format 1, which
// Open's migration rewrites.
const (
	recordFormatV1 = 1
	recordFormat   = 2
)

// enc appends the compact binary record encoding: uvarint lengths, varint integers.
type enc struct{ b []byte }

func (e *enc) byte(v byte)   { e.b = append(e.b, v) }
func (e *enc) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) raw(p []byte)  { e.b = append(e.b, p...) }
func (e *enc) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) id(id blobID)  { e.b = append(e.b, id[:]...) }
func (e *enc) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *enc) checksum(c *objstore.Checksum) {
	if c == nil {
		e.byte(0)
		return
	}
	e.byte(1)
	e.str(c.Algorithm)
	e.str(c.Value)
	e.str(c.Type)
}

func (e *enc) meta(m *objstore.Metadata) {
	for _, s := range [...]string{m.ContentType, m.CacheControl, m.ContentDisposition,
		m.ContentEncoding, m.ContentLanguage, m.Expires} {
		e.str(s)
	}
	names := make([]string, 0, len(m.User))
	for k := range m.User {
		names = append(names, k)
	}
	slices.Sort(names)
	e.uint(uint64(len(names)))
	for _, k := range names {
		e.str(k)
		e.str(m.User[k])
	}
}

// dec reads what enc wrote. The first failure sticks in err and every later read returns
// zero values, so decoders check err once at the end.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() { d.err = errCorrupt; d.b = nil }

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *dec) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) raw(n int) []byte {
	if n < 0 || len(d.b) < n {
		d.fail()
		return nil
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	return string(d.raw(int(n)))
}

// commonStr is str for fields that usually hold one of a few strings every record repeats
// (the "null" version id, storage classes, checksum algorithms and types, image content
// types): those come back without allocating, a third of a listing's allocations otherwise.
func (d *dec) commonStr() string {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	b := d.raw(int(n))
	// A switch on string(b) compares without converting.
	switch string(b) {
	case objstore.NullVersionID:
		return objstore.NullVersionID
	case "STANDARD":
		return "STANDARD"
	case "CRC32":
		return "CRC32"
	case "CRC32C":
		return "CRC32C"
	case "CRC64NVME":
		return "CRC64NVME"
	case "SHA1":
		return "SHA1"
	case "SHA256":
		return "SHA256"
	case "FULL_OBJECT":
		return "FULL_OBJECT"
	case "COMPOSITE":
		return "COMPOSITE"
	case "application/octet-stream":
		return "application/octet-stream"
	case "image/jpeg":
		return "image/jpeg"
	case "image/png":
		return "image/png"
	case "image/webp":
		return "image/webp"
	case "image/avif":
		return "image/avif"
	}
	return string(b)
}

func (d *dec) id() (id blobID) {
	copy(id[:], d.raw(len(id)))
	return id
}

func (d *dec) bool() bool { return d.byte() != 0 }

func (d *dec) checksum() *objstore.Checksum {
	if !d.bool() {
		return nil
	}
	return &objstore.Checksum{Algorithm: d.commonStr(), Value: d.str(), Type: d.commonStr()}
}

func (d *dec) meta(m *objstore.Metadata) {
	m.ContentType = d.commonStr()
	for _, p := range [...]*string{&m.CacheControl, &m.ContentDisposition,
		&m.ContentEncoding, &m.ContentLanguage, &m.Expires} {
		*p = d.str()
	}
	n := d.uint()
	if n > uint64(len(d.b)) { // every entry takes at least two bytes
		d.fail()
		return
	}
	if n > 0 {
		m.User = make(map[string]string, n)
	}
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.str()
		m.User[k] = d.str()
	}
}

// format reads the record format byte, failing on one this code does not know.
func (d *dec) format() byte {
	f := d.byte()
	if (f < recordFormatV1 || f > recordFormat) && d.err == nil {
		d.fail()
	}
	return f
}

// done reports the sticky error, or errCorrupt when bytes are left over.
func (d *dec) done() error {
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	return d.err
}
