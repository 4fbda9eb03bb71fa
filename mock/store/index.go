package store

import "sort"

// An ordered index keeps each tenant's rows sorted by a key the row yields (a
// time, a reference, an account and a time), so that a list, report or statement
// reads only the page it answers: a seek costs O(log n) and each further row
// O(1), whatever the table holds. Rows with equal keys keep insertion order.
//
// The order is held in blocks of at most blockMax entries: appending a key
// larger than every other (the usual case: rows are made as the clock moves on)
// costs O(1) amortised, and any other insert or a delete moves at most one block,
// O(log n + blockMax), never the whole history.

const blockMax = 512

// Index is an ordered secondary index of a table, made with [NewIndex].
type Index[T any] struct {
	t    *Table[T]
	slot int
	key  func(T) string
}

// Row is a row as an index scan yields it. Seq is the row's insertion number
// within its tenant (stable across updates and snapshots), for callers that want
// rows found by one order shown in another.
type Row[T any] struct {
	ID    string
	Seq   uint64
	Value T
}

// Range bounds a scan: keys from From (inclusive) to To (exclusive; "" is no
// upper bound), ascending, or descending when Reverse is set.
type Range struct {
	From, To string
	Reverse  bool
}

// Prefix is the range of the keys that start with p.
func Prefix(p string) Range {
	// The smallest string greater than every string starting with p.
	to := []byte(p)
	for len(to) > 0 && to[len(to)-1] == 0xff {
		to = to[:len(to)-1]
	}
	if len(to) > 0 {
		to[len(to)-1]++
	}
	return Range{From: p, To: string(to)}
}

// NewIndex adds to t an index ordered by key(row). Make it with the table, before
// any row is stored: it panics when t already holds rows.
func NewIndex[T any](t *Table[T], key func(T) string) *Index[T] {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, sp := range t.tenants {
		sp.mu.RLock()
		n := len(sp.rows)
		sp.mu.RUnlock()
		if n > 0 {
			panic("store: index added to a table that holds rows")
		}
	}
	t.tenants = map[string]*space[T]{}
	t.keys = append(t.keys, key)
	return &Index[T]{t: t, slot: len(t.keys) - 1, key: key}
}

// Scan calls fn with the tenant's rows in r, in key order, until fn returns
// false. Rows are read in batches, each under its own lock, so fn may call the
// table (even update the row it was given) and sees each row as it was when read.
func (ix *Index[T]) Scan(tenant string, r Range, fn func(Row[T]) bool) {
	ix.t.scan(tenant, ix.slot, r, fn)
}

// Scan walks the tenant's rows in insertion order (reversed when r.Reverse);
// r's bounds are ignored.
func (t *Table[T]) Scan(tenant string, reverse bool, fn func(Row[T]) bool) {
	t.scan(tenant, 0, Range{Reverse: reverse}, fn)
}

const scanBatch = 64

func (t *Table[T]) scan(tenant string, slot int, rg Range, fn func(Row[T]) bool) {
	sp := t.space(tenant, false)
	if sp == nil {
		return
	}
	batch := make([]*row[T], 0, scanBatch)
	var lastKey string
	var lastSeq uint64
	started := false
	for {
		batch = batch[:0]
		sp.mu.RLock()
		o := &sp.idx[slot]
		var bi, j int
		switch {
		case !rg.Reverse && !started:
			bi, j = o.seek(rg.From, 0)
		case !rg.Reverse:
			bi, j = o.seek(lastKey, lastSeq+1)
		case !started && rg.To == "":
			bi, j = o.end()
			bi, j = o.prev(bi, j)
		case !started:
			bi, j = o.prev(o.seek(rg.To, 0))
		default:
			bi, j = o.prev(o.seek(lastKey, lastSeq))
		}
		for bi >= 0 && bi < len(o.blocks) && len(batch) < scanBatch {
			r := o.blocks[bi][j]
			k := o.key(r)
			if !rg.Reverse && rg.To != "" && k >= rg.To || rg.Reverse && k < rg.From {
				bi = -1
				break
			}
			batch = append(batch, r)
			lastKey, lastSeq = k, r.seq
			if rg.Reverse {
				bi, j = o.prev(bi, j)
			} else {
				bi, j = o.next(bi, j)
			}
		}
		done := bi < 0 || bi >= len(o.blocks)
		sp.mu.RUnlock()
		started = true
		for _, r := range batch {
			r.mu.Lock()
			v := t.clone(r.v)
			r.mu.Unlock()
			if !fn(Row[T]{ID: r.id, Seq: r.seq, Value: v}) {
				return
			}
		}
		if done {
			return
		}
	}
}

// ordered is one index of a space: its rows sorted by (key, seq), in blocks. An
// entry is the row itself, 8 bytes, rather than a copy of its key and id: the
// key is read from the row (slot 0 is insertion order and has none), so a
// stored row costs each index one pointer (issue 16 asks for a compact store).
// The space's lock guards the blocks and every row's keys.
type ordered[T any] struct {
	slot   int
	blocks [][]*row[T]
}

func (o *ordered[T]) key(r *row[T]) string {
	if o.slot == 0 {
		return ""
	}
	return keyAt(r.keys, o.slot-1)
}

// before reports whether r sorts before (key, seq).
func (o *ordered[T]) before(r *row[T], key string, seq uint64) bool {
	if k := o.key(r); k != key {
		return k < key
	}
	return r.seq < seq
}

// seek is the position of the first entry not before (key, seq) (end when none).
func (o *ordered[T]) seek(key string, seq uint64) (int, int) {
	bi := sort.Search(len(o.blocks), func(i int) bool {
		b := o.blocks[i]
		return !o.before(b[len(b)-1], key, seq)
	})
	if bi == len(o.blocks) {
		return o.end()
	}
	b := o.blocks[bi]
	return bi, sort.Search(len(b), func(i int) bool { return !o.before(b[i], key, seq) })
}

func (o *ordered[T]) end() (int, int) { return len(o.blocks), 0 }

func (o *ordered[T]) next(bi, j int) (int, int) {
	if j+1 < len(o.blocks[bi]) {
		return bi, j + 1
	}
	return bi + 1, 0
}

// prev is the position before (bi, j); bi is -1 before the first entry.
func (o *ordered[T]) prev(bi, j int) (int, int) {
	if j > 0 {
		return bi, j - 1
	}
	if bi == 0 {
		return -1, 0
	}
	return bi - 1, len(o.blocks[bi-1]) - 1
}

// grow returns b with room for one more entry. Capacity doubles up to blockMax
// and no further, so a block filled by appends holds no spare room.
func grow[T any](b []*row[T]) []*row[T] {
	if len(b) < cap(b) {
		return b
	}
	n := min(max(2*cap(b), 8), blockMax)
	if n <= len(b) {
		n = len(b) + 1 // a full block about to split
	}
	nb := make([]*row[T], len(b), n)
	copy(nb, b)
	return nb
}

// insert places r by its key in this index (r.keys already set).
func (o *ordered[T]) insert(r *row[T]) {
	key := o.key(r)
	n := len(o.blocks)
	if n == 0 {
		o.blocks = append(o.blocks, make([]*row[T], 0, 8))
		n = 1
	}
	bi := n - 1
	if b := o.blocks[bi]; len(b) > 0 && o.before(r, o.key(b[len(b)-1]), b[len(b)-1].seq) {
		bi, _ = o.seek(key, r.seq)
	}
	b := o.blocks[bi]
	j := sort.Search(len(b), func(i int) bool { return !o.before(b[i], key, r.seq+1) })
	if bi == n-1 && j == len(b) && len(b) == blockMax {
		// An append to a full last block starts the next one.
		o.blocks = append(o.blocks, append(make([]*row[T], 0, 8), r))
		return
	}
	b = grow(b)
	b = b[:len(b)+1]
	copy(b[j+1:], b[j:])
	b[j] = r
	if len(b) <= blockMax {
		o.blocks[bi] = b
		return
	}
	// Split the full block into two halves with room for more.
	half := len(b) / 2
	left := make([]*row[T], half, blockMax)
	copy(left, b[:half])
	right := make([]*row[T], len(b)-half, blockMax)
	copy(right, b[half:])
	o.blocks[bi] = left
	o.blocks = append(o.blocks, nil)
	copy(o.blocks[bi+2:], o.blocks[bi+1:])
	o.blocks[bi+1] = right
}

// remove takes r out of this index; its keys must be those it was inserted with.
func (o *ordered[T]) remove(r *row[T]) {
	bi, j := o.seek(o.key(r), r.seq)
	if bi >= len(o.blocks) || o.blocks[bi][j] != r {
		return
	}
	b := o.blocks[bi]
	copy(b[j:], b[j+1:])
	b[len(b)-1] = nil // no stale pointer keeps a dropped row alive
	b = b[:len(b)-1]
	if len(b) == 0 {
		copy(o.blocks[bi:], o.blocks[bi+1:])
		o.blocks[len(o.blocks)-1] = nil
		o.blocks = o.blocks[:len(o.blocks)-1]
		return
	}
	o.blocks[bi] = b
}

// Expire deletes the tenant's rows in r that drop accepts and reports how many,
// for retention sweeps. Rows are collected first and deleted after the scan (a
// scan never walks a block it changes), and drop judges each row again under
// its lock as it is deleted (DeleteIf), so a row written since the scan read it
// is judged as it is then. gone, when not nil, gets each deleted row as it was
// deleted, to drop what refers to it.
func (ix *Index[T]) Expire(tenant string, r Range, drop func(v *T) bool, gone func(Row[T])) int {
	var ids []string
	ix.Scan(tenant, r, func(row Row[T]) bool {
		if drop(&row.Value) {
			ids = append(ids, row.ID)
		}
		return true
	})
	n := 0
	for _, id := range ids {
		var last Row[T]
		if !ix.t.DeleteIf(tenant, id, func(v *T) bool {
			if !drop(v) {
				return false
			}
			last = Row[T]{ID: id, Value: ix.t.clone(*v)}
			return true
		}) {
			continue
		}
		n++
		if gone != nil {
			gone(last)
		}
	}
	return n
}
