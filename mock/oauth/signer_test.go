package oauth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func testKey() []byte { return []byte("sandbank-test-key") }

func TestIssueParseRoundTrip(t *testing.T) {
	clk := newFakeClock()
	clk.Advance(700 * time.Millisecond) // a sub-second now must not skew exp
	s := NewSigner(clk, testKey(), "sandbank")
	tok, exp, err := s.Issue(Claims{
		Subject: "0012345678", Audience: "drops", ID: "tok-1", TTL: 15 * time.Minute,
		Extra:  map[string]any{"type": "access", "scope": "statement", "deposits": []string{"1-2-3"}},
		Header: map[string]any{"type": "access", "grant_type": "AC"},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantExp := time.Date(2026, 11, 22, 10, 15, 0, 0, time.FixedZone("IRST", 12600))
	if !exp.Equal(wantExp) {
		t.Fatalf("exp = %v, want %v", exp, wantExp)
	}
	c, err := s.Parse(tok)
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]any{
		"sub": "0012345678", "aud": "drops", "jti": "tok-1", "iss": "sandbank",
		"type": "access", "scope": "statement",
		"iat": float64(wantExp.Add(-15 * time.Minute).Unix()), "exp": float64(wantExp.Unix()),
	} {
		if c[k] != want {
			t.Errorf("claim %s = %v (%T), want %v", k, c[k], c[k], want)
		}
	}
	if d, _ := c["deposits"].([]any); len(d) != 1 || d[0] != "1-2-3" {
		t.Errorf("deposits = %v", c["deposits"])
	}
	h := header(t, tok)
	if !strings.Contains(h, `"grant_type":"AC"`) || !strings.Contains(h, `"alg":"HS256"`) || !strings.Contains(h, `"type":"access"`) {
		t.Errorf("header = %s", h)
	}
}

func header(t *testing.T, tok string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseErrors(t *testing.T) {
	clk := newFakeClock()
	s := NewSigner(clk, testKey(), "sandbank")
	issue := func(ttl time.Duration) string {
		tok, _, err := s.Issue(Claims{Subject: "u", TTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	sign := func(s *Signer, c jwt.MapClaims) string {
		tok, err := s.Sign(c, nil)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := clk.Now().Unix()
	good := issue(time.Hour)
	parts := strings.Split(good, ".")
	forgedPayload := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin","iss":"sandbank","exp":9999999999}`))
	flipped := []byte(parts[2])
	flipped[3] ^= 1 // one bit, still valid base64url

	tests := []struct {
		name    string
		token   func() string
		advance time.Duration
		want    error
		jwtErr  error
	}{
		{name: "valid", token: func() string { return good }},
		{name: "valid just before exp", token: func() string { return issue(time.Minute) }, advance: time.Minute - time.Nanosecond},
		{name: "expired at exp", token: func() string { return issue(time.Minute) }, advance: time.Minute, want: ErrExpired, jwtErr: jwt.ErrTokenExpired},
		{name: "expired long after", token: func() string { return issue(time.Minute) }, advance: 240 * time.Hour, want: ErrExpired},
		{name: "tampered payload", token: func() string { return parts[0] + "." + forgedPayload + "." + parts[2] }, want: ErrSignature, jwtErr: jwt.ErrTokenSignatureInvalid},
		{name: "tampered signature", token: func() string { return parts[0] + "." + parts[1] + "." + string(flipped) }, want: ErrSignature},
		{name: "other key", token: func() string {
			return sign(NewSigner(clk, []byte("other"), "sandbank"), jwt.MapClaims{"exp": now + 60})
		}, want: ErrSignature},
		{name: "forged and expired is forged", token: func() string {
			return sign(NewSigner(clk, []byte("other"), "sandbank"), jwt.MapClaims{"exp": now - 60})
		}, want: ErrSignature},
		{name: "alg none", token: func() string {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"iss": "sandbank"}).SignedString(jwt.UnsafeAllowNoneSignatureType)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}, want: ErrSignature},
		{name: "HS512 with the right key", token: func() string {
			tok, err := jwt.NewWithClaims(jwt.SigningMethodHS512, jwt.MapClaims{"iss": "sandbank"}).SignedString(testKey())
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}, want: ErrSignature},
		{name: "empty", token: func() string { return "" }, want: ErrMalformed},
		{name: "two segments", token: func() string { return parts[0] + "." + parts[1] }, want: ErrMalformed},
		{name: "garbage segments", token: func() string { return "x.y.z" }, want: ErrMalformed},
		{name: "exp is a string", token: func() string { return sign(s, jwt.MapClaims{"exp": "tomorrow"}) }, want: ErrMalformed},
		{name: "nbf in the future", token: func() string { return sign(s, jwt.MapClaims{"nbf": now + 60}) }, want: ErrNotYetValid},
		{name: "clock moved back before iat", token: func() string { return issue(time.Hour) }, advance: -time.Minute, want: ErrNotYetValid},
		{name: "other issuer", token: func() string { return sign(NewSigner(clk, testKey(), "finnotech"), jwt.MapClaims{}) }, want: ErrIssuer},
		{name: "no issuer", token: func() string { return sign(NewSigner(clk, testKey(), ""), jwt.MapClaims{}) }, want: ErrIssuer},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.token()
			clk.Advance(tt.advance)
			defer clk.Advance(-tt.advance)
			c, err := s.Parse(tok)
			if tt.want == nil {
				if err != nil || c["iss"] != "sandbank" {
					t.Fatalf("Parse = %v, %v; want valid", c, err)
				}
				return
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
			if tt.jwtErr != nil && !errors.Is(err, tt.jwtErr) {
				t.Fatalf("Parse error = %v, does not wrap %v", err, tt.jwtErr)
			}
			if c != nil {
				t.Fatalf("claims returned with error: %v", c)
			}
		})
	}
}

func TestSignerWithoutIssuerAcceptsBareTokens(t *testing.T) {
	s := NewSigner(newFakeClock(), testKey(), "")
	tok, err := s.Sign(jwt.MapClaims{"type": "CODE"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Parse(tok)
	if err != nil || c["type"] != "CODE" || c["iss"] != nil {
		t.Fatalf("Parse = %v, %v", c, err)
	}
}

func TestIssueRejects(t *testing.T) {
	clk := newFakeClock()
	tests := []struct {
		name string
		key  []byte
		c    Claims
		want error
	}{
		{"zero ttl", testKey(), Claims{}, ErrTTL},
		{"negative ttl", testKey(), Claims{TTL: -time.Second}, ErrTTL},
		{"alg override", testKey(), Claims{TTL: time.Minute, Header: map[string]any{"alg": "none"}}, ErrHeader},
		{"empty key", nil, Claims{TTL: time.Minute}, ErrNoKey},
		{"reserved extra", testKey(), Claims{TTL: time.Minute, Extra: map[string]any{"exp": 1}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, _, err := NewSigner(clk, tt.key, "x").Issue(tt.c)
			if err == nil || tok != "" {
				t.Fatalf("Issue = %q, %v; want error", tok, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestGeneratedIDsUniqueAndReproducible(t *testing.T) {
	jtis := func() []string {
		s := NewSigner(newFakeClock(), testKey(), "sandbank")
		var out []string
		for range 3 {
			tok, _, err := s.Issue(Claims{TTL: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			c, err := s.Parse(tok)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, c["jti"].(string))
		}
		return out
	}
	a, b := jtis(), jtis()
	if a[0] == a[1] || a[1] == a[2] || a[0] == a[2] {
		t.Fatalf("jti repeated: %v", a)
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		t.Fatalf("jti not reproducible: %v vs %v", a, b)
	}
	if !uuidRE().MatchString(a[0]) {
		t.Fatalf("jti %q is not a UUID", a[0])
	}
}

func TestSignDoesNotMutateCallerClaims(t *testing.T) {
	c := jwt.MapClaims{"a": 1}
	if _, err := NewSigner(newFakeClock(), testKey(), "sandbank").Sign(c, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := c["iss"]; ok || len(c) != 1 {
		t.Fatalf("caller claims changed: %v", c)
	}
}
