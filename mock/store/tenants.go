package store

import "sort"

// Tenants lists, sorted, every tenant that has a row in any table (for the
// dashboard's tenant list and the tenants gauge of /metrics).
func (s *Store) Tenants() []string {
	set := map[string]bool{}
	_ = s.each(func(_ string, t table) error {
		for _, tenant := range t.Tenants() {
			set[tenant] = true
		}
		return nil
	})
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the store has a table called name.
func (s *Store) Has(name string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, ok := s.tables[name]
	return ok
}
