package durable

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/sandbank-dev/sandbank/mock/store"
)

type msg struct {
	To     string `json:"to"`
	Status int    `json:"status"`
}

// crash stops db as a killed process would leave it: what is fsynced stays, no
// final snapshot is written. (A snapshot already running is let finish, so two
// DBs never write one directory at once.)
func crash(db *DB) {
	db.st.SetLog(nil)
	close(db.stop)
	<-db.done
	if db.compacting != nil {
		<-db.compacting
	}
	db.f.Close()
}

func newStore() (*store.Store, *store.Table[msg], *store.Counter) {
	s := store.New()
	return s, store.NewTable[msg](s, "msgs"), store.NewCounter(s, "seq")
}

func open(t *testing.T, dir string, s *store.Store, opt Options) (*DB, Recovered) {
	t.Helper()
	db, rec, err := Open(dir, s, func() json.RawMessage { return json.RawMessage(`{"k":1}`) }, opt)
	if err != nil {
		t.Fatal(err)
	}
	return db, rec
}

func dump(t *testing.T, s *store.Store) string {
	t.Helper()
	d, err := s.DumpAll()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(d)
	return string(b)
}

// Every kind of change comes back after a crash (no Close: the process died),
// from the log alone.
func TestReplayAfterCrash(t *testing.T) {
	dir := t.TempDir()
	s, msgs, seq := newStore()
	db, _ := open(t, dir, s, Options{})
	msgs.Insert("a", "1", msg{"0912", 1})
	msgs.Insert("a", "2", msg{"0913", 1})
	msgs.Insert("b", "1", msg{"0914", 1})
	_ = msgs.Update("a", "1", func(m *msg) error { m.Status = 10; return nil })
	msgs.Delete("a", "2")
	msgs.Put("c", "x", msg{"0915", 4})
	msgs.Clear("c")
	for range 5 {
		seq.Next("a", "sms", 100)
	}
	_ = s.Restore("d", store.Snapshot{"msgs": json.RawMessage(`[{"id":"r","value":{"to":"1","status":2}}]`)})
	db.AppendMeta([]byte(`{"clock":1}`))
	if err := db.Wait(db.Appended()); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	crash(db)

	s2, _, _ := newStore()
	db2, rec := open(t, dir, s2, Options{})
	defer db2.Close()
	if got := dump(t, s2); got != want {
		t.Fatalf("after replay\n%s\nwant\n%s", got, want)
	}
	if string(rec.Meta) != `{"clock":1}` || rec.Torn || rec.Records == 0 {
		t.Fatalf("recovered %+v", rec)
	}
}

// A record cut short by the crash is dropped, the records before it are kept, and
// the server starts; the file is cut at the last whole record so later appends are
// readable.
func TestTornTailIsDropped(t *testing.T) {
	for _, cut := range []int{1, 4, 8, 9, 15} {
		t.Run(fmt.Sprint(cut), func(t *testing.T) {
			dir := t.TempDir()
			s, msgs, _ := newStore()
			db, _ := open(t, dir, s, Options{})
			msgs.Insert("a", "1", msg{"0912", 1})
			msgs.Insert("a", "2", msg{"0913", 2})
			if err := db.Wait(db.Appended()); err != nil {
				t.Fatal(err)
			}
			seg := filepath.Join(dir, segName(db.seg))
			st, _ := os.Stat(seg)
			whole := st.Size()
			msgs.Insert("a", "3", msg{"0914", 3})
			if err := db.Wait(db.Appended()); err != nil {
				t.Fatal(err)
			}
			// Tear the last record: keep only cut bytes of it.
			crash(db)
			if err := os.Truncate(seg, whole+int64(cut)); err != nil {
				t.Fatal(err)
			}

			s2, msgs2, _ := newStore()
			db2, rec := open(t, dir, s2, Options{})
			if !rec.Torn || msgs2.Len("a") != 2 {
				t.Fatalf("torn=%v rows=%d, want the two whole records", rec.Torn, msgs2.Len("a"))
			}
			if st, err := os.Stat(seg); err == nil && st.Size() != whole { // (the start-up compaction may already have removed it)
				t.Fatalf("segment is %d bytes, want it cut to %d", st.Size(), whole)
			}
			msgs2.Insert("a", "4", msg{"0915", 4})
			if err := db2.Wait(db2.Appended()); err != nil {
				t.Fatal(err)
			}
			crash(db2)
			s3, msgs3, _ := newStore()
			db3, rec3 := open(t, dir, s3, Options{})
			defer db3.Close()
			if rec3.Torn || msgs3.Len("a") != 3 {
				t.Fatalf("third start: torn=%v rows=%d", rec3.Torn, msgs3.Len("a"))
			}
		})
	}
}

// A damaged byte in the middle of the last record is caught by the checksum.
func TestCorruptRecordIsDropped(t *testing.T) {
	dir := t.TempDir()
	s, msgs, _ := newStore()
	db, _ := open(t, dir, s, Options{})
	msgs.Insert("a", "1", msg{"0912", 1})
	_ = db.Wait(db.Appended())
	seg := filepath.Join(dir, segName(db.seg))
	st, _ := os.Stat(seg)
	msgs.Insert("a", "2", msg{"0913", 2})
	_ = db.Wait(db.Appended())
	crash(db)
	f, _ := os.OpenFile(seg, os.O_RDWR, 0)
	_, _ = f.WriteAt([]byte{'X'}, st.Size()+12)
	f.Close()
	s2, msgs2, _ := newStore()
	db2, rec := open(t, dir, s2, Options{})
	defer db2.Close()
	if !rec.Torn || msgs2.Len("a") != 1 {
		t.Fatalf("torn=%v rows=%d", rec.Torn, msgs2.Len("a"))
	}
}

// Compaction: a small segment limit makes many snapshots while writers run; the
// state after a crash is still exactly the state before it, and old segments go.
func TestCompactionUnderLoad(t *testing.T) {
	dir := t.TempDir()
	s, msgs, seq := newStore()
	db, _ := open(t, dir, s, Options{SegmentBytes: 4 << 10})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tenant := fmt.Sprint("t", w)
			for i := range 300 {
				id := fmt.Sprint(i)
				msgs.Insert(tenant, id, msg{"09", i})
				_ = msgs.Update(tenant, id, func(m *msg) error { m.Status++; return nil })
				if i%3 == 0 {
					msgs.Delete(tenant, id)
				}
				seq.Next(tenant, "n", 1)
				if i%50 == 0 {
					_ = db.Wait(db.Appended())
				}
			}
		}()
	}
	wg.Wait()
	if err := db.Wait(db.Appended()); err != nil {
		t.Fatal(err)
	}
	want := dump(t, s)
	crash(db)
	s2, _, _ := newStore()
	db2, rec := open(t, dir, s2, Options{})
	if got := dump(t, s2); got != want {
		t.Fatalf("after compaction and replay the state differs")
	}
	if !rec.Snapshot {
		t.Fatal("no snapshot was written")
	}
	if err := db2.Close(); err != nil {
		t.Fatal(err)
	}
	segs, _ := db2.segments()
	if len(segs) != 1 {
		t.Fatalf("after a clean close %d segments are left, want the one empty one", len(segs))
	}
	s3, _, _ := newStore()
	db3, rec3 := open(t, dir, s3, Options{})
	defer db3.Close()
	if got := dump(t, s3); got != want || rec3.Records != 0 {
		t.Fatalf("after a clean close: records=%d, same=%v", rec3.Records, got == want)
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprint("durable=", on), func(b *testing.B) {
			s, msgs, _ := newStore()
			var db *DB
			if on {
				var err error
				db, _, err = Open(b.TempDir(), s, nil, Options{})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
			}
			b.SetParallelism(16)
			var n sync.Mutex
			i := 0
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					n.Lock()
					i++
					id := fmt.Sprint(i)
					n.Unlock()
					msgs.Insert("a", id, msg{"0912", 1})
					if db != nil {
						_ = db.Wait(db.Appended())
					}
				}
			})
		})
	}
}

// records counts the records of the current segment.
func records(t *testing.T, db *DB) int {
	t.Helper()
	f, err := os.Open(db.f.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	r := bufio.NewReader(f)
	hdr := make([]byte, headerSize)
	for {
		if _, _, _, err := readRecord(r, hdr); err != nil {
			return n
		}
		n++
	}
}

// A row put many times between two commits is written once, with its last
// value, at its last place; other rows and deletes keep their order, and replay
// gives the state the store had.
func TestCommitWritesARowOnce(t *testing.T) {
	dir := t.TempDir()
	s, msgs, _ := newStore()
	db, _ := open(t, dir, s, Options{})
	// Stop the committer so that one flush takes everything below as one batch.
	close(db.stop)
	<-db.done
	db.stop, db.done = make(chan struct{}), make(chan struct{})
	before := records(t, db)
	msgs.Insert("a", "hot", msg{"0912", 0})
	for i := range 100 {
		_ = msgs.Update("a", "hot", func(m *msg) error { m.Status = i + 1; return nil })
		msgs.Insert("a", fmt.Sprint("m", i), msg{"0935", i})
	}
	msgs.Delete("a", "m7")
	db.flush()
	if got := records(t, db) - before; got != 1+100+1 {
		t.Fatalf("one commit wrote %d records, want 102: the hot row once, 100 inserts, 1 delete", got)
	}
	want := dump(t, s)
	go db.commitLoop() // for crash to stop
	crash(db)
	s2, _, _ := newStore()
	db2, _ := open(t, dir, s2, Options{})
	defer db2.Close()
	if got := dump(t, s2); got != want {
		t.Fatalf("replay differs:\n%s\nwant\n%s", got, want)
	}
	if m, _ := msgs.Get("a", "hot"); m.Status != 100 {
		t.Fatalf("hot row status %d", m.Status)
	}
}

// The log is compacted once it is as large as the last snapshot, not at every
// SegmentBytes: a large state is not rewritten for every few writes.
func TestCompactionWaitsForTheSnapshotSize(t *testing.T) {
	dir := t.TempDir()
	s, msgs, _ := newStore()
	db, _ := open(t, dir, s, Options{SegmentBytes: 1 << 10})
	for i := range 2000 {
		msgs.Insert("a", fmt.Sprint(i), msg{"09121234567", i})
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, snapshotFile))
	if err != nil {
		t.Fatal(err)
	}
	s2, msgs2, _ := newStore()
	db2, _ := open(t, dir, s2, Options{SegmentBytes: 1 << 10})
	defer db2.Close()
	if db2.snapSize.Load() != st.Size() {
		t.Fatalf("snapshot size %d, file %d", db2.snapSize.Load(), st.Size())
	}
	lastSeg := func() int {
		segs, _ := db2.segments()
		return segs[len(segs)-1]
	}
	first := lastSeg()
	for i := range 200 { // well past 1 KiB of log, well short of the snapshot
		_ = msgs2.Update("a", fmt.Sprint(i), func(m *msg) error { m.Status = -i; return nil })
		_ = db2.Wait(db2.Appended())
	}
	if lastSeg() != first {
		t.Fatalf("compacted after 200 small writes with a %d-byte snapshot", st.Size())
	}
	for i := 0; lastSeg() == first && i < 100000; i++ {
		_ = msgs2.Update("a", fmt.Sprint(i%2000), func(m *msg) error { m.Status = i; return nil })
		_ = db2.Wait(db2.Appended())
	}
	if lastSeg() == first {
		t.Fatal("never compacted")
	}
}

// The snapshot document written by hand is the JSON encoding/json would write
// for the same state, rows with characters JSON escapes included.
func TestSnapshotDocIsJSON(t *testing.T) {
	s, msgs, seq := newStore()
	msgs.Insert("z", "1", msg{"<&>\u2028\"", 2})
	msgs.Insert("a\"b", "x", msg{"09", 1})
	msgs.Insert("a\"b", "y", msg{"09", 3})
	msgs.Delete("a\"b", "y")
	seq.Next("k", "n", 5)
	tables, err := s.DumpAll()
	if err != nil {
		t.Fatal(err)
	}
	meta := json.RawMessage(`{"clock":"x"}`)
	want, _ := json.Marshal(snapshotDoc{Version: 1, Segment: 7, Meta: meta, Tables: tables})
	var got bytes.Buffer
	w := bufio.NewWriter(&got)
	if err := writeSnapshotDoc(w, 7, meta, s); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush()
	var a, b any
	if err := json.Unmarshal(got.Bytes(), &a); err != nil {
		t.Fatalf("%s: %v", got.Bytes(), err)
	}
	_ = json.Unmarshal(want, &b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("got %s\nwant %s", got.Bytes(), want)
	}
	got.Reset()
	if err := writeSnapshotDoc(w, 7, nil, store.New()); err != nil {
		t.Fatal(err)
	}
	_ = w.Flush()
	if !json.Valid(got.Bytes()) {
		t.Fatalf("an empty store without meta: %s", got.Bytes())
	}
}

// A snapshot holding a table this build no longer has (an older build's) loads
// the rest, as a logged change to such a table is skipped: a start never fails
// over it.
func TestSnapshotWithAGoneTable(t *testing.T) {
	dir := t.TempDir()
	s, msgs, _ := newStore()
	db, _ := open(t, dir, s, Options{})
	msgs.Insert("a", "1", msg{"09", 1})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, snapshotFile)
	data, _ := os.ReadFile(path)
	var doc snapshotDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	doc.Tables["gone.table"] = map[string]json.RawMessage{"a": json.RawMessage(`[{"id":"x","value":1}]`)}
	data, _ = json.Marshal(doc)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s2, msgs2, _ := newStore()
	db2, rec := open(t, dir, s2, Options{})
	defer db2.Close()
	if m, ok := msgs2.Get("a", "1"); !ok || m.Status != 1 || !rec.Snapshot {
		t.Fatalf("the rest of the snapshot did not load: %v %v", m, ok)
	}
}
