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

// TestCommonError: each shared failure keeps its status and code, the API's wording, and the
// verifier's body limit answers with the API's own limit message.
func TestCommonError(t *testing.T) {
	tooLarge := TooLarge("the body is larger than 1 KiB")
	missing := Anonymous("sign it")
	for _, tc := range []struct {
		err       error
		status    int
		code, msg string
	}{
		{missing, http.StatusForbidden, "MissingAuthenticationToken", "given"},
		{fmt.Errorf("%w: detail", Forbidden("no")), http.StatusForbidden, "AccessDenied", "given"},
		{NotFound("no such path"), http.StatusNotFound, "NotFound", "given"},
		{Malformed("bad json"), http.StatusBadRequest, "MalformedInput", "given"},
		{tooLarge, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the body is larger than 1 KiB"},
		{sigv4.ErrBodyTooLarge, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "the body is larger than 1 KiB"},
		{&MethodError{Allow: "GET"}, http.StatusMethodNotAllowed, "MethodNotAllowed", "given"},
		{sigv4.ErrSignatureDoesNotMatch, http.StatusForbidden, "SignatureDoesNotMatch", "given"},
	} {
		status, body, ok := CommonError(tc.err, tooLarge, "given")
		if !ok || status != tc.status || body.Code != tc.code || body.Message != tc.msg {
			t.Errorf("CommonError(%v) = %d %+v %v; want %d %s %q", tc.err, status, body, ok, tc.status, tc.code, tc.msg)
		}
	}
	if _, _, ok := CommonError(errors.New("disk on fire"), tooLarge, "x"); ok {
		t.Error("an unknown error was mapped")
	}
}
