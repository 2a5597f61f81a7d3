package main

import "time"

// Results is everything one bench run measured. It is written as JSON (--json) so that
// `imgcdn-bench compare` can put runs against different servers side by side.
type Results struct {
	Label    string    `json:"label"`
	Date     time.Time `json:"date"`
	Machine  Machine   `json:"machine"`
	Command  string    `json:"command"`
	Endpoint string    `json:"endpoint"`
	Mode     string    `json:"mode"`
	// LoadStart and LoadEnd are /proc/loadavg's 1, 5 and 15-minute load averages when the run
	// started and ended: on a shared machine they say how much of the CPU the run really had.
	LoadStart string        `json:"load_start,omitempty"`
	LoadEnd   string        `json:"load_end,omitempty"`
	Phases    []PhaseResult `json:"phases"`
	List      *ListResult   `json:"list,omitempty"`
	Big       *BigResult    `json:"big,omitempty"`
	ServerMem *ServerMemory `json:"server_memory,omitempty"`
	Notes     []string      `json:"notes,omitempty"`
}

// PhaseResult is one PUT or GET phase of one size x concurrency cell.
type PhaseResult struct {
	Op          string  `json:"op"` // PUT or GET
	Size        int64   `json:"size"`
	Concurrency int     `json:"concurrency"`
	Ops         uint64  `json:"ops"` // successful requests
	Errors      uint64  `json:"errors"`
	FirstError  string  `json:"first_error,omitempty"`
	Seconds     float64 `json:"seconds"`
	OpsPerSec   float64 `json:"ops_per_sec"`
	MiBPerSec   float64 `json:"mib_per_sec"`
	P50ms       float64 `json:"p50_ms"`
	P99ms       float64 `json:"p99_ms"`
	// Encrypted phases ran in a bucket whose default encryption is SSE-S3 (AES256).
	Encrypted bool `json:"sse,omitempty"`
	// ServerCPUms and ClientCPUms are the CPU milliseconds (user+system, all threads) the
	// server and the generator used during the phase; ServerCPUms is nil without --pid.
	ServerCPUms *float64 `json:"server_cpu_ms,omitempty"`
	ClientCPUms float64  `json:"client_cpu_ms,omitempty"`
}

// opLabel is the operation as the tables show it.
func (p PhaseResult) opLabel() string {
	if p.Encrypted {
		return p.Op + " SSE-S3"
	}
	return p.Op
}

// ListResult is the listing benchmark: filling a bucket with many tiny objects, then timing
// complete ListObjectsV2 walks of it, with aws-sdk-go-v2 (the embedded ListWalk) and, when
// asked, with raw signed GETs whose XML is not decoded (Raw).
type ListResult struct {
	Keys          int     `json:"keys"`
	FillSeconds   float64 `json:"fill_seconds"`
	FillOpsPerSec float64 `json:"fill_ops_per_sec"`
	FillErrors    uint64  `json:"fill_errors"`
	ListWalk
	Raw *ListWalk `json:"raw,omitempty"`
}

// ListWalk is a number of complete walks of the listing bucket by one kind of client.
type ListWalk struct {
	Passes      int     `json:"passes"`
	Pages       int     `json:"pages"`
	KeysListed  int     `json:"keys_listed"`
	ListSeconds float64 `json:"list_seconds"`
	PagesPerSec float64 `json:"pages_per_sec"`
	KeysPerSec  float64 `json:"keys_per_sec"`
	PageP50ms   float64 `json:"page_p50_ms"`
	PageP99ms   float64 `json:"page_p99_ms"`
	// CPU milliseconds used by the server (nil without --pid) and the generator during the
	// walks.
	ServerCPUms *float64 `json:"server_cpu_ms,omitempty"`
	ClientCPUms float64  `json:"client_cpu_ms,omitempty"`
	Error       string   `json:"error,omitempty"`
}

// BigResult is the multipart upload of one large object while the server's RSS is sampled.
type BigResult struct {
	Size      int64   `json:"size"`
	PartSize  int64   `json:"part_size"`
	Parts     int     `json:"parts"`
	Seconds   float64 `json:"seconds"`
	MiBPerSec float64 `json:"mib_per_sec"`
	ETag      string  `json:"etag,omitempty"`
	// RSS figures are zero when no --pid was given.
	RSSBefore  int64  `json:"rss_before"`
	RSSPeak    int64  `json:"rss_peak"`
	RSSGrowth  int64  `json:"rss_growth"`
	RSSSamples int    `json:"rss_samples"`
	Error      string `json:"error,omitempty"`
}

// ServerMemory is the server's memory at the start and end of the run.
type ServerMemory struct {
	RSSStart int64 `json:"rss_start"`
	RSSEnd   int64 `json:"rss_end"`
	// HWMEnd is VmHWM at the end: the peak RSS over the server's whole life, all phases included.
	HWMEnd int64 `json:"hwm_end"`
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
