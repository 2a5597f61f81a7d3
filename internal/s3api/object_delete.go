package s3api

import (
	"net/http"
)

// deleteObject implements DeleteObject: 204 No Content whether or not the key existed, as S3
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObject.html).
func (s *Server) deleteObject(rq *request) (*response, error) {
	info, err := s.cfg.Store.DeleteObject(rq.ctx(), rq.bucket, rq.key, rq.query.Get("versionId"))
	if err != nil {
		return nil, err
	}
	resp := &response{status: http.StatusNoContent}
	if info.DeleteMarker {
		resp.set("X-Amz-Delete-Marker", "true")
	}
	s.setVersionHeader(rq, resp, info.VersionID)
	return resp, nil
}
