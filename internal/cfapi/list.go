package cfapi

import (
	"strconv"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// page reads the Marker and MaxItems query parameters of a List call. MaxItems defaults to
// 100, CloudFront's default page size.
func (rq *request) page() (distrib.Page, error) {
	q := rq.r.URL.Query()
	p := distrib.Page{Marker: q.Get("Marker"), MaxItems: distrib.DefaultMaxItems}
	if v := q.Get("MaxItems"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, distrib.InvalidArgument("MaxItems", "must be a positive integer, not "+strconv.Quote(v))
		}
		p.MaxItems = n
	}
	return p, nil
}
