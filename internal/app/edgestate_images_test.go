package app

import (
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
)

// TestStateOfImageSettings: the edge finds a distribution's image settings, secret included,
// by its id.
func TestStateOfImageSettings(t *testing.T) {
	es := distrib.EdgeState{ImageSettings: []distrib.ImageSettings{
		{DistributionID: "E1", RequireSigned: true, SigningSecret: "s1"},
		{DistributionID: "E2", AllowedWidths: []int{320, 640}, SigningSecret: "s2"},
	}}
	st := (&edgeNode{}).stateOf(&es)
	if e := st.ImageSettings["E1"]; !e.RequireSigned || e.SigningSecret != "s1" {
		t.Errorf("E1: %+v", e)
	}
	if e := st.ImageSettings["E2"]; e.RequireSigned || len(e.AllowedWidths) != 2 || e.SigningSecret != "s2" {
		t.Errorf("E2: %+v", e)
	}
	if _, ok := st.ImageSettings["E3"]; ok || len(st.ImageSettings) != 2 {
		t.Errorf("ImageSettings = %+v, want E1 and E2 only", st.ImageSettings)
	}
}
