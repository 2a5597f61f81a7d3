package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestEdgeNodes runs two separate `imgcdn edge` processes, with their own caches and POPs,
// next to `imgcdn serve` (issue 5, "Edge nodes" and its Tests section), driven by the real
// aws CLI and curl.
//
// What the control plane knows: a node is registered by its first report and stays
// registered while it is down. Every registered node holds new distributions InProgress,
// and new invalidations too, until it has applied them: a node that is down holds
// deployments until it comes back (CloudFront's own Deployed means "on every edge
// location"). The test makes every InProgress it asserts deterministic by stopping a node
// first (SIGSTOP, or SIGTERM for a node that is down).
func TestEdgeNodes(t *testing.T) {
	ports, err := freePorts(3)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	srv := startServerAt(t, data, ports)
	cli := newCLI(t, srv.endpoint(), cliOpts{})
	key, secret := createEdgeKey(t, data)
	a := startEdge(t, edgeSpec{node: "edge-a", pop: "TST1-C1", control: srv.endpoint(), key: key, secret: secret, caDir: filepath.Join(data, "ca")})
	b := startEdge(t, edgeSpec{node: "edge-b", pop: "TST2-C1", control: srv.endpoint(), key: key, secret: secret, caDir: filepath.Join(data, "ca")})
	a.waitLog(t, "registered with the control plane")
	b.waitLog(t, "registered with the control plane")

	// The origin: a private bucket only the distributions' OAI may read.
	cli.ok(t, "s3api", "create-bucket", "--bucket", seedBucket)
	put := func(key string, body []byte) {
		t.Helper()
		f := filepath.Join(t.TempDir(), "body.png")
		if err := os.WriteFile(f, body, 0o644); err != nil {
			t.Fatal(err)
		}
		cli.ok(t, "s3", "cp", f, "s3://"+seedBucket+"/"+key)
	}
	img, keep := seedPNG(t, 11), seedPNG(t, 12)
	put("images/a.png", img)
	put("keep/k.png", keep)
	var oai struct {
		OAI cfOAI `json:"CloudFrontOriginAccessIdentity"`
	}
	cli.json(t, &oai, "cloudfront", "create-cloud-front-origin-access-identity", "--cloud-front-origin-access-identity-config", seedOAIConfig)
	cli.ok(t, "s3api", "put-bucket-policy", "--bucket", seedBucket, "--policy", strings.Replace(seedPolicy, seedOAI, oai.OAI.ID, 1))
	ca := filepath.Join(data, "ca", "ca.pem")

	// A distribution created while edge-b is frozen is InProgress, even once edge-a serves
	// it, and Deployed once edge-b has loaded it too.
	b.signal(t, syscall.SIGSTOP)
	d1, dom1 := createDist(t, cli, oai.OAI.ID, "edge-nodes-1")
	a.waitServes(t, dom1)
	wantStatus(t, "distribution "+d1+" with edge-b frozen", distStatus(t, cli, d1), "InProgress")
	b.signal(t, syscall.SIGCONT)
	waitDeployed(t, cli, d1)
	b.waitServes(t, dom1)

	// Each edge caches on its own: Miss then Hit, with its own POP and via.
	for _, e := range []*edgeProc{a, b} {
		for _, want := range []string{"Miss", "Hit"} {
			e.get(t, ca, dom1, "/images/a.png", want, img)
			e.get(t, ca, dom1, "/keep/k.png", want, keep)
		}
	}

	if a.spec.via == b.spec.via {
		t.Errorf("both edges answer with via %q", a.spec.via)
	}

	// An invalidation is Completed only once both edges applied it; then both miss and
	// fetch the new bytes, and what it does not name stays cached.
	img2 := seedPNG(t, 13)
	put("images/a.png", img2)
	a.signal(t, syscall.SIGSTOP)
	inv := createInvalidation(t, cli, d1, "/images/*")
	wantStatus(t, "invalidation with edge-a frozen", invStatus(t, cli, d1, inv), "InProgress")
	a.signal(t, syscall.SIGCONT)
	waitInvalidated(t, cli, d1, inv)
	for _, e := range []*edgeProc{a, b} {
		e.get(t, ca, dom1, "/images/a.png", "Miss", img2)
		e.get(t, ca, dom1, "/images/a.png", "Hit", img2)
		e.get(t, ca, dom1, "/keep/k.png", "Hit", keep)
	}

	// edge-b goes down (a registered node that is down): a distribution and an invalidation
	// issued meanwhile stay InProgress, though edge-a has applied both.
	if err := b.stop(); err != nil {
		t.Fatal(err)
	}
	img3 := seedPNG(t, 14)
	put("images/a.png", img3)
	d2, dom2 := createDist(t, cli, oai.OAI.ID, "edge-nodes-2")
	inv = createInvalidation(t, cli, d1, "/images/*")
	a.waitServes(t, dom2)
	a.waitMiss(t, ca, dom1, "/images/a.png", img3)
	wantStatus(t, "distribution "+d2+" with edge-b down", distStatus(t, cli, d2), "InProgress")
	wantStatus(t, "invalidation with edge-b down", invStatus(t, cli, d1, inv), "InProgress")
	// Back with the same cache: a Hit at once, then what it missed is applied.
	b = b.restart(t)
	b.get(t, ca, dom1, "/keep/k.png", "Hit", keep)
	waitDeployed(t, cli, d2)
	waitInvalidated(t, cli, d1, inv)
	b.get(t, ca, dom1, "/images/a.png", "Miss", img3)
	b.get(t, ca, dom2, "/keep/k.png", "Miss", keep)

	// The control plane stops: both edges keep serving their caches (even edge-a restarted
	// meanwhile, from the state it saved), and a miss is a clear error page.
	if err := srv.stop(); err != nil {
		t.Fatal(err)
	}
	if err := a.stop(); err != nil {
		t.Fatal(err)
	}
	a = a.restart(t)
	for _, e := range []*edgeProc{a, b} {
		e.get(t, ca, dom1, "/images/a.png", "Hit", img3)
		e.get(t, ca, dom1, "/keep/k.png", "Hit", keep)
		resp, body := curl(t, "--cacert", ca, "https://"+dom1+":"+e.port("https")+"/images/never-fetched.png")
		if (resp.StatusCode != http.StatusBadGateway && resp.StatusCode != http.StatusGatewayTimeout) ||
			resp.Header.Get("X-Cache") != "Error from cloudfront" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			!bytes.Contains(body, []byte("origin")) {
			t.Errorf("%s: a miss without the control plane: %d x-cache %q %q\n%s", e.spec.node, resp.StatusCode,
				resp.Header.Get("X-Cache"), resp.Header.Get("Content-Type"), body)
		}
	}

	// The control plane is back on the same data and ports: the edges reconnect, and a new
	// upload plus an invalidation reach both.
	srv = startServerAt(t, data, ports)
	img4 := seedPNG(t, 15)
	put("images/a.png", img4)
	inv = createInvalidation(t, cli, d1, "/images/a.png")
	// The edges retry with capped backoff (at most 30 s between attempts): a longer bound.
	waitFor(t, "invalidation "+inv+" Completed after the control plane restarted", 2*time.Minute, func() bool {
		return invStatus(t, cli, d1, inv) == "Completed"
	})
	for _, e := range []*edgeProc{a, b} {
		e.get(t, ca, dom1, "/images/a.png", "Miss", img4)
	}
}

// edgeSpec is how one `imgcdn edge` is started.
type edgeSpec struct {
	node, pop, control, key, secret, caDir string
	data, http, https                      string // set by startEdge, kept by restart
	via                                    string // the first via header seen, kept by restart
}

// edgeProc is one `imgcdn edge` child process.
type edgeProc struct {
	spec   edgeSpec
	cmd    *exec.Cmd
	out    *tailBuffer
	exited chan struct{}
	err    error
	done   bool
}

// createEdgeKey runs `imgcdn keys create --edge` as an operator would and reads the key from
// its output; `imgcdn keys secret` must print the same secret.
func createEdgeKey(t *testing.T, data string) (key, secret string) {
	t.Helper()
	out, err := exec.Command(pkg.bin, "keys", "create", "--edge", "--data", data).CombinedOutput()
	if err != nil {
		t.Fatalf("imgcdn keys create --edge: %v\n%s", err, out)
	}
	k := regexp.MustCompile(`AWS_ACCESS_KEY_ID=(\S+)`).FindSubmatch(out)
	s := regexp.MustCompile(`AWS_SECRET_ACCESS_KEY=(\S+)`).FindSubmatch(out)
	if k == nil || s == nil || !bytes.Contains(out, []byte("imgcdn edge --control")) {
		t.Fatalf("imgcdn keys create --edge printed:\n%s", out)
	}
	printed, err := exec.Command(pkg.bin, "keys", "secret", "--data", data, string(k[1])).Output()
	if err != nil || strings.TrimSpace(string(printed)) != string(s[1]) {
		t.Fatalf("imgcdn keys secret %s: %q, %v", k[1], printed, err)
	}
	return string(k[1]), string(s[1])
}

// startEdge starts an edge node on fresh ports with a data dir of its own.
func startEdge(t *testing.T, spec edgeSpec) *edgeProc {
	t.Helper()
	ports, err := freePorts(2)
	if err != nil {
		t.Fatal(err)
	}
	spec.http, spec.https, spec.data = ports[0], ports[1], t.TempDir()
	return launchEdge(t, spec)
}

// launchEdge starts the process (the secret in IMGCDN_SECRET, as `imgcdn serve` suggests)
// and waits for its banner; cleanup stops it (a frozen one is thawed first).
func launchEdge(t *testing.T, spec edgeSpec) *edgeProc {
	t.Helper()
	e := &edgeProc{spec: spec, out: newTailBuffer(1 << 20), exited: make(chan struct{})}
	e.cmd = exec.Command(pkg.bin, "edge", "--control", spec.control, "--key", spec.key, "--node", spec.node,
		"--pop", spec.pop, "--data", spec.data, "--ca-dir", spec.caDir, "--http", spec.http, "--https", spec.https)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "IMGCDN_") {
			e.cmd.Env = append(e.cmd.Env, kv)
		}
	}
	e.cmd.Env = append(e.cmd.Env, "IMGCDN_SECRET="+spec.secret)
	e.cmd.Stdout, e.cmd.Stderr = e.out, e.out
	if err := e.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		e.err = e.cmd.Wait()
		close(e.exited)
	}()
	t.Cleanup(func() {
		if !e.done {
			_ = e.cmd.Process.Signal(syscall.SIGCONT)
			if err := e.stop(); err != nil {
				t.Errorf("edge %s: %v", spec.node, err)
			}
		}
		if t.Failed() {
			t.Logf("edge %s output (tail):\n%s", spec.node, e.out.String())
		}
	})
	e.waitLog(t, "imgcdn edge node "+spec.node+" ")
	return e
}

// restart starts the node again on the same data dir and ports, after stop.
func (e *edgeProc) restart(t *testing.T) *edgeProc {
	t.Helper()
	return launchEdge(t, e.spec)
}

// stop sends SIGTERM and expects a clean exit.
func (e *edgeProc) stop() error {
	e.done = true
	if err := e.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-e.exited:
		if e.err != nil {
			return fmt.Errorf("edge %s after SIGTERM: %w", e.spec.node, e.err)
		}
		return nil
	case <-time.After(stopDeadline):
		_ = e.cmd.Process.Kill()
		<-e.exited
		return fmt.Errorf("edge %s still running %v after SIGTERM; killed", e.spec.node, stopDeadline)
	}
}

func (e *edgeProc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := e.cmd.Process.Signal(sig); err != nil {
		t.Fatalf("edge %s: %v: %v", e.spec.node, sig, err)
	}
}

func (e *edgeProc) port(name string) string {
	addr := map[string]string{"http": e.spec.http, "https": e.spec.https}[name]
	return addr[strings.LastIndexByte(addr, ':')+1:]
}

// waitLog waits until the node's output holds s.
func (e *edgeProc) waitLog(t *testing.T, s string) {
	t.Helper()
	waitFor(t, "edge "+e.spec.node+" to log "+s, startDeadline*2, func() bool {
		select {
		case <-e.exited:
			t.Fatalf("edge %s exited: %v\n%s", e.spec.node, e.err, e.out.String())
		default:
		}
		return strings.Contains(e.out.String(), s)
	})
}

// waitServes waits until the node routes host: over http:// the seed's redirect-to-https
// behaviour answers 301, where an unknown host gets a 4xx page.
func (e *edgeProc) waitServes(t *testing.T, host string) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	waitFor(t, "edge "+e.spec.node+" to serve "+host, 30*time.Second, func() bool {
		req, _ := http.NewRequest(http.MethodHead, "http://"+e.spec.http+"/keep/k.png", nil)
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusMovedPermanently
	})
}

// waitMiss waits until path on host answers a Miss with body, after an invalidation this
// node applies while another is down (its status says nothing then).
func (e *edgeProc) waitMiss(t *testing.T, ca, host, path string, body []byte) {
	t.Helper()
	waitFor(t, "edge "+e.spec.node+" to miss "+path, 30*time.Second, func() bool {
		resp, got := curl(t, "--cacert", ca, "https://"+host+":"+e.port("https")+path)
		return resp.Header.Get("X-Cache") == "Miss from cloudfront" && bytes.Equal(got, body)
	})
}

// get fetches path through the node over HTTPS and checks the cache verdict, the bytes and
// that the node answers as itself (its POP, and a via of its own).
func (e *edgeProc) get(t *testing.T, ca, host, path, xcache string, body []byte) {
	t.Helper()
	resp, got := curl(t, "--cacert", ca, "https://"+host+":"+e.port("https")+path)
	h := resp.Header
	if resp.StatusCode != http.StatusOK || h.Get("X-Cache") != xcache+" from cloudfront" || !bytes.Equal(got, body) {
		t.Errorf("edge %s GET %s%s: %d x-cache %q, %d bytes (want %s, %d identical bytes)", e.spec.node, host, path,
			resp.StatusCode, h.Get("X-Cache"), len(got), xcache, len(body))
	}
	if h.Get("X-Amz-Cf-Pop") != e.spec.pop {
		t.Errorf("edge %s: x-amz-cf-pop %q, want %q", e.spec.node, h.Get("X-Amz-Cf-Pop"), e.spec.pop)
	}
	if !regexp.MustCompile(`^1\.1 [0-9a-f]{32}\.cdn\.localhost \(imgcdn\)$`).MatchString(h.Get("Via")) {
		t.Errorf("edge %s: via %q", e.spec.node, h.Get("Via"))
	}
	if e.spec.via == "" {
		e.spec.via = h.Get("Via") // kept across restarts: the node keeps its name
	} else if h.Get("Via") != e.spec.via {
		t.Errorf("edge %s: via %q, then %q", e.spec.node, e.spec.via, h.Get("Via"))
	}
}

// startServerAt starts `imgcdn serve` on data with the given API, HTTP and HTTPS addresses
// (a restart keeps them: the edges know the API's), stopped on cleanup.
func startServerAt(t *testing.T, data string, ports []string) *server {
	t.Helper()
	s := &server{bin: pkg.bin, data: data, api: ports[0], httpAddr: ports[1], https: ports[2],
		out: newTailBuffer(1 << 20), exited: make(chan struct{})}
	s.cmd = exec.Command(s.bin, "serve", "--data", data, "--api", s.api, "--http", s.httpAddr, "--https", s.https)
	s.cmd.Env = serverEnv(nil)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		s.waitErr = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("imgcdn serve did not stop gracefully: %v", err)
		}
		if t.Failed() {
			t.Logf("imgcdn serve output (tail):\n%s", s.logs())
		}
	})
	if err := s.waitHealthy(); err != nil {
		t.Fatal(err)
	}
	return s
}

// createDist creates the seed's distribution (step 6.2) with the given OAI and caller
// reference and returns its id and domain name.
func createDist(t *testing.T, cli *awsCLI, oai, ref string) (id, domain string) {
	t.Helper()
	cfg := strings.Replace(strings.Replace(seedDistributionConfig, seedOAI, oai, 1), "aws-cli-example-caller-2025", ref, 1)
	var created struct{ Distribution cfDistribution }
	cli.json(t, &created, "cloudfront", "create-distribution", "--distribution-config", cfg)
	if created.Distribution.Status != "InProgress" {
		t.Errorf("create-distribution: Status %q, want InProgress", created.Distribution.Status)
	}
	return created.Distribution.ID, created.Distribution.DomainName
}

func createInvalidation(t *testing.T, cli *awsCLI, dist string, paths ...string) string {
	t.Helper()
	var inv struct {
		Invalidation struct {
			ID string `json:"Id"`
		}
	}
	cli.json(t, &inv, append([]string{"cloudfront", "create-invalidation", "--distribution-id", dist, "--paths"}, paths...)...)
	return inv.Invalidation.ID
}

func distStatus(t *testing.T, cli *awsCLI, id string) string {
	t.Helper()
	var got struct{ Distribution cfDistribution }
	cli.json(t, &got, "cloudfront", "get-distribution", "--id", id)
	return got.Distribution.Status
}

func invStatus(t *testing.T, cli *awsCLI, dist, id string) string {
	t.Helper()
	var got struct{ Invalidation struct{ Status string } }
	cli.json(t, &got, "cloudfront", "get-invalidation", "--distribution-id", dist, "--id", id)
	return got.Invalidation.Status
}

func wantStatus(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: status %q, want %q", what, got, want)
	}
}

// waitFor polls cond until it holds; deadline only bounds a hang.
func waitFor(t *testing.T, what string, deadline time.Duration, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("waited %v for %s", deadline, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
