package s3api

import (
	"bytes"
	"encoding/xml"
	"io"
)

// readXML reads the request body (checked against the signature) and decodes it into v.
// It reports empty for a body of only white space, which some operations allow
// (CreateBucket without a configuration). Bodies over MaxXMLBodySize are refused before they
// are buffered whole; anything that is not well-formed XML for v is MalformedXML.
func (s *Server) readXML(rq *request, v any) (empty bool, err error) {
	body, err := rq.body()
	if err != nil {
		return false, err
	}
	data, err := io.ReadAll(io.LimitReader(body, s.cfg.MaxXMLBodySize+1))
	if err != nil {
		return false, err
	}
	if int64(len(data)) > s.cfg.MaxXMLBodySize {
		return false, newError(codeMaxMessageLengthExceeded).
			withMessage("Your request was too big: XML bodies are limited to " + itoa(s.cfg.MaxXMLBodySize) + " bytes.")
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
