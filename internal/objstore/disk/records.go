package disk

import (
	"encoding/hex"
	"strconv"
	"time"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// segment is one blob file holding a contiguous run of an object's body: the only one of a
// single PUT, or one per part of a completed multipart upload.
type segment struct {
	id   blobID
	size int64
}

// objRecord is the value of an o/ (and, later, v/) key. The fields a listing needs come
// first, so ListObjects decodes only that head of each record.
type objRecord struct {
	deleteMarker bool
	size         int64
	modified     int64 // unix nanoseconds
	md5          [16]byte
	parts        int // multipart part count, 0 for single PUTs
	versionID    string
	checksum     *objstore.Checksum
	// meta.StorageClass is in the head, the rest is decoded only for HEAD/GET.
	meta objstore.Metadata
	// Exactly one of inline (with dataID naming the d/ key) or segs describes the body.
	inline bool
	dataID blobID
	segs   []segment
}

const (
	flagDeleteMarker = 1 << iota
	flagInline
)

func (r *objRecord) encode() []byte {
	e := enc{b: make([]byte, 0, 128+len(r.segs)*24)}
	e.byte(recordFormat)
	var flags byte
	if r.deleteMarker {
		flags |= flagDeleteMarker
	}
	if r.inline {
		flags |= flagInline
	}
	e.byte(flags)
	e.int(r.size)
	e.int(r.modified)
	e.raw(r.md5[:])
	e.uint(uint64(r.parts))
	e.str(r.versionID)
	e.str(r.meta.StorageClass)
	e.checksum(r.checksum)
	e.meta(&r.meta)
	if r.inline {
		e.id(r.dataID)
	} else {
		e.uint(uint64(len(r.segs)))
		for _, s := range r.segs {
			e.id(s.id)
			e.int(s.size)
		}
	}
	return e.b
}

// decodeObject decodes a record; with head it stops after the listing fields.
func decodeObject(b []byte, head bool) (objRecord, error) {
	var r objRecord
	d := dec{b: b}
	d.format()
	flags := d.byte()
	r.deleteMarker = flags&flagDeleteMarker != 0
	r.inline = flags&flagInline != 0
	r.size = d.int()
	r.modified = d.int()
	copy(r.md5[:], d.raw(16))
	r.parts = int(d.uint())
	r.versionID = d.str()
	r.meta.StorageClass = d.str()
	r.checksum = d.checksum()
	if head {
		return r, d.err
	}
	d.meta(&r.meta)
	if r.inline {
		r.dataID = d.id()
	} else {
		n := d.uint()
		if n > uint64(len(d.b)) {
			d.fail()
		}
		var total int64
		r.segs = make([]segment, 0, n)
		for i := uint64(0); i < n && d.err == nil; i++ {
			s := segment{id: d.id(), size: d.int()}
			total += s.size
			r.segs = append(r.segs, s)
		}
		if d.err == nil && total != r.size {
			d.fail()
		}
	}
	return r, d.done()
}

// etag renders the S3 ETag: hex MD5, plus "-<parts>" for multipart objects.
func (r *objRecord) etag() string {
	t := hex.EncodeToString(r.md5[:])
	if r.parts > 0 {
		t += "-" + strconv.Itoa(r.parts)
	}
	return t
}

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

// bucketRecord is the value of a b/ key.
type bucketRecord struct {
	region  string
	created int64
}

func (r bucketRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.str(r.region)
	e.int(r.created)
	return e.b
}

func decodeBucket(b []byte) (bucketRecord, error) {
	d := dec{b: b}
	d.format()
	r := bucketRecord{region: d.str(), created: d.int()}
	return r, d.done()
}

// uploadRecord is the value of a u/ key; bucket, key and upload id are in the key.
type uploadRecord struct {
	initiated    int64
	meta         objstore.Metadata
	checksumAlgo string
	checksumType string
}

func (r *uploadRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.int(r.initiated)
	e.str(r.meta.StorageClass)
	e.meta(&r.meta)
	e.str(r.checksumAlgo)
	e.str(r.checksumType)
	return e.b
}

func decodeUpload(b []byte) (uploadRecord, error) {
	var r uploadRecord
	d := dec{b: b}
	d.format()
	r.initiated = d.int()
	sc := d.str()
	d.meta(&r.meta)
	r.meta.StorageClass = sc
	r.checksumAlgo = d.str()
	r.checksumType = d.str()
	return r, d.done()
}

func (r *uploadRecord) info(bucket, key, id string) objstore.UploadInfo {
	return objstore.UploadInfo{
		Bucket:            bucket,
		Key:               key,
		UploadID:          id,
		Initiated:         time.Unix(0, r.initiated).UTC(),
		Meta:              r.meta,
		ChecksumAlgorithm: r.checksumAlgo,
		ChecksumType:      r.checksumType,
	}
}

// partRecord is the value of a p/ key.
type partRecord struct {
	size     int64
	md5      [16]byte
	modified int64
	checksum *objstore.Checksum
	blob     blobID
}

func (r *partRecord) encode() []byte {
	e := enc{}
	e.byte(recordFormat)
	e.int(r.size)
	e.raw(r.md5[:])
	e.int(r.modified)
	e.checksum(r.checksum)
	e.id(r.blob)
	return e.b
}

func decodePart(b []byte) (partRecord, error) {
	var r partRecord
	d := dec{b: b}
	d.format()
	r.size = d.int()
	copy(r.md5[:], d.raw(16))
	r.modified = d.int()
	r.checksum = d.checksum()
	r.blob = d.id()
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
