package s3api

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/objstore"
)

// createBucketConfiguration is CreateBucket's optional request body.
type createBucketConfiguration struct {
	XMLName            xml.Name  `xml:"CreateBucketConfiguration"`
	LocationConstraint string    `xml:"LocationConstraint"`
	Location           *struct{} `xml:"Location"`
	Bucket             *struct{} `xml:"Bucket"`
	Tags               *struct{} `xml:"Tags"`
}

// createBucket implements CreateBucket
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html).
func (s *Server) createBucket(rq *request) (*response, error) {
	if err := objstore.ValidateBucketName(rq.bucket); err != nil {
		return nil, newError(codeInvalidBucketName).with("BucketName", rq.bucket).withMessage(
			"The specified bucket is not valid: " + strings.TrimPrefix(err.Error(), objstore.ErrInvalidBucketName.Error()+": ") +
				". See the bucket naming rules in the Amazon S3 user guide.")
	}
	h := rq.r.Header
	if strings.EqualFold(h.Get("X-Amz-Bucket-Object-Lock-Enabled"), "true") {
		return nil, notImplemented("Object Lock")
	}
	own, acl, err := bucketACLHeaders(h)
	if err != nil {
		return nil, err
	}
	var conf createBucketConfiguration
	if _, err := s.readXML(rq, &conf, false, true); err != nil {
		return nil, err
	}
	if conf.Location != nil || conf.Bucket != nil {
		return nil, notImplemented("Directory buckets (CreateBucketConfiguration Location/Bucket)")
	}
	if conf.Tags != nil {
		return nil, notImplemented("Bucket tags")
	}
	region, err := s.bucketRegion(rq, strings.TrimSpace(conf.LocationConstraint))
	if err != nil {
		return nil, err
	}
	err = s.cfg.Store.CreateBucket(rq.ctx(), objstore.Bucket{Name: rq.bucket, Region: region, Created: s.cfg.Now()})
	if err == nil {
		err = s.initBucketACL(rq, own, acl)
	} else if errors.Is(err, objstore.ErrBucketExists) {
		// Every bucket belongs to the installation's one account, so an existing name is
		// always "owned by you". AWS answers BucketAlreadyOwnedByYou everywhere except, "for
		// legacy compatibility", when the bucket exists in us-east-1 (North Virginia) and is
		// re-created there: then it answers 200 OK (CreateBucket reference, Errors section).
		existing, gerr := s.cfg.Store.GetBucket(rq.ctx(), rq.bucket)
		if gerr == nil && existing.Region == objstore.DefaultRegion && region == objstore.DefaultRegion {
			err = nil
		}
	}
	if err != nil {
		return nil, err
	}
	resp := &response{}
	resp.set("Location", s.bucketLocation(rq, region))
	return resp, nil
}

// bucketRegion applies CreateBucket's LocationConstraint rules, with the configured default
// region in the part AWS gives us-east-1, its "global" endpoint:
//
//   - no (or an empty) LocationConstraint means the default region, unless the request was
//     signed for another region: AWS's regional endpoints answer that with
//     IllegalLocationConstraintException;
//   - the default region named explicitly is InvalidLocationConstraint (AWS refuses
//     LocationConstraint=us-east-1, which botocore reports as "The specified
//     location-constraint is not valid");
//   - another region is accepted when the request was signed for it or for the default
//     region (the global endpoint creates buckets anywhere), and is otherwise
//     IllegalLocationConstraintException.
func (s *Server) bucketRegion(rq *request, lc string) (string, error) {
	def := s.cfg.Region
	signed := rq.auth.Region // empty for anonymous requests
	switch {
	case lc == "":
		if signed != "" && signed != def {
			return "", newError(codeIllegalLocationConstraintException)
		}
		return def, nil
	case lc == def || (lc != "EU" && !validRegion(lc)):
		return "", newError(codeInvalidLocationConstraint).with("LocationConstraint", lc)
	case signed != "" && signed != def && signed != lc:
		return "", newError(codeIllegalLocationConstraintException).withMessage(
			"The " + lc + " location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	return lc, nil
}

// bucketLocation is CreateBucket's Location header: "/bucket" in us-east-1 and the bucket's
// URL elsewhere, as AWS ("http://bucket.s3.amazonaws.com/"), with this server's address.
func (s *Server) bucketLocation(rq *request, region string) string {
	if region == objstore.DefaultRegion {
		return "/" + rq.bucket
	}
	if rq.virtualHost {
		return scheme(rq.r) + "://" + rq.r.Host + "/"
	}
	return scheme(rq.r) + "://" + rq.r.Host + "/" + rq.bucket + "/"
}

func scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	return "http"
}

// bucketACLHeaders reads x-amz-object-ownership and x-amz-acl of CreateBucket. Since April
// 2023 AWS creates buckets with Object Ownership BucketOwnerEnforced, where ACLs are disabled
// and any ACL but the owner-only ones fails with InvalidBucketAclWithObjectOwnership; a
// bucket created with ObjectWriter or BucketOwnerPreferred takes a canned ACL.
func bucketACLHeaders(h http.Header) (own, acl string, err error) {
	own, acl = h.Get("X-Amz-Object-Ownership"), h.Get("X-Amz-Acl")
	if own != "" && !validOwnership(own) {
		return "", "", invalidArgument("Invalid x-amz-object-ownership header: "+own, "x-amz-object-ownership", own)
	}
	if own == "" || own == ownershipEnforced {
		if hasGrantHeaders(h) || !ownerOnlyACL(acl) {
			return "", "", newError(codeInvalidBucketAclWithObjectOwnership)
		}
		return own, "", nil
	}
	if hasGrantHeaders(h) {
		return "", "", errExplicitGrants()
	}
	if acl != "" && !bucketCannedACLs[acl] {
		return "", "", invalidArgument("The canned ACL "+acl+" is not valid for a bucket.", "x-amz-acl", acl)
	}
	return own, acl, nil
}

// initBucketACL records the Object Ownership and canned ACL a new bucket was created with,
// when they differ from the defaults (BucketOwnerEnforced, private).
func (s *Server) initBucketACL(rq *request, own, acl string) error {
	if own != "" && own != ownershipEnforced {
		if err := s.putConfigDocument(rq, configOwnership, &ownershipControls{Rules: []ownershipRule{{own}}}, own); err != nil {
			return err
		}
	}
	if acl != "" && acl != aclPrivate {
		return s.cfg.Store.PutBucketConfig(rq.ctx(), rq.bucket, configACL, []byte(acl))
	}
	return nil
}
