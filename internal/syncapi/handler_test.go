package syncapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/distrib"
	"github.com/imgcdn/imgcdn/internal/follow"
)

const stateNow = StatePath + "?node=edge-1"

func TestAuthorization(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	for _, tc := range []struct {
		name string
		c    call
		code string
	}{
		{"unsigned", call{key: "-"}, "MissingAuthenticationToken"},
		{"root key", call{key: rootKey}, "AccessDenied"},
		{"edge key signing for s3", call{service: "s3"}, "AccessDenied"},
		{"edge key signing for cloudfront", call{service: "cloudfront"}, "AccessDenied"},
		{"unknown key", call{key: "AKIAUNKNOWNUNKNOWN01"}, "InvalidClientTokenId"},
		{"wrong secret", call{secret: "wrong"}, "SignatureDoesNotMatch"},
	} {
		tc.c.method, tc.c.path = http.MethodGet, stateNow
		w := hs.do(tc.c)
		if w.Code != http.StatusForbidden || errorCode(t, w) != tc.code {
			t.Errorf("%s: %d %s, want 403 %s", tc.name, w.Code, w.Body, tc.code)
		}
	}
	if w := hs.do(call{method: http.MethodGet, path: stateNow}); w.Code != http.StatusOK {
		t.Errorf("edge key: %d %s, want 200", w.Code, w.Body)
	}
}

func TestRouting(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	for _, tc := range []struct {
		method, path string
		status       int
		code, allow  string
	}{
		{http.MethodGet, "/imgcdn/edge/v1/other", http.StatusNotFound, "NotFound", ""},
		{http.MethodGet, "/", http.StatusNotFound, "NotFound", ""},
		{http.MethodPost, StatePath, http.StatusMethodNotAllowed, "MethodNotAllowed", "GET"},
		{http.MethodGet, AppliedPath, http.StatusMethodNotAllowed, "MethodNotAllowed", "POST"},
	} {
		w := hs.do(call{method: tc.method, path: tc.path})
		if w.Code != tc.status || errorCode(t, w) != tc.code || w.Header().Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d %s Allow %q, want %d %s Allow %q", tc.method, tc.path, w.Code, w.Body,
				w.Header().Get("Allow"), tc.status, tc.code, tc.allow)
		}
	}
}

func TestStateQueryErrors(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	for _, q := range []string{
		"", "node=", "node=a/b", "node=" + strings.Repeat("n", 129),
		"node=e&after=x", "node=e&after=-2", "node=e&since=1.5", "node=e&since=-2",
		"node=e&wait=-1", "node=e&wait=ten",
	} {
		w := hs.do(call{method: http.MethodGet, path: StatePath + "?" + q})
		if w.Code != http.StatusBadRequest || errorCode(t, w) != "InvalidArgument" {
			t.Errorf("?%s: %d %s, want 400 InvalidArgument", q, w.Code, w.Body)
		}
	}
}

func TestParseStateQueryWait(t *testing.T) {
	// The SDK's signer re-encodes the query, so a malformed one only comes from other clients.
	if _, err := parseStateQuery("node=e&%zz"); !errors.Is(err, distrib.ErrInvalidArgument) {
		t.Errorf("malformed query: %v, want InvalidArgument", err)
	}
	for raw, want := range map[string]string{
		"node=e":            "0s",
		"node=e&wait=0":     "0s",
		"node=e&wait=5":     "5s",
		"node=e&wait=60":    "1m0s",
		"node=e&wait=61":    "1m0s",
		"node=e&wait=99999": "1m0s",
	} {
		q, err := parseStateQuery(raw)
		if err != nil || q.wait.String() != want || q.after != -1 || q.since != -1 {
			t.Errorf("parseStateQuery(%q) = %+v, %v; want wait %s, after and since -1", raw, q, err, want)
		}
	}
}

func TestStateAnswers(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	d, _, err := hs.svc.CreateDistribution(seedConfig("a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := hs.svc.CreateInvalidation(d.ID, "i", []string{"/x"}); err != nil {
		t.Fatal(err)
	}
	get := func(q string) (int, follow.Update) {
		t.Helper()
		w := hs.do(call{method: http.MethodGet, path: StatePath + "?node=edge-1&" + q})
		if w.Code != http.StatusOK {
			return w.Code, follow.Update{}
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		return w.Code, decode[follow.Update](t, w.Body)
	}

	// A new edge: the whole state, no invalidations.
	code, u := get("")
	if code != http.StatusOK || u.Version != 2 || len(u.Distributions) != 1 || u.Distributions[0].ID != d.ID ||
		u.InvalidationSeq != 1 || u.Since != -1 || u.Invalidations == nil || len(u.Invalidations) != 0 {
		t.Fatalf("first GET: %d %+v", code, u)
	}
	if got := u.Distributions[0]; got.Version != d.Version || got.DomainLabel != d.DomainLabel || got.Config.Origins[0].ID != "o" {
		t.Errorf("distribution %+v, want %+v", got, d)
	}
	// Up to date: nothing to say once the (zero) wait is over.
	if code, _ := get("after=2&since=1"); code != http.StatusNoContent {
		t.Errorf("up to date: %d, want 204", code)
	}
	if code, _ := get("after=2"); code != http.StatusNoContent {
		t.Errorf("up to date without since: %d, want 204", code)
	}
	// Behind on invalidations only: at once, with them.
	code, u = get("after=2&since=0&wait=60")
	if code != http.StatusOK || u.Since != 0 || len(u.Invalidations) != 1 || u.Invalidations[0].Seq != 1 ||
		u.Invalidations[0].Paths[0] != "/x" || u.Invalidations[0].DistributionID != d.ID {
		t.Errorf("behind on invalidations: %d %+v", code, u)
	}
	// A Version from the future (restored control plane): at once.
	if code, u = get("after=9&since=1&wait=60"); code != http.StatusOK || u.Version != 2 {
		t.Errorf("after=9: %d %+v, want the current state at once", code, u)
	}
}

// TestStateLongPoll: a poll waiting on the current Version answers with the change.
func TestStateLongPoll(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	done := make(chan follow.Update, 1)
	go func() {
		w := hs.do(call{method: http.MethodGet, path: StatePath + "?node=edge-1&after=0&since=0&wait=60"})
		if w.Code != http.StatusOK {
			t.Errorf("long poll: %d %s", w.Code, w.Body)
		}
		done <- decode[follow.Update](t, w.Body)
	}()
	d, _, err := hs.svc.CreateDistribution(seedConfig("a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if u := <-done; u.Version != 1 || len(u.Distributions) != 1 || u.Distributions[0].ID != d.ID {
		t.Errorf("long poll answered %+v, want the new distribution at Version 1", u)
	}
}

// TestCloseEndsPolls: Close answers the polls in flight, and later requests, with 503.
func TestCloseEndsPolls(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	done := make(chan int, 1)
	go func() {
		w := hs.do(call{method: http.MethodGet, path: StatePath + "?node=edge-1&after=0&wait=60"})
		if w.Code == http.StatusServiceUnavailable && errorCode(t, w) != "ServiceUnavailable" {
			t.Errorf("code %s", w.Body)
		}
		done <- w.Code
	}()
	hs.h.Close()
	if code := <-done; code != http.StatusServiceUnavailable {
		t.Errorf("poll across Close: %d, want 503", code)
	}
	if w := hs.do(call{method: http.MethodGet, path: stateNow}); w.Code != http.StatusServiceUnavailable {
		t.Errorf("after Close: %d, want 503", w.Code)
	}
}

func TestApplied(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	d, _, err := hs.svc.CreateDistribution(seedConfig("a"), nil)
	if err != nil {
		t.Fatal(err)
	}
	status := func() string {
		t.Helper()
		got, err := hs.svc.GetDistribution(d.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	post := func(body string) {
		t.Helper()
		if w := hs.do(call{method: http.MethodPost, path: AppliedPath, body: body}); w.Code != http.StatusNoContent || w.Body.Len() != 0 {
			t.Fatalf("POST %s: %d %s, want 204", body, w.Code, w.Body)
		}
	}
	if status() != distrib.StatusDeployed {
		t.Fatal("no edge registered: want Deployed")
	}
	// First contact registers the node: it now holds the distribution InProgress.
	post(`{"node":"edge-1","distributions":{},"invalidationSeq":0}`)
	if s := status(); s != distrib.StatusInProgress {
		t.Errorf("after registration: %s, want InProgress", s)
	}
	// Unknown or deleted distributions are skipped.
	post(fmt.Sprintf(`{"node":"edge-1","distributions":{%q:%d,"EGONEGONEGONE1":3,"not an id":1},"invalidationSeq":0}`, d.ID, d.Version))
	if s := status(); s != distrib.StatusDeployed {
		t.Errorf("after the report: %s, want Deployed", s)
	}

	inv, _, err := hs.svc.CreateInvalidation(d.ID, "i", []string{"/x"})
	if err != nil {
		t.Fatal(err)
	}
	if inv.Status != distrib.InvalidationStatusInProgress {
		t.Fatalf("invalidation %s, want InProgress", inv.Status)
	}
	post(fmt.Sprintf(`{"node":"edge-1","distributions":{%q:%d},"invalidationSeq":%d,"newerField":true}`, d.ID, d.Version, inv.Seq))
	if got, err := hs.svc.GetInvalidation(d.ID, inv.ID); err != nil || got.Status != distrib.InvalidationStatusCompleted {
		t.Errorf("invalidation after the report: %+v, %v; want Completed", got, err)
	}
}

func TestAppliedErrors(t *testing.T) {
	hs := newHarness(t, MaxBodySize)
	big := `{"node":"e","distributions":{},"pad":"` + strings.Repeat("x", MaxBodySize) + `"}`
	for _, tc := range []struct {
		body   string
		status int
		code   string
	}{
		{``, http.StatusBadRequest, "MalformedInput"},
		{`{"node":`, http.StatusBadRequest, "MalformedInput"},
		{`{"node":"e","distributions":{"E1":"one"}}`, http.StatusBadRequest, "MalformedInput"},
		{`{"distributions":{}}`, http.StatusBadRequest, "InvalidArgument"},
		{`{"node":"a b"}`, http.StatusBadRequest, "InvalidArgument"},
		{`{"node":"e","invalidationSeq":-1}`, http.StatusBadRequest, "InvalidArgument"},
		{`{"node":"e","distributions":{"E1":0}}`, http.StatusBadRequest, "InvalidArgument"},
		{big, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge"},
	} {
		w := hs.do(call{method: http.MethodPost, path: AppliedPath, body: tc.body})
		if w.Code != tc.status || errorCode(t, w) != tc.code {
			t.Errorf("POST %.60s: %d %.200s, want %d %s", tc.body, w.Code, w.Body, tc.status, tc.code)
		}
	}
	// A Verifier that hashes larger bodies still leaves this endpoint's own limit.
	hs = newHarness(t, 4*MaxBodySize)
	if w := hs.do(call{method: http.MethodPost, path: AppliedPath, body: big}); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over MaxBodySize: %d %.200s, want 413", w.Code, w.Body)
	}
}
