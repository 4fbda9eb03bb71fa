package scenario

import (
	"errors"
	"fmt"
	"os"
)

// Lint loads every scenario file of dir (or the one file dir names) and validates
// each against cat, reporting every problem of every file, joined.
func Lint(dir string, cat Catalog) error {
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("lint: %w", err) // *fs.PathError: names dir and why
	}
	var scs []*Scenario
	if st.IsDir() {
		scs, err = LoadDir(dir)
	} else {
		var data []byte
		if data, err = os.ReadFile(dir); err == nil {
			var sc *Scenario
			if sc, err = Load(dir, data); err == nil {
				scs = []*Scenario{sc}
			}
		}
	}
	errs := []error{err}
	for _, sc := range scs {
		errs = append(errs, sc.Validate(cat))
	}
	return errors.Join(errs...)
}
