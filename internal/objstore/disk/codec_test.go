package disk

import (
	"errors"
	"reflect"
	"testing"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

func sampleRecords() []objRecord {
	return []objRecord{
		{versionID: objstore.NullVersionID, inline: true, dataID: blobID{1, 2, 3}},
		{
			size: 12, modified: 1700000000123000000, md5: [16]byte{0xde, 0xad}, parts: 2, versionID: "v1",
			checksum: &objstore.Checksum{Algorithm: "CRC32C", Value: "abc=", Type: "COMPOSITE"},
			meta: objstore.Metadata{ContentType: "image/png", CacheControl: "no-cache", ContentDisposition: "inline",
				ContentEncoding: "gzip", ContentLanguage: "en", Expires: "never", StorageClass: "GLACIER",
				User: map[string]string{"a": "1", "": "empty name", "z": ""}},
			segs: []segment{{id: blobID{9}, size: 5}, {id: blobID{8}, size: 7}},
		},
		{deleteMarker: true, versionID: "dm", segs: []segment{}},
	}
}

func TestObjectRecordRoundTrip(t *testing.T) {
	for _, rec := range sampleRecords() {
		got, err := decodeObject(rec.encode(), false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, rec) {
			t.Fatalf("round trip\n got %+v\nwant %+v", got, rec)
		}
		head, err := decodeObject(rec.encode(), true)
		if err != nil || head.size != rec.size || head.md5 != rec.md5 || head.etag() != rec.etag() || head.meta.StorageClass != rec.meta.StorageClass {
			t.Fatalf("head decode = %+v, %v", head, err)
		}
	}
}

func TestOtherRecordsRoundTrip(t *testing.T) {
	for _, b := range []bucketRecord{
		{region: "ap-south-1", created: 42},
		{region: "eu-west-1", created: 7, versioning: objstore.VersioningSuspended,
			configs: map[string][]byte{"policy": []byte(`{"Version":"2012-10-17"}`), "acl": {}, "x": {0, 0xff}}},
	} {
		if got, err := decodeBucket(b.encode()); err != nil || !reflect.DeepEqual(got, b) {
			t.Fatalf("bucket: %+v, %v", got, err)
		}
	}
	u := uploadRecord{initiated: 7, meta: objstore.Metadata{ContentType: "x", StorageClass: "STANDARD", User: map[string]string{"k": "v"}}, checksumAlgo: "SHA256", checksumType: "FULL_OBJECT"}
	if got, err := decodeUpload(u.encode()); err != nil || !reflect.DeepEqual(got, u) {
		t.Fatalf("upload: %+v, %v", got, err)
	}
	p := partRecord{size: 5, md5: [16]byte{1}, modified: 9, checksum: &objstore.Checksum{Algorithm: "CRC32", Value: "x"}, blob: blobID{4}}
	if got, err := decodePart(p.encode()); err != nil || !reflect.DeepEqual(got, p) {
		t.Fatalf("part: %+v, %v", got, err)
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	rec := sampleRecords()[1]
	enc := rec.encode()
	for _, bad := range [][]byte{nil, {}, {2}, enc[:len(enc)-1], append(enc, 0), append([]byte{9}, enc[1:]...)} {
		if _, err := decodeObject(bad, false); !errors.Is(err, errCorrupt) {
			t.Errorf("decodeObject(%x) = %v, want errCorrupt", bad, err)
		}
	}
	// Segment sizes must add up to the object size.
	rec.size++
	if _, err := decodeObject(rec.encode(), false); !errors.Is(err, errCorrupt) {
		t.Errorf("inconsistent sizes decoded: %v", err)
	}
}

func FuzzDecodeObject(f *testing.F) {
	for _, r := range sampleRecords() {
		f.Add(r.encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := decodeObject(b, false)
		if err != nil {
			return
		}
		again, err := decodeObject(rec.encode(), false)
		if err != nil || !reflect.DeepEqual(again.info("b", "k"), rec.info("b", "k")) {
			t.Fatalf("a decoded record does not round-trip: %v", err)
		}
	})
}

func TestUploadKeyEscaping(t *testing.T) {
	for _, k := range []string{"a", "a\x00", "\x00", "a\x00b\x00\x00c", "ü/ñ"} {
		key, id, err := parseUploadKey(uploadKey("bkt", k, "ID")[len(uploadBase("bkt")):])
		if err != nil || key != k || id != "ID" {
			t.Fatalf("parseUploadKey(uploadKey(%q)) = %q %q %v", k, key, id, err)
		}
	}
	if _, _, err := parseUploadKey([]byte("a\x00\x05x")); err == nil {
		t.Fatal("a bad escape parsed")
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct{ in, want []byte }{
		{[]byte("a/"), []byte("a0")},
		{[]byte{'a', 0xff}, []byte("b")},
		{[]byte{0xff, 0xff}, nil},
		{[]byte{}, nil},
	} {
		if got := prefixEnd(tc.in); string(got) != string(tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("prefixEnd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	ok := NewDefaultConfig()
	ok.Dir = "/data"
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for name, mut := range map[string]func(*Config){
		"no dir":          func(c *Config) { c.Dir = "" },
		"negative inline": func(c *Config) { c.InlineMax = -1 },
		"huge inline":     func(c *Config) { c.InlineMax = MaxInlineMax + 1 },
		"zero part size":  func(c *Config) { c.MinPartSize = 0 },
		"tiny cache":      func(c *Config) { c.CacheSize = 1 },
		"tiny memtable":   func(c *Config) { c.MemTableSize = 1 },
	} {
		c := ok
		mut(&c)
		if c.Validate() == nil {
			t.Errorf("%s: Validate accepted %+v", name, c)
		}
	}
}

func FuzzDecodeBucket(f *testing.F) {
	for _, r := range []bucketRecord{{region: "us-east-1", created: 1}, {region: "x", versioning: objstore.VersioningEnabled, configs: map[string][]byte{"policy": []byte("{}"), "acl": nil}}} {
		f.Add(r.encode())
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := decodeBucket(b)
		if err != nil {
			return
		}
		again, err := decodeBucket(rec.encode())
		if err != nil || again.region != rec.region || again.versioning != rec.versioning || len(again.configs) != len(rec.configs) {
			t.Fatalf("a decoded bucket record does not round-trip: %+v vs %+v, %v", again, rec, err)
		}
	})
}
