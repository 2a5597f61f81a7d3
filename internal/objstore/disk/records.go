package disk

import (
	"encoding/hex"
	"strconv"
	"time"

	"github.com/imgcdn/imgcdn/internal/crypt"
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// wrappedKey is a marshaled crypt.WrappedKey: the data key of one encrypted body, wrapped by
// the master key for the id of the blob or inline body it encrypts.
type wrappedKey [crypt.WrappedKeySize]byte

// segment is one blob file holding a contiguous run of an object's body: the only one of a
// single PUT, or one per part of a completed multipart upload.
type segment struct {
	id   blobID
	size int64      // plaintext bytes
	wk   wrappedKey // zero unless the object is encrypted
}

// objRecord is the value of an o/ and a v/ key: one object version or delete marker. The
// fields a listing needs come first, so listings decode only that head of each record.
type objRecord struct {
	deleteMarker bool
	encrypted    bool
	size         int64 // plaintext bytes
	modified     int64 // unix nanoseconds
	md5          [16]byte
	parts        int // multipart part count, 0 for single PUTs
	versionID    string
	checksum     *objstore.Checksum
	// sortKey places the version among its key's v/ records; zero only in a format 1
	// record, before Open's migration.
	sortKey sortKey
	// meta.StorageClass is in the head, the rest is decoded only for HEAD/GET.
	meta objstore.Metadata
	acl  string
	// Exactly one of inline (with dataID naming the d/ key) or segs describes the body; a
	// delete marker has neither.
	inline bool
	dataID blobID
	dataWK wrappedKey // the inline body's key when encrypted
	segs   []segment
}

const (
	flagDeleteMarker = 1 << iota
	flagInline
	flagEncrypted
)

func (r *objRecord) encode() []byte {
	e := enc{b: make([]byte, 0, 160+len(r.acl)+len(r.segs)*(24+len(wrappedKey{})))}
	e.byte(recordFormat)
	var flags byte
	if r.deleteMarker {
		flags |= flagDeleteMarker
	}
	if r.inline {
		flags |= flagInline
	}
	if r.encrypted {
		flags |= flagEncrypted
	}
	e.byte(flags)
	e.int(r.size)
	e.int(r.modified)
	e.raw(r.md5[:])
	e.uint(uint64(r.parts))
	e.str(r.versionID)
	e.str(r.meta.StorageClass)
	e.checksum(r.checksum)
	e.raw(r.sortKey[:])
	e.meta(&r.meta)
	e.str(r.acl)
	if r.inline {
		e.id(r.dataID)
		if r.encrypted {
			e.raw(r.dataWK[:])
		}
	} else {
		e.uint(uint64(len(r.segs)))
		for _, s := range r.segs {
			e.id(s.id)
			e.int(s.size)
			if r.encrypted {
				e.raw(s.wk[:])
			}
		}
	}
	return e.b
}

// decodeObject decodes a record; with head it stops after the listing fields.
func decodeObject(b []byte, head bool) (objRecord, error) {
	var r objRecord
	d := dec{b: b}
	format := d.format()
	flags := d.byte()
	if format == recordFormatV1 && flags&^(flagDeleteMarker|flagInline) != 0 {
		d.fail()
	}
	r.deleteMarker = flags&flagDeleteMarker != 0
	r.inline = flags&flagInline != 0
	r.encrypted = flags&flagEncrypted != 0
	r.size = d.int()
	r.modified = d.int()
	copy(r.md5[:], d.raw(16))
	r.parts = int(d.uint())
	r.versionID = d.commonStr()
	r.meta.StorageClass = d.commonStr()
	r.checksum = d.checksum()
	if format >= 2 {
		copy(r.sortKey[:], d.raw(len(r.sortKey)))
	}
	if head {
		return r, d.err
	}
	d.meta(&r.meta)
	if format >= 2 {
		r.acl = d.str()
	}
	if r.inline {
		r.dataID = d.id()
		if r.encrypted {
			copy(r.dataWK[:], d.raw(len(r.dataWK)))
		}
	} else {
		r.segs = decodeSegments(&d, r.encrypted)
		var total int64
		for _, s := range r.segs {
			total += s.size
		}
		if d.err == nil && total != r.size {
			d.fail()
		}
	}
	if r.deleteMarker && (r.inline || len(r.segs) != 0 || r.size != 0) {
		d.fail()
	}
	return r, d.done()
}

func decodeSegments(d *dec, encrypted bool) []segment {
	n := d.uint()
	if n > uint64(len(d.b)) { // every segment takes more than one byte
		d.fail()
		return nil
	}
	segs := make([]segment, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		s := segment{id: d.id(), size: d.int()}
		if s.size < 0 {
			d.fail()
		}
		if encrypted {
			copy(s.wk[:], d.raw(len(s.wk)))
		}
		segs = append(segs, s)
	}
	return segs
}

// etag renders the S3 ETag: hex MD5, plus "-<parts>" for multipart objects. Delete markers
// have none.
func (r *objRecord) etag() string {
	if r.deleteMarker {
		return ""
	}
	t := hex.EncodeToString(r.md5[:])
	if r.parts > 0 {
		t += "-" + strconv.Itoa(r.parts)
	}
	return t
}

// info describes the record as the latest version; callers that know otherwise reset
// IsLatest.
func (r *objRecord) info(bucket, key string) objstore.ObjectInfo {
	info := objstore.ObjectInfo{
		Bucket:       bucket,
		Key:          key,
		VersionID:    r.versionID,
		IsLatest:     true,
		DeleteMarker: r.deleteMarker,
		Size:         r.size,
		ETag:         r.etag(),
		LastModified: time.Unix(0, r.modified).UTC(),
		Meta:         r.meta,
		Checksum:     r.checksum,
		PartsCount:   r.parts,
		ACL:          r.acl,
	}
	if r.encrypted {
		info.Encryption = objstore.EncryptionAES256
	}
	if r.parts > 0 {
		info.PartSizes = make([]int64, len(r.segs))
		for i, s := range r.segs {
			info.PartSizes[i] = s.size
		}
	}
	return info
}

// blobs lists the blob files the record references.
func (r *objRecord) blobs() []blobID {
	ids := make([]blobID, len(r.segs))
	for i, s := range r.segs {
		ids[i] = s.id
	}
	return ids
}
