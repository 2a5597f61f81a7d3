package edgecache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"net/http"
	"time"
)

// An entry file is
//
//	body [bodyLen] | meta block [metaLen] | tail [tailSize]
//
// The body comes first, at offset 0, so readers of a fill read the file as it is written and
// the trailer can be rewritten by Refresh without touching the body. The tail is fixed-size and
// last, so Open finds it with one read of the file's end.
//
// tail: bodyLen u64 | metaLen u32 | metaCRC u32 | bodyCRC u32 | version u32 | seq u64 | magic [8]
// (little endian; CRCs are CRC-32C, hardware-accelerated on amd64 and arm64).
const (
	tailSize      = 8 + 4 + 4 + 4 + 4 + 8 + 8
	formatVersion = 1
	magic         = "ICDNEDG1"
	// maxMetaLen bounds the metadata block a damaged tail could claim; origin headers are
	// limited far below this by the HTTP client.
	maxMetaLen = 16 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// tail is the decoded fixed-size end of an entry file.
type tail struct {
	bodyLen int64
	metaLen int
	metaCRC uint32
	bodyCRC uint32
	seq     uint64
}

func (t *tail) fileSize() int64 { return t.bodyLen + int64(t.metaLen) + tailSize }

func encodeTail(t tail) []byte {
	b := make([]byte, tailSize)
	binary.LittleEndian.PutUint64(b[0:], uint64(t.bodyLen))
	binary.LittleEndian.PutUint32(b[8:], uint32(t.metaLen))
	binary.LittleEndian.PutUint32(b[12:], t.metaCRC)
	binary.LittleEndian.PutUint32(b[16:], t.bodyCRC)
	binary.LittleEndian.PutUint32(b[20:], formatVersion)
	binary.LittleEndian.PutUint64(b[24:], t.seq)
	copy(b[32:], magic)
	return b
}

func decodeTail(b []byte) (tail, error) {
	if len(b) != tailSize || string(b[32:]) != magic {
		return tail{}, ErrCorrupt
	}
	if binary.LittleEndian.Uint32(b[20:]) != formatVersion {
		return tail{}, ErrCorrupt
	}
	t := tail{
		bodyLen: int64(binary.LittleEndian.Uint64(b[0:])),
		metaLen: int(binary.LittleEndian.Uint32(b[8:])),
		metaCRC: binary.LittleEndian.Uint32(b[12:]),
		bodyCRC: binary.LittleEndian.Uint32(b[16:]),
		seq:     binary.LittleEndian.Uint64(b[24:]),
	}
	if t.bodyLen < 0 || t.metaLen > maxMetaLen {
		return tail{}, ErrCorrupt
	}
	return t, nil
}

// encodeTrailer returns the meta block and tail for an entry.
func encodeTrailer(key string, m *Meta, bodyLen int64, bodyCRC uint32, seq uint64) []byte {
	b := appendMeta(make([]byte, 0, 256+len(key)+len(m.Dist)+len(m.Path)), key, m)
	metaLen := len(b)
	t := tail{bodyLen: bodyLen, metaLen: metaLen, metaCRC: crc32.Checksum(b, castagnoli), bodyCRC: bodyCRC, seq: seq}
	return append(b, encodeTail(t)...)
}

// appendMeta appends the meta block (key and Meta except Size) to b.
func appendMeta(b []byte, key string, m *Meta) []byte {
	b = appendString(b, key)
	b = appendString(b, m.Dist)
	b = appendString(b, m.Path)
	b = binary.AppendUvarint(b, uint64(m.Status))
	b = binary.AppendVarint(b, m.StoredAt.UnixNano())
	b = binary.AppendVarint(b, int64(m.TTL))
	b = binary.AppendVarint(b, int64(m.Stale))
	b = binary.AppendUvarint(b, uint64(len(m.Header)))
	for name, vals := range m.Header {
		b = appendString(b, name)
		b = binary.AppendUvarint(b, uint64(len(vals)))
		for _, v := range vals {
			b = appendString(b, v)
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decodeMeta parses a meta block whose CRC the caller has checked.
func decodeMeta(b []byte, bodyLen int64) (key string, m Meta, err error) {
	d := decoder{b: b}
	key = d.string()
	m.Dist = d.string()
	m.Path = d.string()
	m.Status = int(d.uvarint())
	m.StoredAt = time.Unix(0, d.varint())
	m.TTL = time.Duration(d.varint())
	m.Stale = time.Duration(d.varint())
	n := d.uvarint()
	if n > uint64(len(b)) {
		return "", Meta{}, ErrCorrupt
	}
	m.Header = make(http.Header, n)
	for range n {
		name := d.string()
		nv := d.uvarint()
		if nv > uint64(len(b)) {
			return "", Meta{}, ErrCorrupt
		}
		vals := make([]string, 0, nv)
		for range nv {
			vals = append(vals, d.string())
		}
		m.Header[name] = vals
	}
	if d.err != nil || len(d.b) != 0 {
		return "", Meta{}, ErrCorrupt
	}
	m.Size = bodyLen
	return key, m, nil
}

type decoder struct {
	b   []byte
	err error
}

var errShort = errors.New("short meta block")

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err, d.b = errShort, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err, d.b = errShort, nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.err, d.b = errShort, nil
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}
