package s3api

// handlerFor returns the handler of an operation, or nil for the operations imgcdn does not
// implement (answered 501 NotImplemented).
func handlerFor(op Op) handlerFunc {
	switch op {
	case OpListBuckets:
		return (*Server).listBuckets
	case OpCreateBucket:
		return (*Server).createBucket
	case OpHeadBucket:
		return (*Server).headBucket
	case OpDeleteBucket:
		return (*Server).deleteBucket
	case OpGetBucketLocation:
		return (*Server).getBucketLocation
	case OpGetBucketVersioning:
		return (*Server).getBucketVersioning
	}
	return nil
}
