package httpserver

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
)

// benchBody is the size of the issue 6 benchmark's small object.
const benchBody = 32 << 10

// benchHandler answers like the edge's memory-tier hit: Content-Length set, one Write.
func benchHandler(withLength bool) http.Handler {
	body := bytes.Repeat([]byte("x"), benchBody)
	size := strconv.Itoa(len(body))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = []string{"image/png"}
		if withLength {
			h["Content-Length"] = []string{size}
		}
		h["Cache-Control"] = []string{"max-age=86400"}
		h["X-Cache"] = []string{"Hit from cloudfront"}
		_, _ = w.Write(body)
	})
}

// BenchmarkServe32K measures one keep-alive GET of a 32 KiB in-memory body over loopback,
// against this server and net/http. The client is a raw connection reading responses
// with a reused buffer, so that allocations and syscalls are the server's (and a constant
// client share). syscalls/op comes from /proc/self/io (read- and write-like syscalls of the
// whole process, client included).
func BenchmarkServe32K(b *testing.B) {
	for _, withLength := range []bool{true, false} {
		name := "length"
		if !withLength {
			name = "nolength"
		}
		b.Run("fast/"+name, func(b *testing.B) {
			ln := listen(b)
			s := &Server{Handler: benchHandler(withLength)}
			go func() { _ = s.Serve(ln) }()
			b.Cleanup(func() { _ = s.Close() })
			benchClient(b, ln.Addr().String())
		})
		b.Run("stdlib/"+name, func(b *testing.B) {
			ln := listen(b)
			s := &http.Server{Handler: benchHandler(withLength)}
			go func() { _ = s.Serve(ln) }()
			b.Cleanup(func() { _ = s.Close() })
			benchClient(b, ln.Addr().String())
		})
	}
}

func listen(tb testing.TB) net.Listener {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return ln
}

func benchClient(b *testing.B, addr string) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req := []byte("GET /small.png HTTP/1.1\r\nHost: d111111abcdef8.cdn.localhost\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n")
	br := bufio.NewReaderSize(c, 64<<10)
	body := make([]byte, 64<<10)
	roundTrip := func() {
		if _, err := c.Write(req); err != nil {
			b.Fatal(err)
		}
		n, chunked := readRawHead(b, br)
		if chunked {
			n = readChunkedBody(b, br, body)
		} else if _, err := readFull(br, body[:n]); err != nil {
			b.Fatal(err)
		}
		if n != benchBody {
			b.Fatalf("body of %d bytes", n)
		}
	}
	roundTrip() // connection set up outside the measurement
	b.ReportAllocs()
	b.SetBytes(benchBody)
	r0, w0 := procSyscalls()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		roundTrip()
	}
	b.StopTimer()
	r1, w1 := procSyscalls()
	if r0 >= 0 {
		b.ReportMetric(float64(r1-r0)/float64(b.N), "readcalls/op")
		b.ReportMetric(float64(w1-w0)/float64(b.N), "writecalls/op")
	}
}

// readRawHead reads a response head and returns its Content-Length, or chunked. It does
// not allocate, so allocs/op are the server's.
func readRawHead(tb testing.TB, br *bufio.Reader) (int, bool) {
	n, chunked := -1, false
	line, err := br.ReadSlice('\n')
	if err != nil || !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) {
		tb.Fatalf("status line %q: %v", line, err)
	}
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			tb.Fatal(err)
		}
		if len(line) == 2 {
			return n, chunked
		}
		k, v, _ := bytes.Cut(bytes.TrimSpace(line), []byte(":"))
		switch {
		case bytes.EqualFold(k, []byte("content-length")):
			n = atoiBytes(bytes.TrimSpace(v), 10)
		case bytes.EqualFold(k, []byte("transfer-encoding")):
			chunked = true
		}
	}
}

func atoiBytes(b []byte, base int) int {
	n := 0
	for _, c := range b {
		d, _ := hexDigit(c)
		n = n*base + int(d)
	}
	return n
}

func readChunkedBody(tb testing.TB, br *bufio.Reader, buf []byte) int {
	total := 0
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			tb.Fatal(err)
		}
		size := atoiBytes(bytes.TrimSpace(line), 16)
		if _, err := readFull(br, buf[:size+2]); err != nil {
			tb.Fatal(err)
		}
		if size == 0 {
			return total
		}
		total += size
	}
}

func readFull(br *bufio.Reader, p []byte) (int, error) {
	n := 0
	for n < len(p) {
		m, err := br.Read(p[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// procSyscalls returns this process's read- and write-like syscall counts, or -1 where
// /proc is missing.
func procSyscalls() (reads, writes int64) {
	data, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return -1, -1
	}
	reads, writes = -1, -1
	for _, line := range strings.Split(string(data), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "syscr":
			reads = n
		case "syscw":
			writes = n
		}
	}
	return reads, writes
}

// BenchmarkAppendFields serializes the header of an edge cache hit (CloudFront's fields and
// the origin's): the bytes WriteHeader builds for every response.
func BenchmarkAppendFields(b *testing.B) {
	h := http.Header{
		"Expires":         {"Sat, 28 Nov 2026 16:36:58 GMT"},
		"Accept-Ranges":   {"bytes"},
		"Last-Modified":   {"Fri, 27 Nov 2026 16:36:56 GMT"},
		"X-Cache":         {"Hit from cloudfront"},
		"Age":             {"845"},
		"Server":          {"nginx/1.22.1"},
		"Date":            {"Fri, 27 Nov 2026 16:36:58 GMT"},
		"Cache-Control":   {"max-age=86400"},
		"Via":             {"1.1 9289140b1ac28dbda1437b283e6ca608.cdn.localhost (imgcdn)"},
		"X-Amz-Cf-Pop":    {"LOC1-C1"},
		"X-Amz-Cf-Id":     {"faWSeMD-RtzYUDFO_ycv8LLqdeZDiFfUo0w093bH6AB54LcL1EsB0-xy"},
		"Content-Type":    {"image/png"},
		"Etag":            {`"6b09b1a8-7e71"`},
		"Content-Length":  {"32369"},
		"X-Content-Flags": {"a"},
	}
	buf := make([]byte, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		buf = buf[:0]
		for k, vv := range h {
			buf = appendFields(buf, k, vv)
		}
	}
	b.SetBytes(int64(len(buf)))
}
