// Package durable keeps sandbank's state on disk for --data-dir: a write-ahead log
// of every store change, fsynced in groups, compacted into snapshots, and replayed
// at start-up.
//
// It is a small log of its own rather than an embedded database: the store already
// is the database (tables, indexes, row locks, snapshot and restore as JSON), so
// what it lacks is only a redo log of its changes. An embedded key-value store
// (bbolt, Badger, Pebble) would either duplicate every row in a second
// representation or replace the store's indexes, and each adds a dependency with
// its own file format; a log of whole-row changes over the store's own JSON
// snapshot is a few hundred lines of the standard library.
//
// # Files in the directory
//
//	snapshot.json      the whole state at some moment, and the first segment to replay
//	wal-NNNNNNNN.log   segments of the log, replayed in number order after the snapshot
//
// A snapshot is written to a temporary file, fsynced and renamed over the old one,
// so it is always whole. A segment's last record may be torn by a crash: start-up
// keeps the whole records before it, cuts the file there and goes on.
//
// # Acknowledged means durable
//
// Append hands a change to the log and returns at once; Wait(n) returns when every
// change up to number n is on disk. One goroutine writes and fsyncs whatever has
// gathered since its last fsync (group commit), so many writers share one fsync and
// throughput stays near the in-memory one. The app waits before it sends a reply
// (see package app), so a reply that leaves means its changes survive a crash.
package durable

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sandbank-dev/sandbank/mock/store"
)

// DefaultSegmentBytes is the size a segment grows to before the log is compacted
// into a snapshot. A compaction writes the whole state, so a segment also grows
// until it is as large as the last snapshot: compacting then costs at most one
// snapshot byte per byte logged, however large the state (a fixed limit would
// rewrite a large state ever more often per write), and the directory holds
// about twice the state at most.
const DefaultSegmentBytes = 64 << 20

const snapshotFile = "snapshot.json"

// Options configure Open.
type Options struct {
	// SegmentBytes is the segment size that starts a compaction; 0 means
	// DefaultSegmentBytes.
	SegmentBytes int64
	Log          *slog.Logger
}

// Recovered is what Open found on disk.
type Recovered struct {
	Meta      json.RawMessage // the last meta state saved; nil when none
	Records   int             // log records replayed
	Torn      bool            // a damaged tail was dropped
	Snapshot  bool            // a snapshot was loaded
	Segments  int             // segments replayed
	Bytes     int64           // bytes of log replayed
	Discarded int             // segments after a damaged record, dropped whole
}

// DB is an open data directory. Its Append is a store.Log.
type DB struct {
	dir      string
	st       *store.Store
	log      *slog.Logger
	segLimit int64
	snapSize atomic.Int64 // bytes of the last snapshot written or loaded
	waiters  atomic.Int64 // writers waiting for a commit (gather)

	// mu guards the pending changes and the count of appended ones.
	mu       sync.Mutex
	pending  []change
	spare    []change
	appended uint64
	meta     []byte // last meta appended, to skip unchanged ones

	// Waiters sleep on the signal of the batch holding their change, so a
	// commit wakes only those it made durable (a shared condition variable woke
	// every waiter on every commit, most of them to sleep again).
	next     *signal // the pending batch's
	inflight *signal // the batch being written's
	taken    uint64  // changes up to here are in the batch being written, or durable

	// Owned by flush: the encoded batch and the first Put of each row in it.
	buf   []byte
	first map[any]int

	kick chan struct{}
	stop chan struct{}
	done chan struct{}

	// dmu guards what is durable, and the sticky I/O error.
	dmu     sync.Mutex
	durable uint64
	err     error

	// Owned by the committer goroutine (and Open, Close before and after it).
	seg        int      // number of the segment being written
	f          *os.File // that segment
	segSize    int64
	compacting chan struct{} // closed when the running compaction ends; nil when none
	compactNow bool

	metaFn func() json.RawMessage
}

// Open opens (creating it when missing) the data directory dir, loads its snapshot
// and replays its log into st, which must be empty, then starts logging st's
// changes. metaFn gives the app's meta state for snapshots.
func Open(dir string, st *store.Store, metaFn func() json.RawMessage, opt Options) (*DB, Recovered, error) {
	var rec Recovered
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, rec, fmt.Errorf("data-dir: %w", err)
	}
	d := &DB{
		dir: dir, st: st, log: opt.Log, segLimit: opt.SegmentBytes, metaFn: metaFn,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	if d.log == nil {
		d.log = slog.New(slog.DiscardHandler)
	}
	if d.segLimit <= 0 {
		d.segLimit = DefaultSegmentBytes
	}
	d.next = newSignal()

	first, err := d.loadSnapshot(&rec)
	if err != nil {
		return nil, rec, err
	}
	last, err := d.replay(first, &rec)
	if err != nil {
		return nil, rec, err
	}
	d.seg = max(last+1, first)
	if d.f, err = d.create(d.seg); err != nil {
		return nil, rec, err
	}
	// A start that replayed a log compacts it at once, in the background, so the
	// next start reads a snapshot rather than the same log again.
	d.compactNow = rec.Records > 0
	st.SetLog(d)
	go d.commitLoop()
	if d.compactNow {
		d.poke()
	}
	return d, rec, nil
}

type snapshotDoc struct {
	Version int             `json:"version"`
	Segment int             `json:"segment"` // first segment not in the snapshot
	Meta    json.RawMessage `json:"meta,omitempty"`
	Tables  store.Dump      `json:"tables"`
}

func (d *DB) loadSnapshot(rec *Recovered) (int, error) {
	path := filepath.Join(d.dir, snapshotFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 1, nil
	}
	d.snapSize.Store(int64(len(data)))
	if err != nil {
		return 0, fmt.Errorf("data-dir: %w", err)
	}
	var doc snapshotDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		// Snapshots are renamed into place whole, so this is damage from outside:
		// better to stop than to start empty and compact the loss in.
		return 0, fmt.Errorf("data-dir: %s does not decode (%v); move it away to start without it", path, err)
	}
	if doc.Version != 1 || doc.Segment < 1 {
		return 0, fmt.Errorf("data-dir: %s: unknown version %d", path, doc.Version)
	}
	for name := range doc.Tables {
		if !d.st.Has(name) {
			// A table an older build kept and this one does not (its rows
			// live elsewhere now): the rest of the state is still worth
			// having, as a logged change to such a table is skipped on replay.
			d.log.Warn("data-dir: a table in the snapshot is no longer kept; its rows are dropped", "table", name)
			delete(doc.Tables, name)
		}
	}
	if err := d.st.LoadAll(doc.Tables); err != nil {
		return 0, fmt.Errorf("data-dir: %s: %w", path, err)
	}
	rec.Snapshot = true
	rec.Meta = doc.Meta
	return doc.Segment, nil
}

func segName(n int) string { return fmt.Sprintf("wal-%08d.log", n) }

// segments lists the segment numbers in the directory, ascending.
func (d *DB) segments() ([]int, error) {
	entries, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fmt.Errorf("data-dir: %w", err)
	}
	var out []int
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, "wal-") || !strings.HasSuffix(name, ".log") {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(name, "wal-"), ".log"))
		if err != nil || n < 1 {
			continue
		}
		out = append(out, n)
	}
	sort.Ints(out)
	return out, nil
}

// replay applies the segments from first on and returns the last one's number
// (first-1 when there is none). Older segments, already in the snapshot, are
// removed.
func (d *DB) replay(first int, rec *Recovered) (int, error) {
	segs, err := d.segments()
	if err != nil {
		return 0, err
	}
	last := first - 1
	torn := false
	for _, n := range segs {
		path := filepath.Join(d.dir, segName(n))
		if n < first {
			_ = os.Remove(path)
			continue
		}
		if torn {
			// Past a damaged record the log has a hole; what follows cannot be
			// applied in order, so it goes too.
			d.log.Warn("data-dir: dropping a segment after a damaged record", "file", path)
			_ = os.Remove(path)
			rec.Discarded++
			continue
		}
		good, err := d.replaySegment(path, rec)
		if err != nil {
			return 0, err
		}
		rec.Segments++
		last = n
		if good >= 0 {
			torn = true
			rec.Torn = true
			d.log.Warn("data-dir: dropped a torn record at the end of the log", "file", path, "offset", good)
			if err := os.Truncate(path, good); err != nil {
				return 0, fmt.Errorf("data-dir: %w", err)
			}
		}
	}
	return last, nil
}

// replaySegment applies one segment's whole records. It returns the offset of a
// torn record, or -1 when the segment ends cleanly.
func (d *DB) replaySegment(path string, rec *Recovered) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("data-dir: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var off int64
	hdr := make([]byte, headerSize)
	for {
		kind, body, n, err := readRecord(r, hdr)
		if errors.Is(err, io.EOF) {
			return -1, nil
		}
		if err != nil {
			return off, nil
		}
		switch kind {
		case kindMutation:
			m, err := decodeMutation(body)
			if err != nil {
				return off, nil
			}
			if err := d.st.Apply(m); err != nil {
				// A table this build no longer has, or a row it cannot read: the
				// rest of the state is still worth having.
				d.log.Warn("data-dir: a logged change was not applied", "err", err)
			}
		case kindMeta:
			rec.Meta = append(json.RawMessage(nil), body...)
		default:
			return off, nil
		}
		off += int64(n)
		rec.Records++
		rec.Bytes += int64(n)
	}
}

func (d *DB) create(n int) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(d.dir, segName(n)), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("data-dir: %w", err)
	}
	if err := syncDir(d.dir); err != nil {
		f.Close()
		return nil, err
	}
	st, err := f.Stat()
	if err == nil {
		d.segSize = st.Size()
	}
	return f, nil
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("data-dir: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("data-dir: fsync %s: %w", dir, err)
	}
	return nil
}

// change is one pending record: a store change, or the meta state when meta is
// set.
type change struct {
	m      store.Mutation
	meta   []byte
	isMeta bool
}

// Append logs one store change (store.Log). It neither waits for the disk nor
// encodes the row: flush does, once per row per commit.
func (d *DB) Append(m store.Mutation) {
	d.mu.Lock()
	d.pending = append(d.pending, change{m: m})
	d.appended++
	d.mu.Unlock()
	d.poke()
}

// AppendMeta logs the app's meta state when it differs from the last one logged,
// and reports whether it did.
func (d *DB) AppendMeta(meta []byte) bool {
	d.mu.Lock()
	if string(meta) == string(d.meta) {
		d.mu.Unlock()
		return false
	}
	d.meta = append(d.meta[:0], meta...)
	d.pending = append(d.pending, change{meta: bytes.Clone(meta), isMeta: true})
	d.appended++
	d.mu.Unlock()
	d.poke()
	return true
}

func (d *DB) poke() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Appended is the number of changes appended so far: Wait(Appended()) returns
// once everything logged until now is on disk.
func (d *DB) Appended() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.appended
}

// signal is closed when its batch is written (or failed to be).
type signal struct{ done chan struct{} }

func newSignal() *signal { return &signal{done: make(chan struct{})} }

// Wait blocks until the first n changes are on disk, or writing them failed.
func (d *DB) Wait(n uint64) error {
	for {
		d.dmu.Lock()
		durable, err := d.durable, d.err
		d.dmu.Unlock()
		if durable >= n {
			return nil
		}
		if err != nil {
			return err
		}
		d.mu.Lock()
		sig := d.next
		if n <= d.taken {
			sig = d.inflight // or one written since: then it is closed already
		}
		d.mu.Unlock()
		d.waiters.Add(1)
		<-sig.done
		d.waiters.Add(-1)
	}
}

func (d *DB) fail(err error) {
	d.dmu.Lock()
	if d.err == nil {
		d.err = err
		d.log.Error("data-dir: writing the log failed; changes are no longer acknowledged", "err", err)
	}
	d.dmu.Unlock()
}

func (d *DB) failed() bool {
	d.dmu.Lock()
	defer d.dmu.Unlock()
	return d.err != nil
}

// commitLoop writes and fsyncs whatever has gathered, once per round: every
// change appended while one fsync runs shares the next.
func (d *DB) commitLoop() {
	defer close(d.done)
	for {
		select {
		case <-d.kick:
		case <-d.stop:
			d.flush()
			return
		}
		d.gather()
		d.flush()
		if d.compactNow || d.segSize >= max(d.segLimit, d.snapSize.Load()) {
			d.startCompaction()
		}
	}
}

// gather lets a commit wait a moment for more changes when other writers are
// waiting already (Postgres's commit_delay with commit_siblings): an fsync costs
// the same for one change or a hundred, and under load each one otherwise
// carries only the few changes made while the last ran, so most of the log's
// CPU went to fsyncs. A lone writer never waits: its commit starts at once.
func (d *DB) gather() {
	if d.waiters.Load() < gatherSiblings {
		return
	}
	d.mu.Lock()
	n := len(d.pending)
	d.mu.Unlock()
	if n < gatherChanges {
		time.Sleep(gatherDelay)
	}
}

const (
	gatherSiblings = 4                      // waiting writers that make a commit wait
	gatherChanges  = 512                    // pending changes that make it not wait
	gatherDelay    = 500 * time.Microsecond // a few fsyncs of a local disk
)

// flush encodes the pending changes, writes them to the current segment and
// fsyncs it. A row put several times since the last flush is written once, with
// its value now (see store.Mutation), at its first place: that is where a row
// made in this batch is made on replay, so it keeps its insertion order; the
// later puts' changes are in the value, and nothing between them but puts
// touches that row (a deleted row is a new row if made again).
func (d *DB) flush() {
	d.mu.Lock()
	batch, upto, sig := d.pending, d.appended, d.next
	d.pending, d.spare = d.spare[:0], nil
	d.next, d.inflight, d.taken = newSignal(), sig, upto
	d.mu.Unlock()
	defer close(sig.done) // after durable is set below
	if len(batch) > 0 && !d.failed() {
		if d.first == nil {
			d.first = map[any]int{}
		}
		for i, c := range batch {
			if c.m.Row == nil {
				continue
			}
			if _, seen := d.first[c.m.Row]; !seen {
				d.first[c.m.Row] = i
			}
		}
		data := d.buf[:0]
		var err error
		for i := range batch {
			c := &batch[i]
			switch {
			case c.isMeta:
				data = encodeMeta(data, c.meta)
			case c.m.Row != nil && d.first[c.m.Row] != i:
				// written at its first put in the batch
			default:
				data, err = encodeMutation(data, &c.m)
			}
			if err != nil {
				break
			}
		}
		clear(d.first)
		switch {
		case err != nil:
			d.fail(err)
		default:
			if _, err := d.f.Write(data); err != nil {
				d.fail(fmt.Errorf("write %s: %w", d.f.Name(), err))
			} else if err := d.f.Sync(); err != nil {
				d.fail(fmt.Errorf("fsync %s: %w", d.f.Name(), err))
			}
			d.segSize += int64(len(data))
		}
		if cap(data) <= 4<<20 { // keep one buffer for reuse, not a burst's
			d.buf = data[:0]
		} else {
			d.buf = nil
		}
	}
	if cap(batch) <= 1<<16 {
		clear(batch) // let go of the rows and values
		d.mu.Lock()
		d.spare = batch[:0]
		d.mu.Unlock()
	}
	d.dmu.Lock()
	if d.err == nil && upto > d.durable {
		d.durable = upto
	}
	d.dmu.Unlock()
}

// startCompaction moves to a new segment and snapshots the state in the
// background; once the snapshot is in place the older segments go. Only the
// committer calls it, so the segment switch is ordered with the writes: every
// change in the old segments happened in memory before the snapshot starts, and
// replaying the new segment over a snapshot that already holds some of its
// changes ends in the same state (a put carries the whole row).
func (d *DB) startCompaction() {
	if d.compacting != nil {
		select {
		case <-d.compacting:
			d.compacting = nil
		default:
			return // one at a time
		}
	}
	if d.failed() {
		return
	}
	d.compactNow = false
	next := d.seg + 1
	f, err := d.create(next)
	if err != nil {
		d.fail(err)
		return
	}
	old := d.f
	d.f, d.seg = f, next
	done := make(chan struct{})
	d.compacting = done
	go func() {
		defer close(done)
		_ = old.Close()
		if err := d.writeSnapshot(next); err != nil {
			d.log.Error("data-dir: snapshot failed; the log is kept", "err", err)
			return
		}
		d.removeBefore(next)
	}()
}

func (d *DB) writeSnapshot(segment int) error {
	var meta json.RawMessage
	if d.metaFn != nil {
		meta = d.metaFn()
	}
	tmp := filepath.Join(d.dir, snapshotFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := writeSnapshotDoc(w, segment, meta, d.st); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if st, err := f.Stat(); err == nil {
		d.snapSize.Store(st.Size())
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(d.dir, snapshotFile)); err != nil {
		return err
	}
	return syncDir(d.dir)
}

// writeSnapshotDoc writes a snapshotDoc of st's state as JSON, streaming the
// tables a row at a time (store.WriteDump): a compaction of a large state
// neither holds it in memory twice nor has encoding/json check every row's
// bytes again. Write errors stay in w (a bufio.Writer) for its Flush.
func writeSnapshotDoc(w *bufio.Writer, segment int, meta json.RawMessage, st *store.Store) error {
	fmt.Fprintf(w, `{"version":1,"segment":%d`, segment)
	if len(meta) > 0 {
		w.WriteString(`,"meta":`)
		w.Write(meta)
	}
	w.WriteString(`,"tables":`)
	if err := st.WriteDump(w); err != nil {
		return err
	}
	w.WriteString("}\n")
	return nil
}

func (d *DB) removeBefore(segment int) {
	segs, err := d.segments()
	if err != nil {
		return
	}
	for _, n := range segs {
		if n < segment {
			_ = os.Remove(filepath.Join(d.dir, segName(n)))
		}
	}
}

// Close flushes the log, writes a final snapshot so the next start is quick, and
// stops logging the store's changes.
func (d *DB) Close() error {
	d.st.SetLog(nil)
	close(d.stop)
	<-d.done
	if d.compacting != nil {
		<-d.compacting
	}
	var errs []error
	if !d.failed() {
		next := d.seg + 1
		f, err := d.create(next)
		if err == nil {
			errs = append(errs, d.writeSnapshot(next))
			if errs[0] == nil {
				d.removeBefore(next)
			}
			errs = append(errs, f.Close())
		} else {
			errs = append(errs, err)
		}
	}
	errs = append(errs, d.f.Close())
	d.dmu.Lock()
	errs = append(errs, d.err)
	d.dmu.Unlock()
	return errors.Join(errs...)
}

// NextStart counts starts on dir (creating it when missing) and returns this
// start's number, 1 for the first. The app folds it into the seed of fresh ids
// (codes, tokens, track ids), so a stream restarted from the same --seed does not
// hand out again the ids already stored.
func NextStart(dir string) (int64, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("data-dir: %w", err)
	}
	path := filepath.Join(dir, "starts")
	var n int64
	if b, err := os.ReadFile(path); err == nil {
		n, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64) // damaged: count afresh
	}
	n++
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(strconv.FormatInt(n, 10)+"\n"), 0o644); err != nil {
		return 0, fmt.Errorf("data-dir: %w", err)
	}
	if f, err := os.Open(tmp); err == nil {
		_ = f.Sync()
		f.Close()
	}
	if err := os.Rename(tmp, path); err != nil {
		return 0, fmt.Errorf("data-dir: %w", err)
	}
	return n, syncDir(dir)
}
