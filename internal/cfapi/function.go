package cfapi

import (
	"errors"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// functionPath is the CloudFront Functions resource (botocore's requestUri of each
// operation): /2020-05-31/function[/{Name}[/describe|/publish|/test]].
const functionPath = apiVersion + "/function"

// Errors of the Functions operations. imgcdn has exactly one function, the built-in image
// optimizer, and runs no user code.
var (
	// errNoSuchFunction: 404 NoSuchFunctionExists.
	errNoSuchFunction = errors.New("the function does not exist; imgcdn's only function is " + distrib.ImageOptimizerFunctionName)
	// errFunctionExists: CreateFunction of the built-in name (409 FunctionAlreadyExists).
	errFunctionExists = errors.New("a function named " + distrib.ImageOptimizerFunctionName + " already exists: it is built into imgcdn and published; associate its ARN with a cache behavior")
	// errUserFunctions: CreateFunction of any other name (400 UnsupportedOperation).
	errUserFunctions = errors.New("imgcdn runs no user CloudFront Functions; its one function is the built-in " + distrib.ImageOptimizerFunctionName)
	// errBuiltinFunction: Update, Publish, Test or Delete of the built-in function
	// (400 UnsupportedOperation: the code those operations list in botocore's model).
	errBuiltinFunction = errors.New(distrib.ImageOptimizerFunctionName + " is built into imgcdn and always published; it cannot be updated, published, tested or deleted")
)

// routeFunction classifies the Functions operations; ok is false for any other path. It is
// pure, like route.
func routeFunction(method, path string) (o op, name string, ok bool) {
	rest, found := strings.CutPrefix(path, functionPath)
	if !found || rest != "" && rest[0] != '/' {
		return opUnsupported, "", false
	}
	if rest == "" {
		switch method {
		case http.MethodPost:
			return opCreateFunction, "", true
		case http.MethodGet:
			return opListFunctions, "", true
		}
		return opUnsupported, "", true
	}
	name, sub, hasSub := strings.Cut(rest[1:], "/")
	switch {
	case name == "":
	case !hasSub && method == http.MethodGet:
		return opGetFunction, name, true
	case !hasSub && method == http.MethodPut:
		return opUpdateFunction, name, true
	case !hasSub && method == http.MethodDelete:
		return opDeleteFunction, name, true
	case sub == "describe" && method == http.MethodGet:
		return opDescribeFunction, name, true
	case sub == "publish" && method == http.MethodPost:
		return opPublishFunction, name, true
	case sub == "test" && method == http.MethodPost:
		return opTestFunction, name, true
	}
	return opUnsupported, "", true
}

// serveFunction answers a Functions operation o on the function named rq.id.
func (h *Handler) serveFunction(o op, rq *request) (*response, error) {
	switch o {
	case opCreateFunction:
		return h.createFunction(rq)
	case opListFunctions:
		return h.listFunctions(rq)
	}
	if rq.id != distrib.ImageOptimizerFunctionName {
		return nil, errNoSuchFunction
	}
	switch o {
	case opDescribeFunction:
		stage, err := rq.stage()
		if err != nil {
			return nil, err
		}
		s, err := h.optimizerSummary(stage)
		if err != nil {
			return nil, err
		}
		return &response{status: http.StatusOK, etag: optimizerETag, doc: functionSummaryDoc{functionSummaryXML: s}}, nil
	case opGetFunction:
		if _, err := rq.stage(); err != nil {
			return nil, err
		}
		// GetFunctionResult's payload is the code blob itself, not an XML document.
		return &response{status: http.StatusOK, etag: optimizerETag, contentType: "application/octet-stream", raw: []byte(optimizerCode)}, nil
	}
	// Update, Publish, Test and Delete: the If-Match checks come first, as for any function.
	switch m := rq.ifMatch(); {
	case m == "":
		return nil, distrib.ErrMissingIfMatch
	case m != optimizerETag:
		return nil, distrib.ErrPreconditionFailed
	}
	return nil, errBuiltinFunction
}

// createFunction is CreateFunction: the built-in name exists already, and no other can be
// created.
func (h *Handler) createFunction(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	var in createFunctionIn
	if err := decodeXML(b, &in); err != nil {
		return nil, err
	}
	switch {
	case in.Name == nil:
		return nil, distrib.InvalidArgument("Name", "is required")
	case !distrib.ValidFunctionName(*in.Name):
		return nil, distrib.InvalidArgument("Name", "must be 1 to 64 letters, digits, hyphens or underscores")
	case *in.Name == distrib.ImageOptimizerFunctionName:
		return nil, errFunctionExists
	}
	return nil, errUserFunctions
}

// listFunctions is ListFunctions: the built-in function, unless Marker is past it or the
// Stage filter is not one it is in (it is in both).
func (h *Handler) listFunctions(rq *request) (*response, error) {
	p, err := rq.page()
	if err != nil {
		return nil, err
	}
	stage, err := rq.stage()
	if err != nil {
		return nil, err
	}
	doc := functionListXML{MaxItems: p.MaxItems}
	if p.Marker < distrib.ImageOptimizerFunctionName {
		s, err := h.optimizerSummary(stage)
		if err != nil {
			return nil, err
		}
		doc.Quantity, doc.Items = 1, &functionItemsXML{[]functionSummaryXML{s}}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}

// stage reads the Stage query parameter. Without it the built-in function answers as LIVE:
// it is published, and LIVE is the stage that cache behaviors use.
func (rq *request) stage() (string, error) {
	switch s := rq.r.URL.Query().Get("Stage"); s {
	case "":
		return stageLive, nil
	case stageLive, stageDevelopment:
		return s, nil
	default:
		return "", distrib.InvalidArgument("Stage", "must be DEVELOPMENT or LIVE, not "+s)
	}
}
