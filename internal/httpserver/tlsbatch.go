package httpserver

import (
	"net"
	"sync"
)

// maxBatch is how many bytes of TLS records a held recordBatch gathers before it writes them:
// four full records (16 KiB of plaintext and at most 256 bytes of overhead each, RFC 8446
// §5.2), so a 32 KiB response goes out in one write and a 1 MiB body in 64 KiB writes.
const maxBatch = 4 * (16<<10 + 256)

// recordBatch is the connection under each tls.Conn that SplitTLS makes. crypto/tls writes
// every record it seals (at most 16 KiB of plaintext) to the socket on its own, so a 32 KiB
// response cost three write(2)s and could wake the viewer three times. While this package's
// server holds the batch (one response write), the records are copied into a pooled buffer
// and leave in one write on release, or earlier whenever maxBatch bytes are gathered. Writes
// while not held (handshake, alerts, close_notify, everything on an HTTP/2 connection) go
// straight through.
type recordBatch struct {
	net.Conn
	pool *sync.Pool // of *[]byte with capacity maxBatch

	mu   sync.Mutex // tls.Conn may write from a Read (KeyUpdate) beside a response
	held bool
	buf  *[]byte
}

func (b *recordBatch) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.held {
		return b.Conn.Write(p)
	}
	if b.buf != nil && len(*b.buf)+len(p) > maxBatch {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	if len(p) >= maxBatch {
		return b.Conn.Write(p)
	}
	if b.buf == nil {
		b.buf = b.pool.Get().(*[]byte)
	}
	*b.buf = append(*b.buf, p...)
	return len(p), nil
}

// hold starts gathering records.
func (b *recordBatch) hold() {
	b.mu.Lock()
	b.held = true
	b.mu.Unlock()
}

// release writes what was gathered since hold, returns the buffer to the pool and lets
// later records through; its error is the write's.
func (b *recordBatch) release() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held = false
	err := b.flushLocked()
	if b.buf != nil {
		*b.buf = (*b.buf)[:0]
		b.pool.Put(b.buf)
		b.buf = nil
	}
	return err
}

func (b *recordBatch) flushLocked() error {
	if b.buf == nil || len(*b.buf) == 0 {
		return nil
	}
	_, err := b.Conn.Write(*b.buf)
	*b.buf = (*b.buf)[:0]
	return err
}

// newBatchPool returns the pool of a SplitTLS's record batches.
func newBatchPool() *sync.Pool {
	return &sync.Pool{New: func() any {
		b := make([]byte, 0, maxBatch)
		return &b
	}}
}
