package cfapi

import (
	"encoding/xml"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// namespace is the XML namespace of every CloudFront 2020-05-31 document.
const namespace = "http://cloudfront.amazonaws.com/doc/2020-05-31/"

// Response documents, element for element as botocore's model names them.

type oaiConfigXML struct {
	XMLName         xml.Name `xml:"CloudFrontOriginAccessIdentityConfig"`
	CallerReference string   `xml:"CallerReference"`
	Comment         string   `xml:"Comment"`
}

type oaiXML struct {
	XMLName           xml.Name     `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CloudFrontOriginAccessIdentity"`
	ID                string       `xml:"Id"`
	S3CanonicalUserID string       `xml:"S3CanonicalUserId"`
	Config            oaiConfigXML `xml:"CloudFrontOriginAccessIdentityConfig"`
}

// oaiConfigDoc is a config as the root of a GetCloudFrontOriginAccessIdentityConfig answer.
type oaiConfigDoc struct {
	XMLName         xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CloudFrontOriginAccessIdentityConfig"`
	CallerReference string   `xml:"CallerReference"`
	Comment         string   `xml:"Comment"`
}

type oaiListXML struct {
	XMLName     xml.Name     `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ CloudFrontOriginAccessIdentityList"`
	Marker      string       `xml:"Marker"`
	NextMarker  string       `xml:"NextMarker,omitempty"`
	MaxItems    int          `xml:"MaxItems"`
	IsTruncated bool         `xml:"IsTruncated"`
	Quantity    int          `xml:"Quantity"`
	Items       *oaiItemsXML `xml:"Items"` // absent when empty, as CloudFront does
}

type oaiItemsXML struct {
	Summaries []oaiSummaryXML `xml:"CloudFrontOriginAccessIdentitySummary"`
}

type oaiSummaryXML struct {
	ID                string `xml:"Id"`
	S3CanonicalUserID string `xml:"S3CanonicalUserId"`
	Comment           string `xml:"Comment"`
}

type oacConfigXML struct {
	XMLName         xml.Name `xml:"OriginAccessControlConfig"`
	Name            string   `xml:"Name"`
	Description     string   `xml:"Description"`
	SigningProtocol string   `xml:"SigningProtocol"`
	SigningBehavior string   `xml:"SigningBehavior"`
	OriginType      string   `xml:"OriginAccessControlOriginType"`
}

type oacXML struct {
	XMLName xml.Name     `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginAccessControl"`
	ID      string       `xml:"Id"`
	Config  oacConfigXML `xml:"OriginAccessControlConfig"`
}

type oacConfigDoc struct {
	XMLName         xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginAccessControlConfig"`
	Name            string   `xml:"Name"`
	Description     string   `xml:"Description"`
	SigningProtocol string   `xml:"SigningProtocol"`
	SigningBehavior string   `xml:"SigningBehavior"`
	OriginType      string   `xml:"OriginAccessControlOriginType"`
}

type oacListXML struct {
	XMLName     xml.Name     `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ OriginAccessControlList"`
	Marker      string       `xml:"Marker"`
	NextMarker  string       `xml:"NextMarker,omitempty"`
	MaxItems    int          `xml:"MaxItems"`
	IsTruncated bool         `xml:"IsTruncated"`
	Quantity    int          `xml:"Quantity"`
	Items       *oacItemsXML `xml:"Items"` // absent when empty
}

type oacItemsXML struct {
	Summaries []oacSummaryXML `xml:"OriginAccessControlSummary"`
}

type oacSummaryXML struct {
	ID              string `xml:"Id"`
	Description     string `xml:"Description"`
	Name            string `xml:"Name"`
	SigningProtocol string `xml:"SigningProtocol"`
	SigningBehavior string `xml:"SigningBehavior"`
	OriginType      string `xml:"OriginAccessControlOriginType"`
}

func toOAIXML(o distrib.OAI) oaiXML {
	return oaiXML{ID: o.ID, S3CanonicalUserID: o.S3CanonicalUserID,
		Config: oaiConfigXML{CallerReference: o.Config.CallerReference, Comment: o.Config.Comment}}
}

func toOACConfigXML(c distrib.OACConfig) oacConfigXML {
	return oacConfigXML{Name: c.Name, Description: c.Description, SigningProtocol: c.SigningProtocol,
		SigningBehavior: c.SigningBehavior, OriginType: c.OriginType}
}
