package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Family is one metric family as ParseText read it.
type Family struct {
	Name, Help, Type string
	Samples          []Parsed
}

// Parsed is one sample line.
type Parsed struct {
	Name   string // the family name, or with _bucket, _sum or _count
	Labels map[string]string
	Value  float64
}

// Sum adds the values of the family's samples named name whose labels include
// every pair of match.
func (f *Family) Sum(name string, match map[string]string) float64 {
	var total float64
	for _, s := range f.Samples {
		if s.Name != name {
			continue
		}
		ok := true
		for k, v := range match {
			if s.Labels[k] != v {
				ok = false
				break
			}
		}
		if ok {
			total += s.Value
		}
	}
	return total
}

// ParseText reads the Prometheus text format strictly: metric and label names,
// label escapes, values, TYPE before a family's samples and at most once, no sample
// twice, sample names that belong to their family, and for histograms cumulative
// buckets with an le label whose +Inf bucket equals _count. Errors name the line.
func ParseText(r io.Reader) (map[string]*Family, error) {
	fams := map[string]*Family{}
	seen := map[string]bool{}
	var cur *Family
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fail := func(format string, args ...any) error {
			return fmt.Errorf("line %d: %s: %q", n, fmt.Sprintf(format, args...), line)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			f := strings.Fields(line)
			if len(f) < 3 || (f[1] != "HELP" && f[1] != "TYPE") {
				continue // a plain comment
			}
			name := f[2]
			if !validName(name, true) {
				return nil, fail("bad metric name")
			}
			fam := fams[name]
			if fam == nil {
				fam = &Family{Name: name, Type: "untyped"}
				fams[name] = fam
			}
			if f[1] == "TYPE" {
				if len(f) != 4 {
					return nil, fail("TYPE wants one type")
				}
				switch f[3] {
				case "counter", "gauge", "histogram", "summary", "untyped":
				default:
					return nil, fail("unknown type")
				}
				if len(fam.Samples) > 0 || seen["TYPE "+name] {
					return nil, fail("TYPE after samples or twice")
				}
				seen["TYPE "+name] = true
				fam.Type = f[3]
			} else {
				fam.Help = strings.TrimPrefix(strings.SplitN(line, name, 2)[1], " ")
			}
			cur = fam
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fail("%v", err)
		}
		fam := owner(fams, cur, s.Name)
		if fam == nil {
			fam = &Family{Name: s.Name, Type: "untyped"}
			fams[s.Name] = fam
		}
		key := s.Name + "{" + canonical(s.Labels) + "}"
		if seen[key] {
			return nil, fail("sample repeated")
		}
		seen[key] = true
		fam.Samples = append(fam.Samples, s)
		cur = fam
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, f := range fams {
		if f.Type == "histogram" {
			if err := checkHistogram(f); err != nil {
				return nil, err
			}
		}
	}
	return fams, nil
}

// owner is the family a sample name belongs to: its own, or for the suffixed series
// of a histogram or summary, that family's.
func owner(fams map[string]*Family, cur *Family, name string) *Family {
	if f := fams[name]; f != nil {
		return f
	}
	for _, suf := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suf); ok {
			if f := fams[base]; f != nil && (f.Type == "histogram" || (f.Type == "summary" && suf != "_bucket")) {
				return f
			}
		}
	}
	return nil
}

func checkHistogram(f *Family) error {
	type series struct {
		les   []float64
		cum   map[float64]float64
		count float64
		has   bool
	}
	all := map[string]*series{}
	get := func(l map[string]string) *series {
		rest := map[string]string{}
		for k, v := range l {
			if k != "le" {
				rest[k] = v
			}
		}
		k := canonical(rest)
		if all[k] == nil {
			all[k] = &series{cum: map[float64]float64{}}
		}
		return all[k]
	}
	for _, s := range f.Samples {
		switch s.Name {
		case f.Name + "_bucket":
			le, ok := s.Labels["le"]
			if !ok {
				return fmt.Errorf("%s: a bucket without le", f.Name)
			}
			v, err := parseFloat(le)
			if err != nil {
				return fmt.Errorf("%s: le %q: %v", f.Name, le, err)
			}
			sr := get(s.Labels)
			sr.les = append(sr.les, v)
			sr.cum[v] = s.Value
		case f.Name + "_count":
			sr := get(s.Labels)
			sr.count, sr.has = s.Value, true
		case f.Name + "_sum":
		default:
			return fmt.Errorf("%s: sample %s does not belong to a histogram", f.Name, s.Name)
		}
	}
	for k, sr := range all {
		sort.Float64s(sr.les)
		if len(sr.les) == 0 || !math.IsInf(sr.les[len(sr.les)-1], 1) {
			return fmt.Errorf("%s{%s}: no +Inf bucket", f.Name, k)
		}
		prev := 0.0
		for _, le := range sr.les {
			if sr.cum[le] < prev {
				return fmt.Errorf("%s{%s}: bucket le=%v below the one before", f.Name, k, le)
			}
			prev = sr.cum[le]
		}
		if !sr.has || sr.count != prev {
			return fmt.Errorf("%s{%s}: _count %v is not the +Inf bucket %v", f.Name, k, sr.count, prev)
		}
	}
	return nil
}

func canonical(l map[string]string) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + strconv.Quote(l[k]) + ",")
	}
	return b.String()
}

func validName(s string, colon bool) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (colon && c == ':') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func parseSample(line string) (Parsed, error) {
	s := Parsed{Labels: map[string]string{}}
	i := 0
	for i < len(line) && line[i] != '{' && line[i] != ' ' && line[i] != '\t' {
		i++
	}
	s.Name = line[:i]
	if !validName(s.Name, true) {
		return s, fmt.Errorf("bad metric name %q", s.Name)
	}
	if i < len(line) && line[i] == '{' {
		i++
		for {
			for i < len(line) && line[i] == ' ' {
				i++
			}
			if i < len(line) && line[i] == '}' {
				i++
				break
			}
			j := i
			for j < len(line) && line[j] != '=' {
				j++
			}
			name := strings.TrimSpace(line[i:j])
			if j >= len(line) || !validName(name, false) || strings.HasPrefix(name, "__") {
				return s, fmt.Errorf("bad label name %q", name)
			}
			j++
			if j >= len(line) || line[j] != '"' {
				return s, fmt.Errorf("label %s: value not quoted", name)
			}
			j++
			var v strings.Builder
			closed := false
			for j < len(line) {
				c := line[j]
				if c == '\\' && j+1 < len(line) {
					switch line[j+1] {
					case '\\':
						v.WriteByte('\\')
					case '"':
						v.WriteByte('"')
					case 'n':
						v.WriteByte('\n')
					default:
						return s, fmt.Errorf("label %s: bad escape \\%c", name, line[j+1])
					}
					j += 2
					continue
				}
				if c == '"' {
					closed = true
					j++
					break
				}
				v.WriteByte(c)
				j++
			}
			if !closed {
				return s, fmt.Errorf("label %s: value not closed", name)
			}
			if _, dup := s.Labels[name]; dup {
				return s, fmt.Errorf("label %s twice", name)
			}
			s.Labels[name] = v.String()
			i = j
			if i < len(line) && line[i] == ',' {
				i++
				continue
			}
			if i < len(line) && line[i] == '}' {
				i++
				break
			}
			return s, fmt.Errorf("label %s: want , or }", name)
		}
	}
	f := strings.Fields(line[i:])
	if len(f) < 1 || len(f) > 2 {
		return s, fmt.Errorf("want a value and an optional timestamp")
	}
	v, err := parseFloat(f[0])
	if err != nil {
		return s, err
	}
	s.Value = v
	if len(f) == 2 {
		if _, err := strconv.ParseInt(f[1], 10, 64); err != nil {
			return s, fmt.Errorf("bad timestamp %q", f[1])
		}
	}
	return s, nil
}

func parseFloat(s string) (float64, error) {
	switch s {
	case "+Inf", "Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad value %q", s)
	}
	return v, nil
}
