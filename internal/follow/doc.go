// Package follow keeps an edge node in step with the control plane (issue 5, "Edge nodes"):
// it waits for a newer state, hands it to the edge (an Applier), and reports back what the
// edge applied, which is what turns a distribution Deployed and an invalidation Completed
// (internal/distrib, edges.go).
//
// A Source is where states come from: Local reads a *distrib.Service in process (the
// embedded edge of `imgcdn serve`), Remote long-polls internal/syncapi over HTTP, signed
// with an edge key (SigV4, service "imgcdn-edge"). Run loops over either and survives the
// control plane going away: the edge keeps its last state and the loop retries with capped
// exponential backoff and jitter.
//
// The exchange, for a loop that has applied Version V and invalidations up to Seq S:
//   - Wait(after=V, since=S) answers as soon as the control plane's Version differs from V or
//     an invalidation after S exists, with the whole state and the invalidations after S (a
//     page of them; the next Wait fetches the rest at once).
//   - A loop that starts has no state: it asks with after = -1 and since = -1 and gets the
//     state without invalidations; the Applier then reports the Seq its cache is at (its
//     persisted one, or the state's InvalidationSeq for an empty cache), and the next Wait
//     brings what it missed.
package follow
