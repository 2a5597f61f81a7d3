package s3api

import (
	"github.com/imgcdn/imgcdn/internal/objstore"
)

// listVersionsResult is ListObjectVersions' answer: <Version> and <DeleteMarker> entries in
// the store's order (by key, newest first), then the common prefixes.
type listVersionsResult struct {
	Name, Prefix, Delimiter, KeyMarker, VersionIDMarker string // not yet URL-encoded
	NextKeyMarker, NextVersionIDMarker                  string
	EncodingType                                        string
	MaxKeys                                             int
	IsTruncated                                         bool
	listPage
}

func (r *listVersionsResult) writeXML(w xmlWriter) {
	w.startNS("ListVersionsResult")
	w.text("Name", r.Name)
	w.text("Prefix", r.encode(r.Prefix))
	w.text("KeyMarker", r.encode(r.KeyMarker))
	w.text("VersionIdMarker", r.VersionIDMarker)
	w.textIf("NextKeyMarker", r.encode(r.NextKeyMarker))
	w.textIf("NextVersionIdMarker", r.NextVersionIDMarker)
	w.int("MaxKeys", int64(r.MaxKeys))
	w.textIf("Delimiter", r.encode(r.Delimiter))
	w.textIf("EncodingType", r.EncodingType)
	w.bool("IsTruncated", r.IsTruncated)
	for i := range r.objects {
		o := &r.objects[i]
		if o.DeleteMarker {
			w.start("DeleteMarker")
			w.owner("Owner", r.owner)
			w.text("Key", r.encode(o.Key))
			w.text("VersionId", versionIDOf(o))
			w.bool("IsLatest", o.IsLatest)
			w.time("LastModified", o.LastModified)
			w.end("DeleteMarker")
			continue
		}
		w.start("Version")
		w.text("Key", r.encode(o.Key))
		w.text("VersionId", versionIDOf(o))
		w.bool("IsLatest", o.IsLatest)
		w.time("LastModified", o.LastModified)
		w.etag("ETag", o.ETag)
		if c := o.Checksum; c != nil && c.Algorithm != "" {
			w.text("ChecksumAlgorithm", c.Algorithm)
			w.textIf("ChecksumType", c.Type)
		}
		w.int("Size", o.Size)
		w.owner("Owner", r.owner)
		w.text("StorageClass", storageClassOf(o.Meta))
		w.end("Version")
	}
	for _, cp := range r.prefixes {
		w.start("CommonPrefixes")
		w.text("Prefix", r.encode(cp))
		w.end("CommonPrefixes")
	}
	w.end("ListVersionsResult")
}

func versionIDOf(o *objstore.ObjectInfo) string {
	if o.VersionID == "" {
		return objstore.NullVersionID
	}
	return o.VersionID
}

// listObjectVersions implements ListObjectVersions
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html). In a
// bucket that was never versioned every key has one version, "null", the latest; tools that
// empty buckets through this call (Terraform's force_destroy, consoles) work either way.
func (s *Server) listObjectVersions(rq *request) (*response, error) {
	q := rq.query
	p, err := parseListParams(q)
	if err != nil {
		return nil, err
	}
	keyMarker, versionMarker := q.Get("key-marker"), q.Get("version-id-marker")
	if versionMarker != "" && keyMarker == "" {
		return nil, invalidArgument("A version-id marker cannot be specified without a key marker.", "version-id-marker", versionMarker)
	}
	res, err := s.cfg.Store.ListObjectVersions(rq.ctx(), rq.bucket, objstore.ListVersionsInput{
		Prefix: p.prefix, Delimiter: p.delimiter, KeyMarker: keyMarker, VersionIDMarker: versionMarker, MaxKeys: p.maxKeys,
	})
	if err != nil {
		if isInvalidVersionID(err) {
			return nil, invalidArgument("Invalid version id specified", "version-id-marker", versionMarker)
		}
		return nil, err
	}
	return &response{xml: &listVersionsResult{
		Name: rq.bucket, Prefix: p.prefix, Delimiter: p.delimiter, KeyMarker: keyMarker, VersionIDMarker: versionMarker,
		NextKeyMarker: res.NextKeyMarker, NextVersionIDMarker: res.NextVersionIDMarker,
		EncodingType: p.encodingType, MaxKeys: p.maxKeys, IsTruncated: res.IsTruncated,
		listPage: listPage{objects: res.Versions, prefixes: res.CommonPrefixes, encode: p.encode, owner: s.owner()},
	}}, nil
}
