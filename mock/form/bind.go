package form

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Field captures a parameter as sent, for providers that validate it themselves
// (Sanbod's OAuth parameters, sent as strings or numbers): Set when it was sent
// and not null, Bad when it was a boolean, array or object, Text its text.
type Field struct {
	Text string
	Set  bool
	Bad  bool
	Type Type
}

// Bind fills the tagged fields of the struct dst points to and returns their
// problems in the struct's field order, which is the order the provider
// validates in. A tag is `form:"name,opt,opt..."`; options:
//
//	required   absent, null or blank is Missing
//	len=N      a string of more than N runes is TooLong
//	min=A,max=B an integer outside A..B is OutOfRange
//	whole      an integer may be written 20000.0 or 2e4
//	oneof=a|b  a string must be one of the values (Invalid otherwise)
//
// Field types: string (String), int, int64 (Int), bool (Bool), []string
// (List), Field, *File, []*File. Untagged fields and `form:"-"` are skipped.
// Bind panics when dst is not a pointer to a struct or a tagged field has
// another type: that is a programming error, found by the first test.
func Bind(v *Values, dst any) Problems {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("form.Bind: want a pointer to a struct, got %T", dst))
	}
	rv = rv.Elem()
	var ps Problems
	for _, f := range planOf(rv.Type()) {
		if p := f.bind(v, rv.Field(f.index)); p != nil {
			ps = append(ps, *p)
		}
	}
	return ps
}

// Decode is Parse then Bind: one call for a handler's Parse step. Body problems
// come first; when the body could not be read no field is bound.
func Decode(r *http.Request, o Options, dst any) Problems {
	v, ps := Parse(r, o)
	for _, p := range ps {
		if p.Body() {
			return ps
		}
	}
	return append(ps, Bind(v, dst)...)
}

type fieldPlan struct {
	index    int
	name     string
	required bool
	maxRunes int
	rule     IntRule
	oneof    []string
	kind     reflect.Type
}

var (
	plans      sync.Map // reflect.Type -> []fieldPlan
	typeField  = reflect.TypeOf(Field{})
	typeFile   = reflect.TypeOf((*File)(nil))
	typeFiles  = reflect.TypeOf([]*File(nil))
	typeString = reflect.TypeOf([]string(nil))
)

func planOf(t reflect.Type) []fieldPlan {
	if p, ok := plans.Load(t); ok {
		return p.([]fieldPlan)
	}
	var out []fieldPlan
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("form")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		parts := strings.Split(tag, ",")
		fp := fieldPlan{index: i, name: parts[0], kind: sf.Type}
		if fp.name == "" {
			fp.name = strings.ToLower(sf.Name)
		}
		for _, opt := range parts[1:] {
			k, val, _ := strings.Cut(opt, "=")
			switch k {
			case "required":
				fp.required = true
			case "whole":
				fp.rule.Whole = true
			case "len":
				fp.maxRunes = mustAtoi(t, sf, val)
			case "min":
				fp.rule.Min = int64(mustAtoi(t, sf, val))
			case "max":
				fp.rule.Max = int64(mustAtoi(t, sf, val))
			case "oneof":
				fp.oneof = strings.Split(val, "|")
			default:
				panic(fmt.Sprintf("form: %s.%s: unknown tag option %q", t, sf.Name, opt))
			}
		}
		switch sf.Type.Kind() {
		case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		default:
			if sf.Type != typeField && sf.Type != typeFile && sf.Type != typeFiles && sf.Type != typeString {
				panic(fmt.Sprintf("form: %s.%s: cannot bind a %s", t, sf.Name, sf.Type))
			}
		}
		out = append(out, fp)
	}
	plans.Store(t, out)
	return out
}

func mustAtoi(t reflect.Type, sf reflect.StructField, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(fmt.Sprintf("form: %s.%s: bad number %q in tag", t, sf.Name, s))
	}
	return n
}

func (f fieldPlan) missing() *Problem {
	if f.required {
		return &Problem{Field: f.name, Kind: Missing}
	}
	return nil
}

func (f fieldPlan) bind(v *Values, dst reflect.Value) *Problem {
	switch f.kind {
	case typeField:
		val, found := v.Lookup(f.name)
		if !found || val.Type == Null {
			return f.missing()
		}
		dst.Set(reflect.ValueOf(Field{Text: val.Text, Set: true, Bad: !val.scalar(), Type: val.Type}))
		return nil
	case typeFile:
		fl, ok := v.File(f.name)
		if !ok {
			return f.missing()
		}
		dst.Set(reflect.ValueOf(fl))
		return nil
	case typeFiles:
		fs := v.Files(f.name)
		if len(fs) == 0 {
			return f.missing()
		}
		dst.Set(reflect.ValueOf(append([]*File(nil), fs...)))
		return nil
	case typeString:
		val, found := v.Lookup(f.name)
		if found && val.Type == Object {
			return &Problem{Field: f.name, Kind: BadType, Want: "list", Got: Object}
		}
		items := v.List(f.name)
		if len(items) == 0 {
			return f.missing()
		}
		dst.Set(reflect.ValueOf(items))
		return nil
	}
	switch f.kind.Kind() {
	case reflect.String:
		s, ok, p := v.String(f.name, f.maxRunes)
		if p != nil {
			return p
		}
		if !ok {
			return f.missing()
		}
		if len(f.oneof) > 0 && !contains(f.oneof, s) {
			return &Problem{Field: f.name, Kind: Invalid, Want: strings.Join(f.oneof, "|")}
		}
		dst.SetString(s)
	case reflect.Int, reflect.Int64:
		rule := f.rule
		if dst.Kind() == reflect.Int && !(rule.Min < rule.Max) {
			rule.Min, rule.Max = -1<<31, 1<<31-1 // an int is 32 bits on some targets
		}
		n, ok, p := v.Int(f.name, rule)
		if p != nil {
			return p
		}
		if !ok {
			return f.missing()
		}
		dst.SetInt(n)
	case reflect.Bool:
		b, ok, p := v.Bool(f.name)
		if p != nil {
			return p
		}
		if !ok {
			return f.missing()
		}
		dst.SetBool(b)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, it := range list {
		if it == s {
			return true
		}
	}
	return false
}
