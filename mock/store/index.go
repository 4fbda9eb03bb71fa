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
	type ref struct {
		id  string
		seq uint64
		r   *row[T]
	}
	batch := make([]ref, 0, scanBatch)
	var last entry
	started := false
	for {
		batch = batch[:0]
		sp.mu.RLock()
		o := &sp.idx[slot]
		var bi, j int
		switch {
		case !rg.Reverse && !started:
			bi, j = o.seek(entry{key: rg.From})
		case !rg.Reverse:
			bi, j = o.seek(entry{key: last.key, seq: last.seq + 1})
		case !started && rg.To == "":
			bi, j = o.end()
			bi, j = o.prev(bi, j)
		case !started:
			bi, j = o.prev(o.seek(entry{key: rg.To}))
		default:
			bi, j = o.prev(o.seek(last))
		}
		for bi >= 0 && bi < len(o.blocks) && len(batch) < scanBatch {
			e := o.blocks[bi][j]
			if !rg.Reverse && rg.To != "" && e.key >= rg.To || rg.Reverse && e.key < rg.From {
				bi = -1
				break
			}
			if r := sp.rows[e.id]; r != nil {
				batch = append(batch, ref{e.id, e.seq, r})
			}
			last = e
			if rg.Reverse {
				bi, j = o.prev(bi, j)
			} else {
				bi, j = o.next(bi, j)
			}
		}
		done := bi < 0 || bi >= len(o.blocks)
		sp.mu.RUnlock()
		started = true
		for _, rf := range batch {
			rf.r.mu.Lock()
			v := t.clone(rf.r.v)
			rf.r.mu.Unlock()
			if !fn(Row[T]{ID: rf.id, Seq: rf.seq, Value: v}) {
				return
			}
		}
		if done {
			return
		}
	}
}

// entry is one row's place in an index.
type entry struct {
	key string
	seq uint64
	id  string
}

func (a entry) less(b entry) bool {
	if a.key != b.key {
		return a.key < b.key
	}
	return a.seq < b.seq
}

// ordered is a sorted list of entries kept in blocks.
type ordered struct {
	blocks [][]entry
}

// seek is the position of the first entry not less than e (end when none).
func (o *ordered) seek(e entry) (int, int) {
	bi := sort.Search(len(o.blocks), func(i int) bool {
		b := o.blocks[i]
		return !b[len(b)-1].less(e)
	})
	if bi == len(o.blocks) {
		return o.end()
	}
	b := o.blocks[bi]
	return bi, sort.Search(len(b), func(i int) bool { return !b[i].less(e) })
}

func (o *ordered) end() (int, int) { return len(o.blocks), 0 }

func (o *ordered) next(bi, j int) (int, int) {
	if j+1 < len(o.blocks[bi]) {
		return bi, j + 1
	}
	return bi + 1, 0
}

// prev is the position before (bi, j); bi is -1 before the first entry.
func (o *ordered) prev(bi, j int) (int, int) {
	if j > 0 {
		return bi, j - 1
	}
	if bi == 0 {
		return -1, 0
	}
	return bi - 1, len(o.blocks[bi-1]) - 1
}

func (o *ordered) insert(e entry) {
	n := len(o.blocks)
	if n == 0 {
		o.blocks = append(o.blocks, make([]entry, 0, 8))
		n = 1
	}
	bi := n - 1
	if b := o.blocks[bi]; len(b) > 0 && e.less(b[len(b)-1]) {
		bi, _ = o.seek(e)
	}
	b := o.blocks[bi]
	j := sort.Search(len(b), func(i int) bool { return e.less(b[i]) })
	b = append(b, entry{})
	copy(b[j+1:], b[j:])
	b[j] = e
	if len(b) <= blockMax {
		o.blocks[bi] = b
		return
	}
	if bi == len(o.blocks)-1 && j == len(b)-1 {
		// An append: the full block stays full and e starts the next one.
		o.blocks[bi] = b[:blockMax:blockMax]
		o.blocks = append(o.blocks, append(make([]entry, 0, 8), e))
		return
	}
	// Split the full block. Appends fill blocks to the brim; a middle insert
	// leaves two halves with room for more.
	half := len(b) / 2
	right := make([]entry, len(b)-half, blockMax+1)
	copy(right, b[half:])
	o.blocks[bi] = b[:half:half]
	o.blocks = append(o.blocks, nil)
	copy(o.blocks[bi+2:], o.blocks[bi+1:])
	o.blocks[bi+1] = right
}

func (o *ordered) remove(e entry) {
	bi, j := o.seek(e)
	if bi >= len(o.blocks) {
		return
	}
	b := o.blocks[bi]
	if b[j].key != e.key || b[j].seq != e.seq {
		return
	}
	b = append(b[:j], b[j+1:]...)
	if len(b) == 0 {
		o.blocks = append(o.blocks[:bi], o.blocks[bi+1:]...)
		return
	}
	o.blocks[bi] = b
}
