package cfapi

import "encoding/xml"

// Documents of the CloudFront Functions operations, element for element as botocore's model
// names them (FunctionSummary, FunctionConfig, FunctionMetadata, FunctionList,
// CreateFunctionRequest).

type functionConfigXML struct {
	Comment string `xml:"Comment"`
	Runtime string `xml:"Runtime"`
}

type functionMetadataXML struct {
	FunctionARN      string `xml:"FunctionARN"`
	Stage            string `xml:"Stage"`
	CreatedTime      string `xml:"CreatedTime"`
	LastModifiedTime string `xml:"LastModifiedTime"`
}

// functionSummaryXML is a FunctionSummary inside a list.
type functionSummaryXML struct {
	Name             string              `xml:"Name"`
	Status           string              `xml:"Status"`
	FunctionConfig   functionConfigXML   `xml:"FunctionConfig"`
	FunctionMetadata functionMetadataXML `xml:"FunctionMetadata"`
}

// functionSummaryDoc is a FunctionSummary as the root of a DescribeFunction answer.
type functionSummaryDoc struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ FunctionSummary"`
	functionSummaryXML
}

type functionListXML struct {
	XMLName    xml.Name          `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ FunctionList"`
	NextMarker string            `xml:"NextMarker,omitempty"`
	MaxItems   int               `xml:"MaxItems"`
	Quantity   int               `xml:"Quantity"`
	Items      *functionItemsXML `xml:"Items"` // absent when empty, as CloudFront does
}

type functionItemsXML struct {
	Summaries []functionSummaryXML `xml:"FunctionSummary"`
}

// createFunctionIn is a CreateFunctionRequest body. Only the Name decides the answer: imgcdn
// runs no user code, so the config and code are not kept.
type createFunctionIn struct {
	XMLName        xml.Name           `xml:"CreateFunctionRequest"`
	Name           *string            `xml:"Name"`
	FunctionConfig *functionConfigXML `xml:"FunctionConfig"`
	FunctionCode   *string            `xml:"FunctionCode"`
}
