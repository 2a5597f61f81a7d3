package disk

import (
	"encoding/hex"
	"maps"
	"slices"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// bucketRecord is the value of a b/ key. A published record (in Store.known) is immutable:
// changes build a new one, so readers use it without locks.
type bucketRecord struct {
	region     string
	created    int64
	versioning objstore.VersioningState
	// configs holds the BucketConfigs documents; the values are shared with callers of
	// GetBucketConfig and never modified.
	configs map[string][]byte
}

var versioningStates = [...]objstore.VersioningState{objstore.VersioningUnversioned, objstore.VersioningEnabled, objstore.VersioningSuspended}

func (r *bucketRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.str(r.region)
	e.int(r.created)
	e.byte(byte(slices.Index(versioningStates[:], r.versioning)))
	names := slices.Sorted(maps.Keys(r.configs))
	e.uint(uint64(len(names)))
	for _, n := range names {
		e.str(n)
		e.uint(uint64(len(r.configs[n])))
		e.raw(r.configs[n])
	}
	return e.b
}

func decodeBucket(b []byte) (bucketRecord, error) {
	d := dec{b: b}
	format := d.format()
	r := bucketRecord{region: d.str(), created: d.int()}
	if format >= 2 {
		if v := d.byte(); int(v) < len(versioningStates) {
			r.versioning = versioningStates[v]
		} else {
			d.fail()
		}
		n := d.uint()
		if n > uint64(len(d.b)) {
			d.fail()
		}
		for i := uint64(0); i < n && d.err == nil; i++ {
			if r.configs == nil {
				r.configs = make(map[string][]byte, n)
			}
			name := d.str()
			size := d.uint()
			if size > uint64(len(d.b)) {
				d.fail()
				break
			}
			r.configs[name] = slices.Clone(d.raw(int(size)))
		}
	}
	return r, d.done()
}

// with returns a copy of r with configs[name] set to value, or removed when value is nil.
func (r *bucketRecord) with(name string, value []byte) *bucketRecord {
	c := *r
	c.configs = maps.Clone(r.configs)
	if value == nil {
		delete(c.configs, name)
	} else {
		if c.configs == nil {
			c.configs = map[string][]byte{}
		}
		c.configs[name] = value
	}
	return &c
}

// uploadRecord is the value of a u/ key; bucket, key and upload id are in the key.
type uploadRecord struct {
	initiated    int64
	meta         objstore.Metadata
	checksumAlgo string
	checksumType string
	acl          string
	encrypted    bool
}

func (r *uploadRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.int(r.initiated)
	e.str(r.meta.StorageClass)
	e.meta(&r.meta)
	e.str(r.checksumAlgo)
	e.str(r.checksumType)
	e.str(r.acl)
	e.bool(r.encrypted)
	return e.b
}

func decodeUpload(b []byte) (uploadRecord, error) {
	var r uploadRecord
	d := dec{b: b}
	format := d.format()
	r.initiated = d.int()
	sc := d.str()
	d.meta(&r.meta)
	r.meta.StorageClass = sc
	r.checksumAlgo = d.str()
	r.checksumType = d.str()
	if format >= 2 {
		r.acl = d.str()
		r.encrypted = d.bool()
	}
	return r, d.done()
}

func (r *uploadRecord) info(bucket, key, id string) objstore.UploadInfo {
	u := objstore.UploadInfo{
		Bucket:            bucket,
		Key:               key,
		UploadID:          id,
		Initiated:         time.Unix(0, r.initiated).UTC(),
		Meta:              r.meta,
		ChecksumAlgorithm: r.checksumAlgo,
		ChecksumType:      r.checksumType,
		ACL:               r.acl,
	}
	if r.encrypted {
		u.Encryption = objstore.EncryptionAES256
	}
	return u
}

// partRecord is the value of a p/ key.
type partRecord struct {
	size      int64 // plaintext bytes
	md5       [16]byte
	modified  int64
	checksum  *objstore.Checksum
	blob      blobID
	encrypted bool
	wk        wrappedKey // when encrypted
}

func (r *partRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.int(r.size)
	e.raw(r.md5[:])
	e.int(r.modified)
	e.checksum(r.checksum)
	e.id(r.blob)
	e.bool(r.encrypted)
	if r.encrypted {
		e.raw(r.wk[:])
	}
	return e.b
}

func decodePart(b []byte) (partRecord, error) {
	var r partRecord
	d := dec{b: b}
	format := d.format()
	r.size = d.int()
	copy(r.md5[:], d.raw(16))
	r.modified = d.int()
	r.checksum = d.checksum()
	r.blob = d.id()
	if format >= 2 {
		if r.encrypted = d.bool(); r.encrypted {
			copy(r.wk[:], d.raw(len(r.wk)))
		}
	}
	return r, d.done()
}

func (r *partRecord) info(n int) objstore.PartInfo {
	return objstore.PartInfo{
		PartNumber:   n,
		ETag:         hex.EncodeToString(r.md5[:]),
		Size:         r.size,
		LastModified: time.Unix(0, r.modified).UTC(),
		Checksum:     r.checksum,
	}
}
