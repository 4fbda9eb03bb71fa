package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// anchors lists the heading anchors of a Markdown file the way GitHub makes them:
// lower case, punctuation other than '-' and '_' dropped, spaces to '-', a repeated
// anchor suffixed -1, -2, …; headings inside code fences are not headings.
func anchors(src string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	fence := false
	for _, l := range strings.Split(src, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			fence = !fence
			continue
		}
		if fence || !strings.HasPrefix(l, "#") {
			continue
		}
		text := strings.TrimSpace(strings.TrimLeft(l, "#"))
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case r == ' ':
				b.WriteRune('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r):
				b.WriteRune(r)
			}
		}
		a := b.String()
		if n := seen[a]; n > 0 {
			out[a+"-"+strconv.Itoa(n)] = true
		} else {
			out[a] = true
		}
		seen[a]++
	}
	return out
}

var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestReadmeLinksResolve: every link of README.md and docs/*.md to a heading, a
// file of the repository or a heading in one resolves, the table of contents
// included, and every provider the server mounts has its page.
func TestReadmeLinksResolve(t *testing.T) {
	root := "../.."
	files, _ := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	files = append([]string{filepath.Join(root, "README.md")}, files...)
	cache := map[string]map[string]bool{}
	load := func(path string) (map[string]bool, bool) {
		if a, ok := cache[path]; ok {
			return a, true
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, false
		}
		cache[path] = anchors(string(data))
		return cache[path], true
	}
	links := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fence := false
		for i, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "```") {
				fence = !fence
			}
			if fence {
				continue
			}
			for _, m := range mdLink.FindAllStringSubmatch(l, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				links++
				file, frag, _ := strings.Cut(target, "#")
				path := f
				if file != "" {
					path = filepath.Join(filepath.Dir(f), file)
				}
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s:%d: %s: no file %s", f, i+1, target, path)
					continue
				}
				if frag == "" {
					continue
				}
				if !strings.HasSuffix(path, ".md") {
					t.Errorf("%s:%d: %s: a fragment into a file that is not Markdown", f, i+1, target)
					continue
				}
				if a, _ := load(path); !a[frag] {
					t.Errorf("%s:%d: %s: no heading #%s in %s", f, i+1, target, frag, path)
				}
			}
		}
	}
	if links < 20 {
		t.Fatalf("only %d links found: the extraction is broken", links)
	}
	readme, _ := os.ReadFile(filepath.Join(root, "README.md"))
	if !strings.Contains(string(readme), "## Contents") {
		t.Error("README.md has no table of contents")
	}
	dirs, _ := os.ReadDir(filepath.Join(root, "mock", "providers"))
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		page := "docs/" + d.Name() + ".md"
		if _, err := os.Stat(filepath.Join(root, page)); err != nil {
			t.Errorf("provider %s has no page %s", d.Name(), page)
		} else if !strings.Contains(string(readme), "]("+page+")") {
			t.Errorf("README.md does not link %s", page)
		}
	}
}

func TestAnchors(t *testing.T) {
	a := anchors("# A b\n## HTTPS for SDKs that hard-code the provider's host\n```\n# not a heading\n```\n## A b\n## `GET /x` — y\n")
	for _, want := range []string{"a-b", "https-for-sdks-that-hard-code-the-providers-host", "a-b-1", "get-x--y"} {
		if !a[want] {
			t.Errorf("no anchor %q in %v", want, a)
		}
	}
	if a["not-a-heading"] {
		t.Error("a comment in a code block became an anchor")
	}
}
