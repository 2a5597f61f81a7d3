package main

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// fakeS3 is an in-memory, path-style S3 subset for the generator's tests: the list and multipart
// calls bench/gofsync does not implement. It keeps sizes, not bodies, and records the headers
// of uploads so that tests can check what the client really sent.
type fakeS3 struct {
	mu      sync.Mutex
	pattern []byte
	objects map[string]int64 // bucket/key -> size
	uploads map[string]map[int]int64
	nextID  int
	// encrypted holds the buckets given an AES256 default encryption.
	encrypted map[string]bool
	lastAuth  string // Authorization of the last request
	// uploadHeaders has the x-amz-content-sha256 and x-amz-checksum-crc32 of every PUT.
	uploadHeaders [][2]string
}

func newFakeS3() *fakeS3 {
	return &fakeS3{pattern: newPattern(), objects: map[string]int64{}, uploads: map[string]map[int]int64{}, encrypted: map[string]bool{}}
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastAuth = r.Header.Get("Authorization")
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	q := r.URL.Query()
	switch {
	case key == "" && r.Method == http.MethodPut && q.Has("encryption"):
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "<SSEAlgorithm>AES256</SSEAlgorithm>") {
			http.Error(w, "MalformedXML", http.StatusBadRequest)
			return
		}
		f.encrypted[bucket] = true
	case key == "" && r.Method == http.MethodPut:
	case key == "" && r.Method == http.MethodGet && q.Get("list-type") == "2":
		f.list(w, bucket, q.Get("continuation-token"), q.Get("max-keys"))
	case r.Method == http.MethodPost && q.Has("uploads"):
		f.nextID++
		id := fmt.Sprintf("upload-%d", f.nextID)
		f.uploads[id] = map[int]int64{}
		fmt.Fprintf(w, `<InitiateMultipartUploadResult><Bucket>%s</Bucket><Key>%s</Key><UploadId>%s</UploadId></InitiateMultipartUploadResult>`, bucket, key, id)
	case r.Method == http.MethodPut && q.Has("uploadId"):
		parts, ok := f.uploads[q.Get("uploadId")]
		if !ok {
			http.Error(w, "NoSuchUpload", http.StatusNotFound)
			return
		}
		n, etag := f.consume(r)
		pn, _ := strconv.Atoi(q.Get("partNumber"))
		parts[pn] = n
		w.Header().Set("ETag", etag)
	case r.Method == http.MethodPost && q.Has("uploadId"):
		f.complete(w, r, bucket+"/"+key, q.Get("uploadId"))
	case r.Method == http.MethodDelete && q.Has("uploadId"):
		delete(f.uploads, q.Get("uploadId"))
		w.WriteHeader(http.StatusNoContent)
	case r.Method == http.MethodPut:
		n, etag := f.consume(r)
		f.objects[bucket+"/"+key] = n
		w.Header().Set("ETag", etag)
		if f.encrypted[bucket] {
			w.Header().Set("X-Amz-Server-Side-Encryption", "AES256")
		}
	case r.Method == http.MethodHead || r.Method == http.MethodGet:
		n, ok := f.objects[bucket+"/"+key]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		if r.Method == http.MethodGet {
			io.CopyN(w, newGenReader(f.pattern, 0, n), n)
		}
	default:
		http.Error(w, "fake S3 does not do "+r.Method+" "+r.URL.String(), http.StatusNotImplemented)
	}
}

// consume reads an upload body and returns its size and quoted MD5.
func (f *fakeS3) consume(r *http.Request) (int64, string) {
	f.uploadHeaders = append(f.uploadHeaders, [2]string{r.Header.Get("X-Amz-Content-Sha256"), r.Header.Get("X-Amz-Checksum-Crc32")})
	h := md5.New()
	n, _ := io.Copy(h, r.Body)
	return n, `"` + hex.EncodeToString(h.Sum(nil)) + `"`
}

func (f *fakeS3) list(w http.ResponseWriter, bucket, token, maxKeys string) {
	var keys []string
	for k := range f.objects {
		if b, key, _ := strings.Cut(k, "/"); b == bucket {
			keys = append(keys, key)
		}
	}
	slices.Sort(keys)
	start, _ := slices.BinarySearch(keys, token)
	if token != "" && start < len(keys) && keys[start] == token {
		start++
	}
	max, _ := strconv.Atoi(maxKeys)
	end := min(start+max, len(keys))
	page := keys[start:end]
	fmt.Fprintf(w, `<ListBucketResult><Name>%s</Name><KeyCount>%d</KeyCount><MaxKeys>%d</MaxKeys><IsTruncated>%v</IsTruncated>`,
		bucket, len(page), max, end < len(keys))
	if end < len(keys) {
		fmt.Fprintf(w, `<NextContinuationToken>%s</NextContinuationToken>`, page[len(page)-1])
	}
	for _, k := range page {
		fmt.Fprintf(w, `<Contents><Key>%s</Key><Size>%d</Size></Contents>`, k, f.objects[bucket+"/"+k])
	}
	io.WriteString(w, `</ListBucketResult>`)
}

func (f *fakeS3) complete(w http.ResponseWriter, r *http.Request, object, id string) {
	parts, ok := f.uploads[id]
	if !ok {
		http.Error(w, "NoSuchUpload", http.StatusNotFound)
		return
	}
	var body struct {
		Parts []struct {
			PartNumber int
			ETag       string
		} `xml:"Part"`
	}
	if err := xml.NewDecoder(r.Body).Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var size int64
	for i, p := range body.Parts {
		if p.PartNumber != i+1 || p.ETag == "" {
			http.Error(w, "InvalidPartOrder", http.StatusBadRequest)
			return
		}
		size += parts[p.PartNumber]
	}
	f.objects[object] = size
	delete(f.uploads, id)
	fmt.Fprintf(w, `<CompleteMultipartUploadResult><ETag>"fake-%d"</ETag></CompleteMultipartUploadResult>`, len(body.Parts))
}
