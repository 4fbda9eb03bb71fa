package oauth

import (
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// TestVerifierRemembersButKeepsTime: a token is parsed once, yet its expiry and
// issue time are still checked against the clock on every call, with the errors
// Signer.Parse gives.
func TestVerifierRemembersButKeepsTime(t *testing.T) {
	clk := newFakeClock()
	s := NewSigner(clk, []byte("k"), "iss")
	decoded := 0
	v := NewVerifier(s, 2, func(_ string, m jwt.MapClaims) (string, error) {
		decoded++
		sub, _ := m["sub"].(string)
		if sub == "" {
			return "", errors.New("no subject")
		}
		return sub, nil
	})
	tok, _, err := s.Issue(Claims{Subject: "u1", TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if sub, err := v.Verify(tok); err != nil || sub != "u1" {
			t.Fatalf("Verify = %q, %v", sub, err)
		}
	}
	if decoded != 1 {
		t.Fatalf("decoded %d times, want once", decoded)
	}
	clk.Advance(-time.Hour)
	if _, err := v.Verify(tok); !errors.Is(err, ErrNotYetValid) {
		t.Fatalf("clock before iat: %v", err)
	}
	clk.Advance(time.Hour + time.Minute - time.Nanosecond)
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("just before exp: %v", err)
	}
	clk.Advance(time.Nanosecond)
	if _, err := v.Verify(tok); !errors.Is(err, ErrExpired) {
		t.Fatalf("at exp: %v", err)
	}

	// Forged, foreign and undecodable tokens are refused and not remembered.
	if _, err := v.Verify(tok + "x"); !errors.Is(err, ErrSignature) {
		t.Fatalf("forged: %v", err)
	}
	other, _, _ := NewSigner(clk, []byte("k"), "other").Issue(Claims{Subject: "u1", TTL: time.Minute})
	if _, err := v.Verify(other); !errors.Is(err, ErrIssuer) {
		t.Fatalf("foreign issuer: %v", err)
	}
	anon, _, _ := s.Issue(Claims{TTL: time.Minute})
	for range 2 {
		if _, err := v.Verify(anon); !errors.Is(err, ErrMalformed) {
			t.Fatalf("undecodable: %v", err)
		}
	}
	if decoded != 3 {
		t.Fatalf("an undecodable token was remembered (%d decodes)", decoded)
	}
	// The memory is bounded: past max it starts afresh and still answers right.
	for i := range 5 {
		tk, _, _ := s.Issue(Claims{Subject: "u" + string(rune('a'+i)), TTL: time.Minute})
		if _, err := v.Verify(tk); err != nil {
			t.Fatal(err)
		}
		if len(v.seen) > 2 {
			t.Fatalf("memory holds %d tokens, max 2", len(v.seen))
		}
	}
}
