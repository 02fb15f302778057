package fhir

// RawEntry is one resource held in memory: its JSON and the fullUrl it had in
// a Bundle ("" when none).
type RawEntry struct {
	FullURL  string
	Resource []byte
}

// Entries decodes resources one at a time as its caller finds them inside
// a larger document it walks itself, and then reads them: a CDS Hooks
// service decodes each prefetched resource as its scan of the request
// body reaches it (Decode), which also confirms where the object ends,
// then reads the entries it gathered (Read). An
// Entries serves one reading; it is not safe for concurrent use.
type Entries struct {
	f    file           // the scanner (its interner, arena and memos) both use
	done []*bundleEntry // the resources Decode decoded, in its order
	slab []bundleEntry  // storage for the next ones
	next int            // where Read looks first in done
	// The index of done by the bytes each was decoded from (lookup):
	// built at Read's first miss at next, for done[:indexed]; after[i]
	// is the next resource in done decoded from done[i]'s bytes, or -1.
	index   map[rawKey]rawChain
	after   []int
	indexed int
}

// NewEntries returns an Entries.
func NewEntries() *Entries { return &Entries{} }

// Decode decodes the JSON object at the start of b (b[0] is its '{'; b may
// go on after it, but the decoder's value caches find their entries by
// the length of what follows, so a caller gives the object's exact bytes
// when it can) as a resource, and returns the object's length; Read
// takes the resource so decoded for a RawEntry whose Resource is b[:n]
// (the same bytes, not a copy). It returns 0 when the fast decoder leaves
// the object to encoding/json (invalid JSON among other cases): the
// caller finds its end its own way and Read decodes it as ReadEntries
// does. A resource decoded so is exactly the one ReadEntries decodes from
// b[:n] alone: a valid object ends at its closing bracket, and the same
// decoder reads the same bytes with the same scanner.
func (d *Entries) Decode(b []byte) int {
	if !fastDecode || len(b) == 0 || b[0] != '{' {
		return 0
	}
	if len(d.slab) == 0 {
		d.slab = make([]bundleEntry, 32)
	}
	e := &d.slab[0]
	s := d.f.scanner()
	s.reset(b)
	if !decResource(s, &e.res, false) {
		e.res = resource{} // the slot is used again
		return 0
	}
	d.slab = d.slab[1:]
	e.ok, e.raw = true, b[:s.i]
	d.done = append(d.done, e)
	return s.i
}

// decoded returns the resource Decode decoded from exactly raw, and takes
// it (nil when there is none). The entries are mostly asked for in the
// order they were decoded, so d.next is tried first; on a miss the index
// (built at the first miss, and extended when Decode decoded more since)
// finds the first resource decoded from raw that is not taken, without a
// scan of all of done: a miss for each entry Decode left (it returned 0),
// every other one in a prefetch, cost a scan each and the read n².
func (d *Entries) decoded(raw []byte) *bundleEntry {
	if len(raw) == 0 || len(d.done) == 0 {
		return nil
	}
	i := d.next
	if i >= len(d.done) || !sameRaw(d.done[i], raw) {
		if i = d.lookup(raw); i < 0 {
			return nil
		}
	}
	e := d.done[i]
	d.done[i], d.next = nil, i+1 // a second entry with the same bytes decodes its own
	return e
}

func sameRaw(e *bundleEntry, raw []byte) bool {
	return e != nil && len(e.raw) == len(raw) && &e.raw[0] == &raw[0]
}

// rawKey names the bytes a resource was decoded from: their first byte's
// address and their length (Read is given the same bytes, not a copy).
type rawKey struct {
	p *byte
	n int
}

// rawChain is the decoded resources of one rawKey, in done: the first
// not known to be taken, and the last.
type rawChain struct{ first, last int }

// lookup returns the index in d.done of the first resource decoded from
// raw and not taken, or -1.
func (d *Entries) lookup(raw []byte) int {
	if d.index == nil {
		d.index = map[rawKey]rawChain{}
	}
	for ; d.indexed < len(d.done); d.indexed++ {
		e, i := d.done[d.indexed], d.indexed
		d.after = append(d.after, -1)
		if e == nil {
			continue
		}
		k := rawKey{&e.raw[0], len(e.raw)}
		if c, ok := d.index[k]; ok {
			d.after[c.last], c.last = i, i
			d.index[k] = c
		} else {
			d.index[k] = rawChain{i, i}
		}
	}
	k := rawKey{&raw[0], len(raw)}
	c, ok := d.index[k]
	if !ok {
		return -1
	}
	i := c.first
	for i >= 0 && d.done[i] == nil { // taken: by d.next, or here
		i = d.after[i]
	}
	if i < 0 {
		delete(d.index, k)
		return -1
	}
	c.first = i
	d.index[k] = c
	return i
}

// ReadEntries reads resources held in memory as the entries of one
// collection Bundle named name: the result is what Read gives for a Bundle
// holding them in this order (references resolve across all of them: a
// MedicationStatement and its Medication, a fullUrl and its Patient), but
// nothing is copied, wrapped or scanned twice. A CDS Hooks service reads
// its prefetch so, straight from the request body. Entries with no
// resource are skipped, as in a Bundle. The Resource bytes are not kept.
func (rd *Reader) ReadEntries(name string, entries []RawEntry) *Result {
	return NewEntries().Read(rd, name, entries)
}

// Read is rd.ReadEntries(name, entries), taking the resources d decoded
// for them (Decode) instead of decoding them again.
func (d *Entries) Read(rd *Reader, name string, entries []RawEntry) *Result {
	f := &d.f
	f.r, f.res, f.meds = rd, &Result{File: name}, map[string]codeableConcept{}
	list := make([]*bundleEntry, len(entries))
	n := 0 // entries to decode here
	for i, e := range entries {
		if list[i] = d.decoded(e.Resource); list[i] == nil {
			n++
		}
	}
	fresh := make([]bundleEntry, n)
	for i, e := range entries {
		be := list[i]
		if be != nil {
			be.fullURL = e.FullURL
			continue
		}
		be, fresh = &fresh[0], fresh[1:]
		list[i] = be
		be.fullURL, be.raw = e.FullURL, e.Resource
		if fastDecode && len(e.Resource) > 0 && e.Resource[0] == '{' {
			s := f.scanner()
			s.reset(e.Resource)
			if be.ok = decResource(s, &be.res, false) && s.i == len(e.Resource); !be.ok {
				be.res = resource{} // bundle() decodes it again with encoding/json and words the error
			}
		}
	}
	f.bundleEntries(len(list), func(i int) *bundleEntry { return list[i] })
	return f.finish()
}
