package imagesapi

import (
	"strings"
	"testing"
)

// FuzzDecodeSettings: any PUT body is either refused or decoded, never with a panic, and a
// body cannot smuggle fields the API does not take (a secret of its own).
func FuzzDecodeSettings(f *testing.F) {
	for _, s := range []string{`{"requireSigned":true,"allowedWidths":[320,640]}`, `{"signingSecret":"x"}`, `[]`, `{"allowedWidths":[1e99]}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in SettingsBody
		err := decode(strings.NewReader(body), &in)
		if err == nil && strings.Contains(body, "signingSecret") && !strings.Contains(body, `\`) {
			t.Fatalf("decoded a body naming signingSecret: %q", body)
		}
	})
}
