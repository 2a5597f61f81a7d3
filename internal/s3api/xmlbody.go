package s3api

import (
	"bytes"
	"crypto/md5"
	"encoding/xml"
	"io"

	"github.com/imgcdn/imgcdn/internal/checksum"
)

// readXML reads a request's XML body (through the signature check) and decodes it into v,
// with the body's integrity checked: a Content-MD5 always, and an
// x-amz-checksum-* header or trailer when bodyChecksum (on CompleteMultipartUpload that
// header is the object's checksum, not the body's). With required, as for DeleteObjects,
// one of them must be present.
func (s *Server) readXML(rq *request, v any, required, bodyChecksum bool) (empty bool, err error) {
	data, err := s.readBody(rq, s.cfg.MaxXMLBodySize, required, bodyChecksum)
	if err != nil {
		return false, err
	}
	return decodeXML(data, v)
}

// readBody reads a small request body whole, at most limit bytes (MaxMessageLengthExceeded
// beyond), with the integrity checks readXML describes.
func (s *Server) readBody(rq *request, limit int64, required, bodyChecksum bool) ([]byte, error) {
	h := rq.r.Header
	sum, err := contentMD5(h)
	if err != nil {
		return nil, err
	}
	declared := false
	if bodyChecksum {
		if _, declared, err = checksum.Parse(h); err != nil {
			return nil, err
		}
	}
	if required && sum == nil && !declared {
		return nil, newError(codeInvalidRequest).withMessage("Missing required header for this request: Content-MD5")
	}
	body, err := rq.body()
	if err != nil {
		return nil, err
	}
	var rd io.Reader = body
	if bodyChecksum {
		if rd, _, err = checkedBody(h, body, ""); err != nil {
			return nil, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, newError(codeMaxMessageLengthExceeded).
			withMessage("Your request was too big: this request's body is limited to " + itoa(limit) + " bytes.")
	}
	if sum != nil {
		if got := md5.Sum(data); !bytes.Equal(got[:], sum) {
			return nil, newError(codeBadDigest)
		}
	}
	return data, nil
}

// decodeXML decodes a request document; white space only is empty.
func decodeXML(data []byte, v any) (empty bool, err error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return true, nil
	}
	if err := xml.Unmarshal(data, v); err != nil {
		e := newError(codeMalformedXML)
		e.cause = err
		return false, e
	}
	return false, nil
}
