package edgecache

import "errors"

var (
	// ErrFillAborted is returned by readers of an entry whose fill was aborted (the origin
	// failed mid-body) before the bytes they asked for were written.
	ErrFillAborted = errors.New("edgecache: fill aborted before the requested bytes were written")
	// ErrInvalidated refuses a Commit when an invalidation matching the fill's distribution and
	// path ran after Begin: the body may predate the invalidation and must not be served.
	ErrInvalidated = errors.New("edgecache: entry invalidated while it was being filled")
	// ErrNotFound means the key has no committed entry (Refresh).
	ErrNotFound = errors.New("edgecache: no committed entry for key")
	// ErrSizeMismatch refuses a Commit whose size differs from the bytes written: the origin's
	// Content-Length promised more or fewer bytes than it sent, so the body is torn.
	ErrSizeMismatch = errors.New("edgecache: committed size differs from bytes written")
	// ErrFillDone means Write, Commit or Abort was called on a fill that has already ended.
	ErrFillDone = errors.New("edgecache: fill already committed or aborted")
	// ErrClosed is returned by operations on a closed Cache.
	ErrClosed = errors.New("edgecache: cache closed")
	// ErrRange means NewReader was asked for bytes outside the body.
	ErrRange = errors.New("edgecache: range outside the body")
	// ErrCorrupt marks an entry file whose trailer or body fails its checks.
	ErrCorrupt = errors.New("edgecache: corrupt entry file")
	// ErrLocked means another process (or Cache) has Dir open.
	ErrLocked = errors.New("edgecache: cache directory is in use by another process")
)
