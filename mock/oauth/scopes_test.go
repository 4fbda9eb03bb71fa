package oauth

import (
	"reflect"
	"testing"
)

func TestParseScopes(t *testing.T) {
	tests := []struct {
		in   string
		want Scopes
	}{
		{"", nil},
		{" , ,\t\n", nil},
		{"oak:statement:get", Scopes{"oak:statement:get"}},
		{"card:list:get,card:information:get", Scopes{"card:list:get", "card:information:get"}},
		{"openid profile", Scopes{"openid", "profile"}},
		{" a , b\tc,,d  ", Scopes{"a", "b", "c", "d"}},
		{"b,a,b, a ,c", Scopes{"b", "a", "c"}},
		{"oak:block:*,A,a", Scopes{"oak:block:*", "A", "a"}},
		{",leading,trailing,", Scopes{"leading", "trailing"}},
	}
	for _, tt := range tests {
		if got := ParseScopes(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseScopes(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestNewScopes(t *testing.T) {
	got := NewScopes("statement", "credit:user-info:get,credit:reliability:get", " statement ", "")
	want := Scopes{"statement", "credit:user-info:get", "credit:reliability:get"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("NewScopes = %#v, want %#v", got, want)
	}
}

func TestScopeSets(t *testing.T) {
	granted := ParseScopes("a,b,c")
	tests := []struct {
		name    string
		other   Scopes
		hasAll  bool
		missing Scopes
	}{
		{"empty", nil, true, nil},
		{"subset", Scopes{"c", "a"}, true, nil},
		{"equal", Scopes{"a", "b", "c"}, true, nil},
		{"one missing", Scopes{"a", "d"}, false, Scopes{"d"}},
		{"missing keeps order, once", Scopes{"z", "a", "y", "z"}, false, Scopes{"z", "y"}},
		{"case matters", Scopes{"A"}, false, Scopes{"A"}},
		{"no prefix match", Scopes{"a:b"}, false, Scopes{"a:b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := granted.HasAll(tt.other); got != tt.hasAll {
				t.Errorf("HasAll = %v, want %v", got, tt.hasAll)
			}
			if got := granted.Missing(tt.other); !reflect.DeepEqual(got, tt.missing) {
				t.Errorf("Missing = %#v, want %#v", got, tt.missing)
			}
		})
	}
	if !granted.Has("b") || granted.Has("") || granted.Has("d") || Scopes(nil).Has("a") {
		t.Error("Has is wrong")
	}
	if Scopes(nil).HasAll(Scopes{"a"}) {
		t.Error("empty set has a scope")
	}
	if got := granted.String(","); got != "a,b,c" {
		t.Errorf("String(,) = %q", got)
	}
	if got := granted.String(" "); got != "a b c" {
		t.Errorf("String( ) = %q", got)
	}
	if got := Scopes(nil).String(","); got != "" {
		t.Errorf("empty String = %q", got)
	}
}
