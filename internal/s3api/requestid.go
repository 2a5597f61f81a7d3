package s3api

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"sync/atomic"
)

// requestIDs hands out x-amz-request-id and x-amz-id-2 values. S3's request ids are 16
// upper-case hex digits; ours are a random per-server start plus a counter, so they are
// unique within a process, unlikely to repeat across restarts, and cost one atomic add.
type requestIDs struct {
	next atomic.Uint64
	// host is this server's random identity, the first part of every x-amz-id-2 (S3's
	// "host id", which support uses to find the machine that answered).
	host [24]byte
}

func newRequestIDs() (*requestIDs, error) {
	ids := &requestIDs{}
	var seed [8]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(ids.host[:]); err != nil {
		return nil, err
	}
	ids.next.Store(binary.BigEndian.Uint64(seed[:]))
	return ids, nil
}

const upperHex = "0123456789ABCDEF"

// new returns a request id and the matching host id (x-amz-id-2): base64 of the server's
// identity followed by the request number.
func (ids *requestIDs) new() (id, hostID string) {
	n := ids.next.Add(1)
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = upperHex[n&0xF]
		n >>= 4
	}
	var raw [32]byte
	copy(raw[:24], ids.host[:])
	copy(raw[24:], b[8:])
	return string(b[:]), base64.StdEncoding.EncodeToString(raw[:])
}
