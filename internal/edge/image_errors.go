package edge

import (
	"errors"
	"net/http"

	"github.com/imgcdn/imgcdn/internal/imaging"
)

// imageStatus maps a transform error to the viewer's status and page title: the one place
// imaging's sentinel errors meet HTTP. Everything about the input is a 4xx (the viewer or the
// uploader can fix it), load is 503 and a transform running out of time 504.
func imageStatus(err error) (int, string) {
	switch {
	case errors.Is(err, imaging.ErrBadOption):
		return http.StatusBadRequest, "Bad transform option"
	case errors.Is(err, imaging.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, "Image too large"
	case errors.Is(err, imaging.ErrUnsupported):
		return http.StatusUnsupportedMediaType, "Unsupported image"
	case errors.Is(err, imaging.ErrCorrupt):
		return http.StatusUnprocessableEntity, "Corrupt image"
	case errors.Is(err, imaging.ErrBusy):
		return http.StatusServiceUnavailable, "Image transforms busy"
	case errors.Is(err, imaging.ErrTimeout):
		return http.StatusGatewayTimeout, "Image transform timed out"
	}
	return http.StatusInternalServerError, "Image transform failed"
}

// imageError answers a transform error with an edge error page whose text says what was
// wrong (the option and value, the limit, the format). A busy pool answers Retry-After: the
// queue drains within a transform's time.
func (rq *request) imageError(err error) {
	status, title := imageStatus(err)
	p := *rq
	if status == http.StatusServiceUnavailable {
		p.w = retryAfter{rq.w}
	}
	p.page(status, title, err.Error())
}

// retryAfter adds Retry-After: 1 to the page it writes (page clears the header first).
type retryAfter struct{ http.ResponseWriter }

func (w retryAfter) WriteHeader(code int) {
	w.Header().Set("Retry-After", "1")
	w.ResponseWriter.WriteHeader(code)
}
