package cfapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Request documents. Pointers tell a missing element from an empty one: botocore marks
// CallerReference and Comment (and an OAC's Name, SigningProtocol, SigningBehavior and
// OriginAccessControlOriginType) as required, so their absence is an InvalidArgument naming
// the field. The root element's name is checked; its namespace is not, as clients differ.
type oaiConfigIn struct {
	XMLName         xml.Name `xml:"CloudFrontOriginAccessIdentityConfig"`
	CallerReference *string  `xml:"CallerReference"`
	Comment         *string  `xml:"Comment"`
}

type oacConfigIn struct {
	XMLName         xml.Name `xml:"OriginAccessControlConfig"`
	Name            *string  `xml:"Name"`
	Description     *string  `xml:"Description"`
	SigningProtocol *string  `xml:"SigningProtocol"`
	SigningBehavior *string  `xml:"SigningBehavior"`
	OriginType      *string  `xml:"OriginAccessControlOriginType"`
}

// readBody reads at most MaxBodySize bytes of a body; an empty one is errMissingBody.
func readBody(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBodySize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxBodySize {
		return nil, fmt.Errorf("%w: the body is larger than %d bytes", errMalformed, MaxBodySize)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errMissingBody
	}
	return b, nil
}

// decodeXML decodes one document into v and refuses anything but whitespace, comments and
// processing instructions after its root element.
func decodeXML(b []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", errMalformed, err)
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%w: %v", errMalformed, err)
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return fmt.Errorf("%w: text after the root element", errMalformed)
			}
		default:
			return fmt.Errorf("%w: content after the root element", errMalformed)
		}
	}
}

// decodeOAIConfig parses a CloudFrontOriginAccessIdentityConfig document.
func decodeOAIConfig(b []byte) (distrib.OAIConfig, error) {
	var in oaiConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.OAIConfig{}, err
	}
	var c distrib.OAIConfig
	for _, f := range []struct {
		name string
		in   *string
		out  *string
	}{{"CallerReference", in.CallerReference, &c.CallerReference}, {"Comment", in.Comment, &c.Comment}} {
		if f.in == nil {
			return distrib.OAIConfig{}, distrib.InvalidArgument(f.name, "is required")
		}
		*f.out = *f.in
	}
	return c, nil
}

// decodeOACConfig parses an OriginAccessControlConfig document.
func decodeOACConfig(b []byte) (distrib.OACConfig, error) {
	var in oacConfigIn
	if err := decodeXML(b, &in); err != nil {
		return distrib.OACConfig{}, err
	}
	var c distrib.OACConfig
	for _, f := range []struct {
		name     string
		in       *string
		out      *string
		required bool
	}{
		{"Name", in.Name, &c.Name, true},
		{"Description", in.Description, &c.Description, false},
		{"SigningProtocol", in.SigningProtocol, &c.SigningProtocol, true},
		{"SigningBehavior", in.SigningBehavior, &c.SigningBehavior, true},
		{"OriginAccessControlOriginType", in.OriginType, &c.OriginType, true},
	} {
		switch {
		case f.in != nil:
			*f.out = *f.in
		case f.required:
			return distrib.OACConfig{}, distrib.InvalidArgument(f.name, "is required")
		}
	}
	return c, nil
}
