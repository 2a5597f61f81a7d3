package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/follow"
)

// failingReports is a Source whose first n Reports fail.
type failingReports struct {
	follow.Source
	n int
}

func (f *failingReports) Report(context.Context, follow.Applied) error {
	if f.n > 0 {
		f.n--
		return errors.New("connection refused")
	}
	return nil
}

// TestReportLogSaysRegisteredOnce: the "registered" line comes with the first report that
// reached the control plane, not with a failed one, and only once.
func TestReportLogSaysRegisteredOnce(t *testing.T) {
	var buf bytes.Buffer
	r := &reportLog{Source: &failingReports{n: 1}, log: slog.New(slog.NewTextHandler(&buf, nil)), node: "edge-a"}
	a := follow.Applied{Distributions: map[string]int64{"E1": 2}, InvalidationSeq: 5}
	if err := r.Report(context.Background(), a); err == nil {
		t.Fatal("a failed report returned nil")
	}
	if strings.Contains(buf.String(), "registered") {
		t.Fatalf("registered logged after a failed report: %s", buf.String())
	}
	for range 3 {
		if err := r.Report(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Count(buf.String(), "registered with the control plane"); got != 1 {
		t.Fatalf("registered logged %d times, want 1:\n%s", got, buf.String())
	}
	if !strings.Contains(buf.String(), "node=edge-a") || !strings.Contains(buf.String(), "invalidation_seq=5") {
		t.Errorf("the line does not say which node and where it is: %s", buf.String())
	}
}
