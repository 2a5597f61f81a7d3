package e2e

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestEdgeMetricsAndAccessLogs: after a Miss and a Hit through the embedded edge (curl over
// HTTPS), GET /metrics on the edge's HTTP listener and on the API port shows them, a
// distribution's own /metrics path is not the exporter, and the distribution's access log
// (Logging enabled with a prefix) holds both requests in CloudFront's format.
func TestEdgeMetricsAndAccessLogs(t *testing.T) {
	srv := startServer(t, t.TempDir())
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	cli.ok(t, "s3api", "create-bucket", "--bucket", seedBucket)
	img := seedPNG(t, 21)
	f := filepath.Join(t.TempDir(), "a.png")
	if err := os.WriteFile(f, img, 0o644); err != nil {
		t.Fatal(err)
	}
	cli.ok(t, "s3", "cp", f, "s3://"+seedBucket+"/images/a.png")
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity", "--cloud-front-origin-access-identity-config", seedOAIConfig)
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", seedBucket, "--policy", strings.Replace(seedPolicy, seedOAI, oai.OAI.ID, 1))
	cfg := strings.Replace(seedDistributionConfig, seedOAI, oai.OAI.ID, 1)
	cfg = strings.Replace(cfg, `"Comment":`, `"Logging": { "Enabled": true, "IncludeCookies": false, "Bucket": "cf-logs.s3.amazonaws.com", "Prefix": "cf/" }, "Comment":`, 1)
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config", cfg)
	id, domain := created.Distribution.ID, created.Distribution.DomainName
	waitDeployed(t, cli, id)

	ca := filepath.Join(srv.data, "ca", "ca.pem")
	_, httpsPort, _ := strings.Cut(srv.https, ":")
	_, httpPort, _ := strings.Cut(srv.httpAddr, ":")
	var ids []string
	for _, want := range []string{"Miss", "Hit"} {
		resp, body := curl(t, "--cacert", ca, "--resolve", domain+":"+httpsPort+":127.0.0.1",
			"https://"+domain+":"+httpsPort+"/images/a.png")
		if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Cache") != want+" from cloudfront" || string(body) != string(img) {
			t.Fatalf("GET /images/a.png: %d %q, %d bytes; want 200 %s", resp.StatusCode, resp.Header.Get("X-Cache"), len(body), want)
		}
		ids = append(ids, resp.Header.Get("X-Amz-Cf-Id"))
	}

	// The distribution's host keeps its own /metrics path: redirect-to-https answers it.
	resp, _ := curl(t, "-H", "Host: "+domain, "http://127.0.0.1:"+httpPort+"/metrics")
	if resp.StatusCode != http.StatusMovedPermanently {
		t.Fatalf("/metrics on the distribution's host: %d, want its 301 to HTTPS", resp.StatusCode)
	}

	edge := scrapeMetrics(t, "http://127.0.0.1:"+httpPort+"/metrics")
	api := scrapeMetrics(t, "http://"+srv.api+"/metrics")
	for name, fams := range map[string]map[string]*dto.MetricFamily{"edge": edge, "api": api} {
		for _, c := range []struct {
			metric string
			kv     []string
			want   float64
		}{
			{"imgcdn_edge_requests_total", []string{"distribution", id, "status_class", "2xx", "cache_result", "miss"}, 1},
			{"imgcdn_edge_requests_total", []string{"distribution", id, "status_class", "2xx", "cache_result", "hit"}, 1},
			{"imgcdn_edge_requests_total", []string{"distribution", id, "status_class", "3xx", "cache_result", "redirect"}, 1},
			{"imgcdn_edge_response_bytes_total", []string{"distribution", id}, float64(2 * len(img))},
			{"imgcdn_edge_origin_requests_total", []string{"origin", seedBucket + ".s3.amazonaws.com", "status_class", "2xx"}, 1},
			{"imgcdn_edge_origin_bytes_total", []string{"origin", seedBucket + ".s3.amazonaws.com"}, float64(len(img))},
		} {
			if got, ok := metricValue(fams, c.metric, c.kv...); !ok || got != c.want {
				t.Errorf("%s /metrics: %s%v = %v (present %v), want %v", name, c.metric, c.kv, got, ok, c.want)
			}
		}
		if got, ok := metricValue(fams, "imgcdn_edge_cache_objects", "tier", "disk"); !ok || got < 1 {
			t.Errorf("%s /metrics: disk objects %v", name, got)
		}
	}
	// The API port counts its own traffic: the aws CLI's S3 and CloudFront calls.
	for _, kv := range [][]string{{"api", "s3", "status_class", "2xx"}, {"api", "cloudfront", "status_class", "2xx"}} {
		if got, ok := metricValue(api, "imgcdn_api_requests_total", kv...); !ok || got < 2 {
			t.Errorf("api /metrics: imgcdn_api_requests_total%v = %v", kv, got)
		}
	}

	// The access log: <data>/logs/<id>/cf/<id>.<YYYY-MM-DD-HH>.<unique>.gz, written as the
	// requests come (flushed, the gzip stream completes when the file rotates or closes).
	var lines []string
	waitFor(t, "the access log lines", 30*time.Second, func() bool {
		lines = accessLogLines(t, filepath.Join(srv.data, "logs", id, "cf", id+".*.gz"))
		return len(lines) >= 2
	})
	names := strings.Fields(strings.TrimPrefix(lines[1], "#Fields: "))
	if lines[0] != "#Version: 1.0" || len(names) != 33 || names[0] != "date" || names[32] != "sc-range-end" {
		t.Fatalf("log header %q %q", lines[0], lines[1])
	}
	waitFor(t, "both requests in the access log", 30*time.Second, func() bool {
		lines = accessLogLines(t, filepath.Join(srv.data, "logs", id, "cf", id+".*.gz"))
		return len(lines) >= 4
	})
	for i, want := range []string{"Miss", "Hit"} {
		vals := strings.Split(lines[2+i], "\t")
		if len(vals) != 33 {
			t.Fatalf("line %q: %d fields", lines[2+i], len(vals))
		}
		f := map[string]string{}
		for j, n := range names {
			f[n] = vals[j]
		}
		for k, v := range map[string]string{
			"cs-method": "GET", "cs(Host)": domain, "cs-uri-stem": "/images/a.png", "sc-status": "200",
			"x-edge-result-type": want, "x-edge-response-result-type": want, "x-edge-detailed-result-type": want,
			"x-edge-request-id": ids[i], "cs-protocol": "https", "ssl-protocol": "TLSv1.3", "c-ip": "127.0.0.1",
			"sc-content-type": "image/png", "x-edge-location": "LOC1-C1", "cs(Cookie)": "-",
		} {
			if f[k] != v {
				t.Errorf("log line %d: %s = %q, want %q", i, k, f[k], v)
			}
		}
		if !strings.HasPrefix(f["cs(User-Agent)"], "curl/") {
			t.Errorf("log line %d: user agent %q", i, f["cs(User-Agent)"])
		}
	}
}

func scrapeMetrics(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	// --raw: the exposition is chunked, and curl's output is parsed back as HTTP.
	resp, body := curl(t, "--raw", url)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, truncate(body))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return fams
}

// metricValue is the value of the counter or gauge of family name whose labels include kv.
func metricValue(fams map[string]*dto.MetricFamily, name string, kv ...string) (float64, bool) {
	f := fams[name]
	if f == nil {
		return 0, false
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if have[kv[i]] != kv[i+1] {
				continue next
			}
		}
		if m.Counter != nil {
			return m.Counter.GetValue(), true
		}
		return m.GetGauge().GetValue(), true
	}
	return 0, false
}

// accessLogLines reads the lines of the one log file matching pattern so far: a file still
// being written is a flushed gzip stream without its end.
func accessLogLines(t *testing.T, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(pattern)
	if len(files) != 1 {
		return nil
	}
	fh, err := os.Open(files[0])
	if err != nil {
		return nil
	}
	defer fh.Close()
	gz, err := gzip.NewReader(bufio.NewReader(fh))
	if err != nil {
		return nil
	}
	b, err := io.ReadAll(gz)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("%s: %v", files[0], err)
	}
	text := string(b)
	if i := strings.LastIndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	} else {
		return nil
	}
	return strings.Split(text, "\n")
}
