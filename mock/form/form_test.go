package form

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

func req(method, target, ct, body string) *http.Request {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	return r
}

func TestParseEncodings(t *testing.T) {
	kav := Options{Query: true, FoldCase: true, Brackets: true, Lenient: true}
	cases := []struct {
		name   string
		r      *http.Request
		o      Options
		field  string
		want   string
		kind   Kind // first problem, "" for none
		absent bool
	}{
		{"json string", req("POST", "/", "application/json", `{"a":"x"}`), Options{}, "a", "x", "", false},
		{"json number literal", req("POST", "/", "application/json", `{"a":20000.50}`), Options{}, "a", "20000.50", "", false},
		{"json null kept", req("POST", "/", "application/json", `{"a":null}`), Options{}, "a", "", "", false},
		{"sniff json without type", req("POST", "/", "", ` {"a":"x"}`), Options{}, "a", "x", "", false},
		{"bom", req("POST", "/", "application/json", "\xef\xbb\xbf{\"a\":\"x\"}"), Options{}, "a", "x", "", false},
		{"form", req("POST", "/", "application/x-www-form-urlencoded", "a=x+y%21"), Options{}, "a", "x y!", "", false},
		{"form bad escape", req("POST", "/", "application/x-www-form-urlencoded", "a=%zz&b=1"), Options{}, "b", "1", BadForm, false},
		{"form semicolon", req("POST", "/", "application/x-www-form-urlencoded", "a=1;b=2"), Options{}, "a", "", BadForm, true},
		{"lenient %u", req("POST", "/", "application/x-www-form-urlencoded", "Message=%u0633%uD83D%uDE00%zz"), kav, "message", "س😀%zz", "", false},
		{"brackets", req("POST", "/", "application/x-www-form-urlencoded", "receptor[]=1&receptor[]=2"), kav, "receptor", "1", "", false},
		{"query merged, body wins", req("POST", "/?a=q&b=q", "application/x-www-form-urlencoded", "a=b"), kav, "b", "q", "", false},
		{"lenient bad json is a form", req("POST", "/", "application/json", `{"a":`), kav, `{"a":`, "", "", false},
		{"not object", req("POST", "/", "application/json", `[1]`), Options{}, "a", "", NotObject, true},
		{"trailing data", req("POST", "/", "application/json", `{"a":1} {}`), Options{}, "a", "", BadJSON, true},
		{"bad json", req("POST", "/", "application/json", `{"a":`), Options{}, "a", "", BadJSON, true},
		{"empty required", req("POST", "/", "application/json", "  "), Options{RequireBody: true}, "a", "", Empty, true},
		{"null body", req("POST", "/", "application/json", "null"), Options{NullBody: true}, "a", "", "", true},
		{"null body rejected", req("POST", "/", "application/json", "null"), Options{}, "a", "", NotObject, true},
		{"join arrays", req("POST", "/", "application/json", `{"s":["a",2,true,null]}`), Options{JoinArrays: true}, "s", "a,2,true,", "", false},
		{"join nested", req("POST", "/", "application/json", `{"s":[{"x":1}]}`), Options{JoinArrays: true}, "s", "", BadType, true},
		{"fold case", req("POST", "/", "application/json", `{"Card_Owner_ID":"7"}`), Options{FoldCase: true}, "card_owner_id", "7", "", false},
		{"reject", req("POST", "/", "text/plain", `a=1`), Options{Choose: func(string, byte) Encoding { return Reject }}, "a", "", NotObject, true},
		{"too large", req("POST", "/", "application/json", `{"a":"xxxxxxxx"}`), Options{MaxBody: 4}, "a", "", TooLarge, true},
		{"query only", req("GET", "/?a=%zz&b=2", "", ""), Options{QueryOnly: true}, "b", "2", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, ps := Parse(tc.r, tc.o)
			var kind Kind
			if p, ok := ps.First(); ok {
				kind = p.Kind
			}
			if kind != tc.kind {
				t.Fatalf("problem %q, want %q (%v)", kind, tc.kind, ps)
			}
			if v.Has(tc.field) == tc.absent {
				t.Fatalf("Has(%q) = %v; names %v", tc.field, !tc.absent, v.Names())
			}
			if got := v.Raw(tc.field); got != tc.want {
				t.Fatalf("Raw(%q) = %q, want %q", tc.field, got, tc.want)
			}
		})
	}
}

func TestBodyPutBack(t *testing.T) {
	r := req("POST", "/", "application/json", `{"a":"x"}`)
	Parse(r, Options{})
	b, _ := io.ReadAll(r.Body)
	if string(b) != `{"a":"x"}` {
		t.Fatalf("body after Parse = %q", b)
	}
}

func TestListsAndTexts(t *testing.T) {
	v := &Values{}
	v.Add("r", Value{Text: ` ["0912", 935] `})
	v.Add("c", Value{Text: "a, b,,c"})
	v.Add("m", Value{Text: `["x,y",""]`})
	v.Add("m", Value{Text: "z"})
	if got := v.List("r"); !reflect.DeepEqual(got, []string{"0912", "935"}) {
		t.Fatalf("json list %q", got)
	}
	if got := v.List("nope", "c"); !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Fatalf("comma list %q", got)
	}
	if got, ok := v.Texts("m"); !ok || !reflect.DeepEqual(got, []string{"x,y", "", "z"}) {
		t.Fatalf("texts %q", got)
	}
}

func TestGetters(t *testing.T) {
	v, _ := ParseBody("application/json", []byte(`{"s":"  ","n":"12","f":20000.0,"b":true,"o":{"x":1},"bad":"`+"\xff"+`","neg":"-3","long":"ابc"}`), Options{})
	if v.Raw("n") != "12" {
		t.Fatalf("parse: %v", v.Names())
	}
	if _, ok, p := v.String("s", 0); ok || p != nil {
		t.Fatal("blank string should be absent")
	}
	if s, ok, _ := v.String("n", 0); !ok || s != "12" {
		t.Fatal("number as string")
	}
	if _, _, p := v.String("b", 0); p == nil || p.Kind != BadType || p.Got != Bool {
		t.Fatalf("bool as string: %v", p)
	}
	fv, _ := ParseBody("application/x-www-form-urlencoded", []byte("bad=%FF"), Options{})
	if _, _, p := fv.String("bad", 0); p == nil || p.Kind != Invalid {
		t.Fatalf("bad utf-8: %v", p)
	}
	if _, _, p := v.String("long", 2); p == nil || p.Kind != TooLong || p.Limit != 2 {
		t.Fatalf("too long: %v", p)
	}
	if _, p := v.Required("missing", 0); p == nil || p.Kind != Missing || p.Field != "missing" {
		t.Fatalf("missing: %v", p)
	}
	if n, ok, _ := v.Int("n", IntRule{}); !ok || n != 12 {
		t.Fatal("string as number")
	}
	if _, _, p := v.Int("f", IntRule{}); p == nil || p.Kind != NotNumber {
		t.Fatalf("20000.0 without whole: %v", p)
	}
	if n, _, p := v.Int("f", IntRule{Whole: true}); p != nil || n != 20000 {
		t.Fatalf("20000.0 whole: %d %v", n, p)
	}
	if _, _, p := v.Int("neg", IntRule{Min: 0, Max: 10}); p == nil || p.Kind != OutOfRange {
		t.Fatalf("range: %v", p)
	}
	if _, _, p := v.Int("o", IntRule{}); p == nil || p.Kind != BadType || p.Got != Object {
		t.Fatalf("object as number: %v", p)
	}
	if b, ok, _ := v.Bool("b"); !ok || !b {
		t.Fatal("bool")
	}
}

type payment struct {
	Amount   int64    `form:"amount,required,whole,min=1000,max=500000000"`
	Callback string   `form:"callback_url,required,len=20"`
	Mobile   string   `form:"mobile_number"`
	Ids      []string `form:"ids"`
	State    Field    `form:"state"`
	Kind     string   `form:"type,oneof=a|b"`
	Photo    *File    `form:"file,required"`
	skip     string
}

func TestBindFieldOrder(t *testing.T) {
	v, ps := ParseBody("application/json", []byte(`{"callback_url":"https://example.com/a/very/long","amount":"12","state":[1],"ids":"1,2","type":"c"}`), Options{})
	if ps != nil {
		t.Fatal(ps)
	}
	var p payment
	got := Bind(v, &p)
	var kinds []string
	for _, pr := range got {
		kinds = append(kinds, pr.Field+":"+string(pr.Kind))
	}
	want := []string{"amount:out_of_range", "callback_url:too_long", "type:invalid", "file:missing"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("problems %v, want %v", kinds, want)
	}
	if !p.State.Set || !p.State.Bad || !reflect.DeepEqual(p.Ids, []string{"1", "2"}) {
		t.Fatalf("bound %+v", p)
	}
	_ = p.skip
}

func TestMultipart(t *testing.T) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("type", "signature_photo")
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{`form-data; name="file"; filename="sig.png"`}
	h["Content-Type"] = []string{"image/png"}
	w, _ := mw.CreatePart(h)
	_, _ = w.Write([]byte("\x89PNG...."))
	_ = mw.Close()
	r := req("POST", "/", mw.FormDataContentType(), buf.String())
	var in struct {
		Type string `form:"type,required,oneof=signature_photo|applicant_photo"`
		File *File  `form:"file,required"`
	}
	if ps := Decode(r, Options{}, &in); ps != nil {
		t.Fatal(ps)
	}
	if in.Type != "signature_photo" || in.File.Filename != "sig.png" || in.File.ContentType != "image/png" || in.File.Size != 8 {
		t.Fatalf("%+v %+v", in, in.File)
	}
	bad := req("POST", "/", "multipart/form-data; boundary=x", "--x\r\nnot a part")
	if _, ps := Parse(bad, Options{}); len(ps) == 0 || ps[0].Kind != BadForm {
		t.Fatalf("malformed multipart: %v", ps)
	}
}

func TestDecodeStopsOnBodyProblem(t *testing.T) {
	var in payment
	ps := Decode(req("POST", "/", "application/json", "{"), Options{}, &in)
	if len(ps) != 1 || ps[0].Kind != BadJSON || !ps[0].Body() {
		t.Fatalf("%v", ps)
	}
	if ps.Err() == nil || Problems(nil).Err() != nil {
		t.Fatal("Err")
	}
	if got, ok := Of(ps.Err()); !ok || len(got) != 1 {
		t.Fatal("Of")
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{"", "{", "null", `{"a":[1,{"b":2}],"A":"x"}`, "a=%u0633&a[]=1", "%", "%u12", "--x\r\n", `{"a":1}}`, "\xef\xbb\xbf{}"}
	for _, s := range seeds {
		for _, ct := range []string{"application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
			f.Add(ct, s)
		}
	}
	opts := []Options{
		{},
		{Query: true, FoldCase: true, Brackets: true, Lenient: true},
		{FoldCase: true, RequireBody: true, Choose: AlwaysJSON},
		{JoinArrays: true, NullBody: true},
	}
	f.Fuzz(func(t *testing.T, ct, body string) {
		for _, o := range opts {
			r := httptest.NewRequest("POST", "/?x=%u0633&y=%", strings.NewReader(body))
			r.Header.Set("Content-Type", ct)
			v, ps := Parse(r, o)
			if o.Lenient && ps != nil {
				t.Fatalf("lenient reported %v", ps)
			}
			for _, n := range v.Names() {
				v.List(n)
				v.Texts(n)
				v.String(n, 5)
				v.Int(n, IntRule{Whole: true, Min: 0, Max: 9})
				v.Bool(n)
			}
			var in payment
			Bind(v, &in)
			_ = ps.Error()
		}
	})
}

func TestNilValues(t *testing.T) {
	var v *Values
	if v.Has("a") || v.Get("a") != "" || v.List("a") != nil || v.Names() != nil {
		t.Fatal("nil Values should read as empty")
	}
	if _, ok, p := v.Int("a", IntRule{}); ok || p != nil {
		t.Fatal("nil Int")
	}
	if _, ok := v.File("f"); ok {
		t.Fatal("nil File")
	}
}

func TestJSONMember(t *testing.T) {
	v, _ := ParseBody("application/json", []byte(`{"items":[{"amount":5}],"n":1}`), Options{})
	var items []struct{ Amount int }
	if ok, p := v.JSON("items", &items); !ok || p != nil || len(items) != 1 || items[0].Amount != 5 {
		t.Fatalf("%v %v %+v", ok, p, items)
	}
	if _, p := v.JSON("n", &items); p == nil || p.Kind != BadType {
		t.Fatalf("%v", p)
	}
	var wrong []string
	if _, p := v.JSON("items", &wrong); p == nil || p.Kind != Invalid {
		t.Fatalf("%v", p)
	}
}

// TestValuesAreValidUTF8: whatever bytes a query, form or multipart field
// carries, a value (and a name, a file's name) reads as encoding/json reads a
// JSON string: each byte outside UTF-8 is U+FFFD. Stored raw, "u-\xff" and
// "u-\xfe" were two ids in memory and one in the state's JSON.
func TestValuesAreValidUTF8(t *testing.T) {
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	_ = w.WriteField("t\xff", "u-\xff\xfe")
	fw, _ := w.CreateFormFile("f", "n\xff.jpg")
	_, _ = fw.Write([]byte("\xff\xd8"))
	_ = w.Close()
	for _, tc := range []struct {
		name        string
		r           *http.Request
		o           Options
		field, want string
	}{
		{"form value", req("POST", "/", "application/x-www-form-urlencoded", "t=u-%FF"), Options{}, "t", "u-\uFFFD"},
		{"form per byte", req("POST", "/", "application/x-www-form-urlencoded", "t=%FF%FEa%C3"), Options{}, "t", "\uFFFD\uFFFDa\uFFFD"},
		{"form name", req("POST", "/", "application/x-www-form-urlencoded", "t%FF=1"), Options{}, "t\uFFFD", "1"},
		{"lenient form", req("POST", "/", "application/x-www-form-urlencoded", "t=%FF%u0633"), Options{Lenient: true}, "t", "\uFFFDس"},
		{"query", req("GET", "/?t=u-%FE", "", ""), Options{QueryOnly: true}, "t", "u-\uFFFD"},
		{"raw query byte", req("GET", "/?t=u-\xff", "", ""), Options{QueryOnly: true}, "t", "u-\uFFFD"},
		{"json as before", req("POST", "/", "application/json", "{\"t\":\"u-\xff\"}"), Options{}, "t", "u-\uFFFD"},
		{"json array text", req("POST", "/", "application/json", "{\"t\":[\"\xff\"]}"), Options{}, "t", "[\"\uFFFD\"]"},
		{"multipart field", req("POST", "/", w.FormDataContentType(), mp.String()), Options{}, "t\uFFFD", "u-\uFFFD\uFFFD"},
		{"valid untouched", req("POST", "/", "application/x-www-form-urlencoded", "t=%D8%B3%F0%9F%98%80"), Options{}, "t", "س😀"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, ps := Parse(tc.r, tc.o)
			if len(ps) > 0 {
				t.Fatalf("problems: %v", ps)
			}
			got, ok := v.Lookup(tc.field)
			if !ok || got.Text != tc.want {
				t.Fatalf("%q = %q (%v), want %q; names %q", tc.field, got.Text, ok, tc.want, v.Names())
			}
		})
	}
	v, _ := Parse(req("POST", "/", w.FormDataContentType(), mp.String()), Options{})
	if fs := v.Files("f"); len(fs) != 1 || fs[0].Filename != "n\uFFFD.jpg" || string(fs[0].Data) != "\xff\xd8" {
		t.Fatalf("file: %+v", fs)
	}
}
