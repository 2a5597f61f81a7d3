// Package syncapi is the control plane's endpoint for edge nodes (issue 4, "Identity and
// state": "an authenticated internal endpoint that long-polls"), on the API port next to S3
// and CloudFront: internal/app routes requests signed for the SigV4 service "imgcdn-edge"
// here. Only edge keys (auth.Key.Edge) may call it.
//
//	GET  /imgcdn/edge/v1/state?node=<node>&after=<version>&since=<seq>&wait=<seconds>
//	POST /imgcdn/edge/v1/applied   {"node", "distributions": {id: version}, "invalidationSeq"}
//
// GET answers at once with a follow.Update when the state's Version differs from after or an
// invalidation after since exists, else waits up to wait seconds (at most 60) for a change
// and answers 204 No Content when none came. POST records what the node applied (registering
// it on first contact) and answers 204. Errors are JSON {"code", "message"}, mapped in one
// function (errorFor). The semantics are follow.Local's; this package is its HTTP shell, and
// follow.Remote its client.
package syncapi
