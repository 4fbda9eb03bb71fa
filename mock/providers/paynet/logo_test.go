package paynet

import (
	"bytes"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestListExpiryZeroByDefault: card/list answers expire_month/expire_year 0 as the
// official list sample shows; list_expiry: true answers the stored values.
func TestListExpiryZeroByDefault(t *testing.T) {
	for _, tc := range []struct {
		config      string
		month, year float64
	}{{"", 0, 0}, {"list_expiry: true", 12, 2030}} {
		h := newHarness(t, withConfig(tc.config))
		owner := h.post(key, "/v1/card/save", saveBody("4355084355084358", "u-exp", "")).str("card_owner_id")
		d := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t)
		if len(d) != 1 || d[0]["expire_month"] != tc.month || d[0]["expire_year"] != tc.year {
			t.Errorf("config %q: %v", tc.config, d)
		}
	}
}

// TestCardLogoURLAnswers: the card_logo_url of a listed card is served as a PNG,
// without credentials; an id outside the BIN table is Paynet's 404.
func TestCardLogoURLAnswers(t *testing.T) {
	h := newHarness(t)
	owner := h.post(key, "/v1/card/save", saveBody("4282209004348015", "u-logo", "")).str("card_owner_id")
	d := h.post(key, "/v1/card/list", map[string]any{"card_owner_id": owner}).data(t)
	logo, _ := d[0]["card_logo_url"].(string)
	if !strings.HasSuffix(logo, "/img/banklogo/small/BONS.png") {
		t.Fatalf("card_logo_url = %q", logo)
	}
	get := func(u string) (*http.Response, []byte) {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	res, body := get(logo)
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("logo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if _, err := png.Decode(bytes.NewReader(body)); err != nil {
		t.Fatalf("logo is not a PNG: %v", err)
	}
	if _, again := get(logo); !bytes.Equal(again, body) {
		t.Error("the same logo differs between calls")
	}
	if _, other := get(strings.Replace(logo, "BONS", "AXSS", 1)); bytes.Equal(other, body) {
		t.Error("two banks share one logo")
	}
	for _, bad := range []string{"/img/banklogo/small/NOPE.png", "/img/banklogo/small/BONS.gif"} {
		r := h.do(http.MethodGet, bad, http.Header{}, "")
		if r.HTTP != 404 || r.Body["result_code"] != 9.0 {
			t.Errorf("%s: %d %s", bad, r.HTTP, r.Raw)
		}
	}
}
