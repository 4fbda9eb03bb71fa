package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestWriteThenParse(t *testing.T) {
	r := New()
	r.ObserveRequest("kavenegar", "kavenegar.smsSend", 200, "default", 300*time.Microsecond)
	r.ObserveRequest("kavenegar", "kavenegar.smsSend", 200, "default", 3*time.Millisecond)
	r.ObserveRequest("kavenegar", "kavenegar.smsSend", 418, "scenario:x/0", time.Second)
	r.ObserveRequest("paynet", "paynet.otp", 0, "header", 40*time.Second)
	r.Gauge("sandbank_tenants", "Tenants with state.", func() []Sample { return One(3) })
	r.Gauge("sandbank_build_info", "Build.", func() []Sample {
		return []Sample{{Labels: []Label{{"version", `v1 "q" \ x`}}, Value: 1}}
	})
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	fams, err := ParseText(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	req := fams["sandbank_requests_total"]
	if req == nil || req.Type != "counter" {
		t.Fatalf("requests family: %+v", req)
	}
	if n := req.Sum("sandbank_requests_total", map[string]string{"operation": "kavenegar.smsSend"}); n != 3 {
		t.Fatalf("smsSend requests %v", n)
	}
	if n := req.Sum("sandbank_requests_total", map[string]string{"status": "418", "rule": "scenario:x/0"}); n != 1 {
		t.Fatalf("418 requests %v", n)
	}
	lat := fams["sandbank_request_duration_seconds"]
	if n := lat.Sum("sandbank_request_duration_seconds_bucket", map[string]string{"operation": "kavenegar.smsSend", "le": "0.005"}); n != 2 {
		t.Fatalf("smsSend under 5ms: %v\n%s", n, b.String())
	}
	if n := lat.Sum("sandbank_request_duration_seconds_bucket", map[string]string{"operation": "paynet.otp", "le": "30"}); n != 0 {
		t.Fatalf("a 40s request under 30s: %v", n)
	}
	if n := lat.Sum("sandbank_request_duration_seconds_count", map[string]string{"operation": "paynet.otp"}); n != 1 {
		t.Fatalf("paynet count %v", n)
	}
	if v := fams["sandbank_build_info"].Samples[0].Labels["version"]; v != `v1 "q" \ x` {
		t.Fatalf("escaped label read back as %q", v)
	}
	if fams["sandbank_tenants"].Samples[0].Value != 3 {
		t.Fatal("gauge")
	}
}

func TestParseTextRejects(t *testing.T) {
	for _, c := range []struct{ name, text string }{
		{"bad name", "9x 1\n"},
		{"unquoted label", "x{a=b} 1\n"},
		{"unclosed label", "x{a=\"b} 1\n"},
		{"bad escape", "x{a=\"\\t\"} 1\n"},
		{"bad value", "x one\n"},
		{"repeat", "x{a=\"1\"} 1\nx{a=\"1\"} 2\n"},
		{"type after samples", "x 1\n# TYPE x gauge\n"},
		{"unknown type", "# TYPE x meter\n"},
		{"no +Inf", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n"},
		{"falling buckets", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"},
		{"count off", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 1\n"},
	} {
		if _, err := ParseText(strings.NewReader(c.text)); err == nil {
			t.Errorf("%s: accepted %q", c.name, c.text)
		}
	}
}
