package cfapi

import (
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// routeInvalidation classifies the invalidation operations, whose paths name two ids:
// /2020-05-31/distribution/{DistributionId}/invalidation[/{Id}] (botocore's requestUri).
// ok is false for any other path. It is pure, like route.
func routeInvalidation(method, path string) (o op, distID, invID string, ok bool) {
	rest, found := strings.CutPrefix(path, distPath+"/")
	if !found {
		return opUnsupported, "", "", false
	}
	distID, rest, found = strings.Cut(rest, "/")
	if !found || distID == "" {
		return opUnsupported, "", "", false
	}
	rest, found = strings.CutPrefix(rest, "invalidation")
	if !found || rest != "" && rest[0] != '/' {
		return opUnsupported, "", "", false
	}
	switch {
	case rest == "" && method == http.MethodPost:
		return opCreateInvalidation, distID, "", true
	case rest == "" && method == http.MethodGet:
		return opListInvalidations, distID, "", true
	case rest != "/" && !strings.Contains(rest[1:], "/") && method == http.MethodGet:
		return opGetInvalidation, distID, rest[1:], true
	}
	return opUnsupported, "", "", true
}

type pathsXML struct {
	Quantity int `xml:"Quantity"`
	Items    *struct {
		Path []string `xml:"Path"`
	} `xml:"Items"`
}

type invalidationBatchXML struct {
	Paths           *pathsXML `xml:"Paths"`
	CallerReference *string   `xml:"CallerReference"`
}

type invalidationBatchIn struct {
	XMLName xml.Name `xml:"InvalidationBatch"`
	invalidationBatchXML
}

type invalidationXML struct {
	XMLName    xml.Name             `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ Invalidation"`
	ID         string               `xml:"Id"`
	Status     string               `xml:"Status"`
	CreateTime string               `xml:"CreateTime"`
	Batch      invalidationBatchXML `xml:"InvalidationBatch"`
}

type invalidationListXML struct {
	XMLName     xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ InvalidationList"`
	Marker      string   `xml:"Marker"`
	NextMarker  string   `xml:"NextMarker,omitempty"`
	MaxItems    int      `xml:"MaxItems"`
	IsTruncated bool     `xml:"IsTruncated"`
	Quantity    int      `xml:"Quantity"`
	Items       *struct {
		Summary []invalidationSummaryXML `xml:"InvalidationSummary"`
	} `xml:"Items"`
}

type invalidationSummaryXML struct {
	ID         string `xml:"Id"`
	CreateTime string `xml:"CreateTime"`
	Status     string `xml:"Status"`
}

// decodeInvalidationBatch parses an InvalidationBatch document.
func decodeInvalidationBatch(b []byte) (callerRef string, paths []string, _ error) {
	var in invalidationBatchIn
	if err := decodeXML(b, &in); err != nil {
		return "", nil, err
	}
	if in.CallerReference == nil {
		return "", nil, distrib.InvalidArgument("CallerReference", "is required")
	}
	if in.Paths == nil {
		return "", nil, distrib.InvalidArgument("Paths", "is required")
	}
	if in.Paths.Items != nil {
		paths = in.Paths.Items.Path
	}
	if _, err := count("Paths", in.Paths.Quantity, paths); err != nil {
		return "", nil, err
	}
	return *in.CallerReference, paths, nil
}

func toInvalidationXML(inv distrib.Invalidation) invalidationXML {
	p := &pathsXML{Quantity: len(inv.Paths)}
	if len(inv.Paths) > 0 {
		alloc(&p.Items).Path = inv.Paths
	}
	return invalidationXML{ID: inv.ID, Status: inv.Status, CreateTime: formatTime(inv.CreateTime),
		Batch: invalidationBatchXML{Paths: p, CallerReference: ref(inv.CallerReference)}}
}

// createInvalidation is CreateInvalidation: 201 with Location (API_CreateInvalidation.html).
func (h *Handler) createInvalidation(rq *request) (*response, error) {
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	ref, paths, err := decodeInvalidationBatch(b)
	if err != nil {
		return nil, err
	}
	inv, _, err := h.svc.CreateInvalidation(rq.id, ref, paths)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusCreated, doc: toInvalidationXML(inv),
		location: h.cfg.endpoint(rq.r) + distPath + "/" + rq.id + "/invalidation/" + inv.ID}, nil
}

func (h *Handler) getInvalidation(rq *request) (*response, error) {
	inv, err := h.svc.GetInvalidation(rq.id, rq.sub)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, doc: toInvalidationXML(inv)}, nil
}

func (h *Handler) listInvalidations(rq *request) (*response, error) {
	p, err := rq.page()
	if err != nil {
		return nil, err
	}
	l, err := h.svc.ListInvalidations(rq.id, p)
	if err != nil {
		return nil, err
	}
	doc := invalidationListXML{Marker: p.Marker, NextMarker: l.NextMarker, MaxItems: p.MaxItems,
		IsTruncated: l.IsTruncated, Quantity: len(l.Items)}
	if len(l.Items) > 0 {
		items := alloc(&doc.Items)
		for _, inv := range l.Items {
			items.Summary = append(items.Summary, invalidationSummaryXML{ID: inv.ID, CreateTime: formatTime(inv.CreateTime), Status: inv.Status})
		}
	}
	return &response{status: http.StatusOK, doc: doc}, nil
}
