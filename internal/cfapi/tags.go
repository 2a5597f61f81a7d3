package cfapi

import (
	"encoding/xml"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// Tagging documents (botocore's Tags and TagKeys shapes). Only distributions are taggable
// here; any other ARN names no resource (NoSuchResource).

type tagXML struct {
	Key   *string `xml:"Key"`
	Value *string `xml:"Value,omitempty"`
}

type tagsIn struct {
	XMLName xml.Name `xml:"Tags"`
	Items   *struct {
		Tag []tagXML `xml:"Tag"`
	} `xml:"Items"`
}

type tagKeysIn struct {
	XMLName xml.Name `xml:"TagKeys"`
	Items   *struct {
		Key []string `xml:"Key"`
	} `xml:"Items"`
}

type tagsXML struct {
	XMLName xml.Name `xml:"http://cloudfront.amazonaws.com/doc/2020-05-31/ Tags"`
	Items   *struct {
		Tag []tagXML `xml:"Tag"`
	} `xml:"Items"`
}

func toTagsXML(tags []distrib.Tag) tagsXML {
	var doc tagsXML
	items := alloc(&doc.Items)
	for _, t := range tags {
		items.Tag = append(items.Tag, tagXML{Key: ref(t.Key), Value: ref(t.Value)})
	}
	return doc
}

// decodeTags parses a Tags document; a Tag without a Key is InvalidTagging, like any other
// malformed tag.
func decodeTags(b []byte) ([]distrib.Tag, error) {
	var in tagsIn
	if err := decodeXML(b, &in); err != nil {
		return nil, err
	}
	var tags []distrib.Tag
	if in.Items != nil {
		for _, t := range in.Items.Tag {
			if t.Key == nil {
				return nil, distrib.InvalidArgument("Tags.Items.Tag.Key", "is required")
			}
			tags = append(tags, distrib.Tag{Key: *t.Key, Value: deref(t.Value)})
		}
	}
	return tags, nil
}

func decodeTagKeys(b []byte) ([]string, error) {
	var in tagKeysIn
	if err := decodeXML(b, &in); err != nil {
		return nil, err
	}
	if in.Items == nil {
		return nil, nil
	}
	return in.Items.Key, nil
}

// resource is the distribution id the Resource query parameter names.
func (h *Handler) resource(rq *request) (string, error) {
	arn := rq.r.URL.Query().Get("Resource")
	if arn == "" {
		return "", distrib.InvalidArgument("Resource", "is required: the ARN of a distribution")
	}
	id, ok := distrib.DistributionIDFromARN(arn, h.cfg.AccountID)
	if !ok {
		return "", distrib.ErrNoSuchResource
	}
	return id, nil
}

// tagResource is TagResource: 204.
func (h *Handler) tagResource(rq *request) (*response, error) {
	id, err := h.resource(rq)
	if err != nil {
		return nil, err
	}
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	tags, err := decodeTags(b)
	if err != nil {
		return nil, err
	}
	return deleted(h.svc.TagDistribution(id, tags))
}

// untagResource is UntagResource: 204.
func (h *Handler) untagResource(rq *request) (*response, error) {
	id, err := h.resource(rq)
	if err != nil {
		return nil, err
	}
	b, err := readBody(rq.body)
	if err != nil {
		return nil, err
	}
	keys, err := decodeTagKeys(b)
	if err != nil {
		return nil, err
	}
	return deleted(h.svc.UntagDistribution(id, keys))
}

func (h *Handler) listTagsForResource(rq *request) (*response, error) {
	id, err := h.resource(rq)
	if err != nil {
		return nil, err
	}
	tags, err := h.svc.DistributionTags(id)
	if err != nil {
		return nil, err
	}
	return &response{status: http.StatusOK, doc: toTagsXML(tags)}, nil
}
