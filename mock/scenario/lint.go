package scenario

import "errors"

// Lint loads every scenario file of dir and validates each against cat, reporting
// every problem of every file, joined.
func Lint(dir string, cat Catalog) error {
	scs, err := LoadDir(dir)
	errs := []error{err}
	for _, sc := range scs {
		errs = append(errs, sc.Validate(cat))
	}
	return errors.Join(errs...)
}
