package cfapi

import (
	"encoding/xml"
	"errors"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// FuzzDecodeOAIConfig feeds arbitrary bodies to the config decoder: it must never panic, fail
// only with MalformedInput or InvalidArgument, and whatever it accepts must survive a
// marshal/decode round trip unchanged.
func FuzzDecodeOAIConfig(f *testing.F) {
	f.Add([]byte(oaiBody))
	f.Add([]byte(`<CloudFrontOriginAccessIdentityConfig><CallerReference>r</CallerReference><Comment/></CloudFrontOriginAccessIdentityConfig>`))
	f.Add([]byte(`<?xml version="1.0"?><CloudFrontOriginAccessIdentityConfig><CallerReference>&amp;</CallerReference><Comment>]]&gt;</Comment></CloudFrontOriginAccessIdentityConfig><!-- x -->`))
	f.Add([]byte(`<CloudFrontOriginAccessIdentityConfig><CallerReference>a</CallerReference>`))
	f.Add([]byte(`<a/><b/>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeOAIConfig(b)
		if err != nil {
			if !errors.Is(err, errMalformed) && !errors.Is(err, distrib.ErrInvalidArgument) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			if e := errorFor(err); e.status != 400 {
				t.Fatalf("maps to %d %s, want a 400", e.status, e.code)
			}
			return
		}
		out, err := xml.Marshal(oaiConfigDoc{CallerReference: c.CallerReference, Comment: c.Comment})
		if err != nil {
			t.Fatal(err)
		}
		back, err := decodeOAIConfig(out)
		if err != nil || back != c {
			t.Fatalf("round trip of %+v: %+v, %v\n%s", c, back, err, out)
		}
	})
}

// FuzzDecodeOACConfig is FuzzDecodeOAIConfig for origin access control configs.
func FuzzDecodeOACConfig(f *testing.F) {
	f.Add([]byte(oacBody))
	f.Add([]byte(`<OriginAccessControlConfig><Name>n</Name><SigningProtocol>sigv4</SigningProtocol></OriginAccessControlConfig>`))
	f.Add([]byte(`<OriginAccessControlConfig><Name>&lt;</Name><Description/><SigningProtocol/><SigningBehavior/><OriginAccessControlOriginType/></OriginAccessControlConfig>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeOACConfig(b)
		if err != nil {
			if e := errorFor(err); e.status != 400 || (e.code != "MalformedInput" && e.code != "InvalidArgument") {
				t.Fatalf("%v maps to %d %s, want MalformedInput or InvalidArgument", err, e.status, e.code)
			}
			return
		}
		out, err := xml.Marshal(oacConfigDoc{Name: c.Name, Description: c.Description, SigningProtocol: c.SigningProtocol,
			SigningBehavior: c.SigningBehavior, OriginType: c.OriginType})
		if err != nil {
			t.Fatal(err)
		}
		if back, err := decodeOACConfig(out); err != nil || back != c {
			t.Fatalf("round trip of %+v: %+v, %v\n%s", c, back, err, out)
		}
	})
}

// FuzzDecodeDistributionConfig feeds arbitrary bodies to the DistributionConfig decoder: it
// must never panic, fail only with a 400 (MalformedInput, InvalidArgument,
// InconsistentQuantities), and a config it accepts and that validates must encode to a
// document that decodes to the same config (GetDistributionConfig -> UpdateDistribution).
func FuzzDecodeDistributionConfig(f *testing.F) {
	f.Add([]byte(seedDistBody))
	f.Add([]byte(`<DistributionConfig><CallerReference>r</CallerReference><Comment/><Enabled>false</Enabled><Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>localhost</DomainName><CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort><OriginProtocolPolicy>http-only</OriginProtocolPolicy></CustomOriginConfig></Origin></Items></Origins><DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><ViewerProtocolPolicy>allow-all</ViewerProtocolPolicy><CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId></DefaultCacheBehavior></DistributionConfig>`))
	f.Add([]byte(`<DistributionConfig><Origins><Quantity>2</Quantity></Origins></DistributionConfig>`))
	f.Add([]byte(`<DistributionConfigWithTags><Tags/></DistributionConfigWithTags>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := decodeDistConfig(b)
		if err != nil {
			if e := errorFor(err); e.status != 400 || (e.code != "MalformedInput" && e.code != "InvalidArgument" && e.code != "InconsistentQuantities") {
				t.Fatalf("%v maps to %d %s", err, e.status, e.code)
			}
			return
		}
		c.Normalize()
		if c.Validate() != nil {
			return
		}
		out := newRecorderXML(distConfigDoc{distConfigXML: fromDomain(c)})
		back, err := decodeDistConfig(out)
		if err != nil {
			t.Fatalf("the encoding of an accepted config does not decode: %v\n%s", err, out)
		}
		back.Normalize()
		if again := newRecorderXML(distConfigDoc{distConfigXML: fromDomain(back)}); string(again) != string(out) {
			t.Fatalf("round trip differs:\n%s\n%s", out, again)
		}
	})
}

// FuzzDecodeInvalidationBatch: never a panic, only 400s, and accepted batches round-trip.
func FuzzDecodeInvalidationBatch(f *testing.F) {
	f.Add([]byte(`<InvalidationBatch><Paths><Quantity>1</Quantity><Items><Path>/images/*</Path></Items></Paths><CallerReference>r</CallerReference></InvalidationBatch>`))
	f.Add([]byte(`<InvalidationBatch><Paths><Quantity>0</Quantity></Paths></InvalidationBatch>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ref, paths, err := decodeInvalidationBatch(b)
		if err != nil {
			if e := errorFor(err); e.status != 400 {
				t.Fatalf("%v maps to %d %s", err, e.status, e.code)
			}
			return
		}
		doc := toInvalidationXML(distrib.Invalidation{CallerReference: ref, Paths: paths})
		out, err := xml.Marshal(invalidationBatchIn{invalidationBatchXML: doc.Batch})
		if err != nil {
			t.Fatal(err)
		}
		ref2, paths2, err := decodeInvalidationBatch(out)
		if err != nil || ref2 != ref || strings.Join(paths2, "\x00") != strings.Join(paths, "\x00") {
			t.Fatalf("round trip: %q %q %v\n%s", ref2, paths2, err, out)
		}
	})
}
