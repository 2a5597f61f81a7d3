package jsonapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/imgcdn/imgcdn/internal/sigv4"
)

func TestSignatureError(t *testing.T) {
	status, code, ok := SignatureError(fmt.Errorf("wrapped: %w", sigv4.ErrSignatureDoesNotMatch))
	if !ok || status != http.StatusForbidden || code != "SignatureDoesNotMatch" {
		t.Errorf("SignatureDoesNotMatch -> %d %q %v", status, code, ok)
	}
	if _, _, ok := SignatureError(errors.New("other")); ok {
		t.Error("an unrelated error was mapped")
	}
}

func TestWriteErrorAndClient(t *testing.T) {
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			auth = r.Header.Get("Authorization")
			WriteJSON(w, http.StatusOK, map[string]string{"hello": "world"})
			return
		}
		WriteError(w, http.StatusMethodNotAllowed, ErrorBody{Code: "MethodNotAllowed", Message: "no"}, &MethodError{Allow: "GET"})
	}))
	defer srv.Close()
	c, err := NewClient("imgcdn-test", ClientConfig{URL: srv.URL, AccessKey: "AKID", Secret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]string
	if err := c.Do(context.Background(), http.MethodGet, "/x", nil, http.StatusOK, &out); err != nil || out["hello"] != "world" {
		t.Fatalf("GET: %v %v", out, err)
	}
	if want := "AWS4-HMAC-SHA256 Credential=AKID/"; len(auth) < len(want) || auth[:len(want)] != want || !strings.Contains(auth, "/imgcdn-test/aws4_request") {
		t.Errorf("Authorization %q: not SigV4 for the service", auth)
	}
	err = c.Do(context.Background(), http.MethodPost, "/x", []byte(`{}`), http.StatusOK, nil)
	var e *Error
	if !errors.As(err, &e) || e.Status != 405 || e.Code != "MethodNotAllowed" || e.Message != "no" {
		t.Fatalf("POST: %v", err)
	}
	resp, err := http.Post(srv.URL+"/x", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b ErrorBody
	if resp.Header.Get("Allow") != "GET" || resp.Header.Get("Cache-Control") != "no-store" ||
		json.NewDecoder(resp.Body).Decode(&b) != nil || b.Code != "MethodNotAllowed" {
		t.Errorf("error answer: Allow %q Cache-Control %q body %+v", resp.Header.Get("Allow"), resp.Header.Get("Cache-Control"), b)
	}
	if _, err := NewClient("imgcdn-test", ClientConfig{URL: "ftp://x", AccessKey: "a", Secret: "b"}); err == nil {
		t.Error("a non-http URL was accepted")
	}
}
