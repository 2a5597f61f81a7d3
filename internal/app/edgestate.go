package app

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/edge"
)

// The last state an edge node loaded is kept next to its disk cache, so that a restarted
// node serves its cache at once, before (or without) reaching the control plane: issue 5
// asks edges to keep serving while the control plane is unreachable, and a node that
// restarts during such an outage would otherwise know no distribution (every request an
// unknown-host error, every TLS handshake refused) although its cache holds their objects.
// The follow loop replaces it with the control plane's state as soon as one arrives.

// stateOf is what the edge serves for an EdgeState.
func (n *edgeNode) stateOf(es *distrib.EdgeState) edge.State {
	st := edge.State{Distributions: es.Distributions, AccountID: es.AccountID, OACs: map[string]distrib.OAC{}}
	if st.AccountID == "" {
		st.AccountID = n.account
	}
	for _, o := range es.OriginAccessControls {
		st.OACs[o.ID] = o
	}
	st.CachePolicies, st.OriginRequestPolicies, st.ResponseHeadersPolicies = policyMaps(es)
	st.OriginEndpoints = make(map[string]distrib.OriginEndpoint, len(es.OriginEndpoints))
	for _, e := range es.OriginEndpoints {
		st.OriginEndpoints[e.Domain] = e
	}
	st.ImageSettings = make(map[string]distrib.ImageSettings, len(es.ImageSettings))
	for _, s := range es.ImageSettings {
		st.ImageSettings[s.DistributionID] = s
	}
	return st
}

// openLastState serves the state saved at path by a previous run, if any, and keeps the
// states to come there when save is set. Without save (the embedded edge of `imgcdn serve`,
// which reads its control plane in process) a file left there is removed: it would hold
// in clear the origin endpoints' secrets the control plane keeps sealed.
func (n *edgeNode) openLastState(path string, save bool) {
	if !save {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			n.log.Warn("edge: removing a saved state", "file", path, "err", err)
		}
		return
	}
	n.lastStatePath = path
	n.loadLastState()
}

// loadLastState serves the saved state. Nothing is reported to the control plane: what
// the node has applied is reported once it answers.
func (n *edgeNode) loadLastState() {
	b, err := os.ReadFile(n.lastStatePath)
	if err != nil {
		return
	}
	var es distrib.EdgeState
	if err := json.Unmarshal(b, &es); err != nil {
		n.log.Warn("edge: ignoring the saved state", "file", n.lastStatePath, "err", err)
		return
	}
	applied, _ := n.handler.Load(n.stateOf(&es))
	if n.logs != nil {
		n.logs.Configure(logSettings(es.Distributions))
	}
	n.lastVersion = es.Version
	n.log.Info("edge: serving the state saved by the previous run until the control plane answers",
		"version", es.Version, "distributions", len(applied))
}

// saveLastState keeps es for the next start when its Version differs from the one saved.
// The file is written atomically (temp file, rename) with mode 0600: it holds the origin
// endpoints' credentials, like the sync channel it came from. Losing it costs only serving
// nothing after a restart until the control plane answers, so it is not fsynced. Callers
// hold n.mu.
func (n *edgeNode) saveLastState(es *distrib.EdgeState) {
	if n.lastStatePath == "" || es.Version == n.lastVersion {
		return
	}
	b, err := json.Marshal(es)
	if err == nil {
		tmp := n.lastStatePath + ".tmp"
		if err = os.WriteFile(tmp, b, 0o600); err == nil {
			err = os.Rename(tmp, n.lastStatePath)
		}
	}
	if err != nil {
		n.log.Warn("edge: saving the state for the next start", "err", err)
		return
	}
	n.lastVersion = es.Version
}
