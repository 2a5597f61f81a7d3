package disk

import (
	"bytes"
	"fmt"
)

// The metadata key schema. Every key starts with a one-letter namespace and '/':
//
//	b/<bucket>                           bucket record (with versioning state and configs)
//	o/<bucket>/<key>                     the latest version's record when it is not a delete
//	                                     marker (bucket names never hold '/', so the prefix is
//	                                     unambiguous; the key is raw bytes)
//	v/<bucket>/<esc key>\x00\x01<sortKey> one record per version and delete marker, newest
//	                                     first; the latest equals o/ byte for byte
//	n/<bucket>/<key>                     the sortKey of the key's "null" version, if it has one
//	d/<id>                               an inline body, referenced by exactly one version
//	u/<bucket>/<esc key>\x00\x01<upload> multipart upload record
//	p/<upload>/<%05d part>               part record
//	x/pending/<id>                       blob renamed into blobs/ but not yet committed
//	x/gc/<id>                            blob no longer referenced, to unlink
//	x/format                             the layout version (formatVersioned)
//
// Every commit changes v/, o/ and n/ of a key in one batch, so o/ is always the newest v/
// record of its key unless that is a delete marker, and ListObjects reads o/ alone.
//
// <esc key> escapes 0x00 as 0x00 0xff and is terminated by 0x00 0x01, so that records of one
// key sort together and keys still sort in binary order even when a key contains 0x00 (a
// plain 0x00 separator would interleave "a" and "a\x00b").
const (
	nsBucket  = "b/"
	nsObject  = "o/"
	nsData    = "d/"
	nsUpload  = "u/"
	nsPart    = "p/"
	nsVersion = "v/"
	nsNull    = "n/"
	nsPending = "x/pending/"
	nsGC      = "x/gc/"
	keyFormat = "x/format"
)

func bucketKey(bucket string) []byte { return []byte(nsBucket + bucket) }

// objectBase is the prefix of every object record of a bucket.
func objectBase(bucket string) []byte { return []byte(nsObject + bucket + "/") }

func objectKey(bucket, key string) []byte {
	k := make([]byte, 0, len(nsObject)+len(bucket)+1+len(key))
	return append(append(append(append(k, nsObject...), bucket...), '/'), key...)
}

func dataKey(id blobID) []byte { return append([]byte(nsData), id[:]...) }

func pendingKey(id blobID) []byte { return append([]byte(nsPending), id[:]...) }

func gcKey(id blobID) []byte { return append([]byte(nsGC), id[:]...) }

// uploadBase is the prefix of every upload record of a bucket.
func uploadBase(bucket string) []byte { return []byte(nsUpload + bucket + "/") }

// uploadKeyPrefix is the prefix of the upload records of every key starting with keyPrefix.
func uploadKeyPrefix(bucket, keyPrefix string) []byte {
	return appendEscaped(uploadBase(bucket), keyPrefix)
}

// uploadKeyAll is the prefix of the upload records of exactly key.
func uploadKeyAll(bucket, key string) []byte {
	return append(uploadKeyPrefix(bucket, key), 0x00, 0x01)
}

func uploadKey(bucket, key, uploadID string) []byte {
	return append(uploadKeyAll(bucket, key), uploadID...)
}

// parseUploadKey splits the part of an upload record key after uploadBase.
func parseUploadKey(rest []byte) (key, uploadID string, err error) {
	key, id, err := splitEscaped(rest)
	return key, string(id), err
}

// versionBase is the prefix of every version record of a bucket.
func versionBase(bucket string) []byte { return []byte(nsVersion + bucket + "/") }

// versionKeyPrefix is the prefix of the version records of every key starting with keyPrefix.
func versionKeyPrefix(bucket, keyPrefix string) []byte {
	return appendEscaped(versionBase(bucket), keyPrefix)
}

// versionKeyAll is the prefix of the version records of exactly key.
func versionKeyAll(bucket, key string) []byte {
	return append(versionKeyPrefix(bucket, key), 0x00, 0x01)
}

func versionKey(bucket, key string, sk sortKey) []byte {
	return append(versionKeyAll(bucket, key), sk[:]...)
}

// parseVersionKey splits the part of a version record key after versionBase.
func parseVersionKey(rest []byte) (key string, sk sortKey, err error) {
	key, tail, err := splitEscaped(rest)
	if err == nil && len(tail) != len(sk) {
		err = fmt.Errorf("%w: version key %q", errCorrupt, rest)
	}
	copy(sk[:], tail)
	return key, sk, err
}

func nullKey(bucket, key string) []byte {
	k := make([]byte, 0, len(nsNull)+len(bucket)+1+len(key))
	return append(append(append(append(k, nsNull...), bucket...), '/'), key...)
}

// splitEscaped splits "<esc key>\x00\x01<tail>" into the unescaped key and the tail.
func splitEscaped(rest []byte) (key string, tail []byte, err error) {
	// Keys without 0x00, nearly all of them, need no unescaping: one scan and one copy.
	if i := bytes.IndexByte(rest, 0x00); i >= 0 && i+1 < len(rest) && rest[i+1] == 0x01 {
		return string(rest[:i]), rest[i+2:], nil
	}
	var k []byte
	for i := 0; i < len(rest); i++ {
		if rest[i] != 0x00 {
			k = append(k, rest[i])
			continue
		}
		if i+1 >= len(rest) {
			break
		}
		switch rest[i+1] {
		case 0xff:
			k = append(k, 0x00)
			i++
		case 0x01:
			return string(k), rest[i+2:], nil
		default:
			return "", nil, fmt.Errorf("%w: key %q", errCorrupt, rest)
		}
	}
	return "", nil, fmt.Errorf("%w: key %q", errCorrupt, rest)
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0x00 {
			dst = append(dst, 0x00, 0xff)
		} else {
			dst = append(dst, s[i])
		}
	}
	return dst
}

func partBase(uploadID string) []byte { return []byte(nsPart + uploadID + "/") }

func partKey(uploadID string, n int) []byte {
	return fmt.Appendf(partBase(uploadID), "%05d", n)
}

// prefixEnd returns the smallest key greater than every key starting with p, or nil when
// there is none (p is all 0xff bytes). It is the exclusive upper bound of a prefix scan, and
// the seek target that skips a whole common prefix in one step.
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// after returns the smallest key strictly greater than k.
func after(k []byte) []byte { return append(bytes.Clone(k), 0x00) }
