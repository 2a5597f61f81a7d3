// Package originsapi is the control plane's endpoint for registering S3-compatible origins
// with their own credentials (`imgcdn origins`, issue 5 "Origin fetches"): another imgcdn,
// MinIO, Ceph, SeaweedFS or AWS, selected by the S3 origin DomainName of a distribution.
//
// It is an HTTP API on the API port rather than a file the CLI edits (as `imgcdn keys` does
// with keys.json) for three reasons: the registrations live in the control plane's pebble
// database, which a running `imgcdn serve` holds locked; the secrets are sealed there with
// the installation's master key, which a CLI on another host need not have; and a change
// must bump the state Version in the same batch, so that every edge reloads at once
// (distrib's applyChange). Requests are SigV4-signed for the service SigningService and
// only the account root may use it: these are credentials for other systems.
//
//	PUT    /imgcdn/origins/v1/endpoints/<domain>   JSON distrib.OriginEndpoint -> 200 the endpoint, without its secret
//	GET    /imgcdn/origins/v1/endpoints            -> 200 {"endpoints": [...]}, never with secrets
//	DELETE /imgcdn/origins/v1/endpoints/<domain>   -> 204
//
// Errors are JSON {"code", "message"} as in internal/syncapi. Client is the Go client the
// CLI uses.
package originsapi
