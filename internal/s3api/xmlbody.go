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
	h := rq.r.Header
	sum, err := contentMD5(h)
	if err != nil {
		return false, err
	}
	declared := false
	if bodyChecksum {
		if _, declared, err = checksum.Parse(h); err != nil {
			return false, err
		}
	}
	if required && sum == nil && !declared {
		return false, newError(codeInvalidRequest).withMessage("Missing required header for this request: Content-MD5")
	}
	body, err := rq.body()
	if err != nil {
		return false, err
	}
	var rd io.Reader = body
	if bodyChecksum {
		if rd, _, err = checkedBody(h, body, ""); err != nil {
			return false, err
		}
	}
	data, err := io.ReadAll(io.LimitReader(rd, s.cfg.MaxXMLBodySize+1))
	if err != nil {
		return false, err
	}
	if int64(len(data)) > s.cfg.MaxXMLBodySize {
		return false, newError(codeMaxMessageLengthExceeded).
			withMessage("Your request was too big: XML bodies are limited to " + itoa(s.cfg.MaxXMLBodySize) + " bytes.")
	}
	if sum != nil {
		if got := md5.Sum(data); !bytes.Equal(got[:], sum) {
			return false, newError(codeBadDigest)
		}
	}
	return decodeXML(data, v)
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
