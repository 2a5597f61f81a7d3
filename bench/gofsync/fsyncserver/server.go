// Package fsyncserver is the benchmark baseline of issue 2: a bare Go HTTP file server that
// fsyncs every PUT body before answering and serves GETs straight from the file. It does the
// least work a durable object server can do (no auth, no metadata store, no checksums, no
// listing), so its PUT and GET rates are roughly the ceiling of the disk and CPU a real server
// is measured on.
//
// It understands just enough of the S3 REST API, path-style, for imgcdn-bench run with
// UNSIGNED-PAYLOAD and checksums off: CreateBucket/HeadBucket (accepted, nothing stored),
// PutObject, GetObject, HeadObject and DeleteObject. Anything else, including aws-chunked
// bodies, answers 501 so that a misconfigured bench fails loudly instead of measuring nonsense.
package fsyncserver

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Server stores each object in its own file under Dir/objects, named by a hash of bucket and
// key so that keys never become paths.
type Server struct {
	objects string
	tmp     string
}

var _ http.Handler = (*Server)(nil)

// New prepares dir (creating it and its 256 fan-out directories) and returns a Server on it.
// Temporary files left by a previous crash are removed.
func New(dir string) (*Server, error) {
	s := &Server{objects: filepath.Join(dir, "objects"), tmp: filepath.Join(dir, "tmp")}
	if err := os.RemoveAll(s.tmp); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(s.tmp, 0o755); err != nil {
		return nil, err
	}
	for i := range 256 {
		if err := os.MkdirAll(filepath.Join(s.objects, fmt.Sprintf("%02x", i)), 0o755); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Server) path(bucket, key string) string {
	sum := sha256.Sum256([]byte(bucket + "\x00" + key))
	name := hex.EncodeToString(sum[:])
	return filepath.Join(s.objects, name[:2], name)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		w.WriteHeader(http.StatusOK)
		return
	}
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch {
	case bucket == "":
		notImplemented(w, "ListBuckets")
	case key == "":
		s.bucket(w, r)
	case r.Method == http.MethodPut:
		s.put(w, r, bucket, key)
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		s.get(w, r, bucket, key)
	case r.Method == http.MethodDelete:
		if err := os.Remove(s.path(bucket, key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		notImplemented(w, r.Method+" on an object")
	}
}

// bucket accepts CreateBucket and HeadBucket without storing anything: every bucket exists.
func (s *Server) bucket(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodPut, http.MethodHead:
		w.WriteHeader(http.StatusOK)
	default:
		notImplemented(w, r.Method+" on a bucket")
	}
}

func (s *Server) put(w http.ResponseWriter, r *http.Request, bucket, key string) {
	q := r.URL.Query()
	if q.Has("uploadId") || q.Has("uploads") || r.Header.Get("X-Amz-Copy-Source") != "" {
		notImplemented(w, "multipart upload and copy")
		return
	}
	if strings.Contains(r.Header.Get("Content-Encoding"), "aws-chunked") ||
		strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
		notImplemented(w, "aws-chunked bodies (run imgcdn-bench with --payload unsigned --checksum when_required)")
		return
	}
	f, err := os.CreateTemp(s.tmp, "put-")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	n, err := io.Copy(f, r.Body)
	if err == nil && r.ContentLength >= 0 && n != r.ContentLength {
		err = fmt.Errorf("body has %d bytes, Content-Length says %d", n, r.ContentLength)
	}
	if err == nil {
		err = f.Sync() // the durability every server in the comparison must pay for
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.path(bucket, key))
	}
	if err != nil {
		os.Remove(f.Name())
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (s *Server) get(w http.ResponseWriter, r *http.Request, bucket, key string) {
	f, err := os.Open(s.path(bucket, key))
	if errors.Is(err, fs.ErrNotExist) {
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		if r.Method == http.MethodGet {
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
		}
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Last-Modified", st.ModTime().UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		io.Copy(w, f) // net/http uses sendfile(2) for an *os.File
	}
}

func notImplemented(w http.ResponseWriter, what string) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusNotImplemented)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>gofsync does not implement %s</Message></Error>`, what)
}
