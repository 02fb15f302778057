package record

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"time"
)

// DeriveID returns a stable ID for an item whose source gives none: the
// kind ("Observation") and a hash of the parts that identify it (patient,
// analyte, time, value, unit). The same parts always give the same ID.
func DeriveID(kind string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return kind + "/" + hex.EncodeToString(h.Sum(nil)[:16])
}

// hasher builds a content hash from fields written in a fixed order.
type hasher struct{ b []byte }

func (h *hasher) str(s string) {
	h.b = binary.AppendUvarint(h.b, uint64(len(s)))
	h.b = append(h.b, s...)
}
func (h *hasher) num(v float64) { h.b = binary.LittleEndian.AppendUint64(h.b, math.Float64bits(v)) }
func (h *hasher) int(v int)     { h.b = binary.AppendVarint(h.b, int64(v)) }
func (h *hasher) time(t time.Time) {
	if t.IsZero() {
		h.b = append(h.b, 0)
		return
	}
	if t.Before(minNanoTime) || t.After(maxNanoTime) {
		// Outside the years 1678 to 2261 UnixNano overflows: seconds and
		// nanoseconds, under a tag of their own. Times inside the range keep
		// the hash they always had.
		h.b = append(h.b, 2)
		h.b = binary.AppendVarint(h.b, t.Unix())
		h.b = binary.AppendVarint(h.b, int64(t.Nanosecond()))
		return
	}
	h.b = append(h.b, 1)
	h.b = binary.AppendVarint(h.b, t.UnixNano())
}

// The times whose UnixNano is exact.
var minNanoTime, maxNanoTime = time.Unix(0, math.MinInt64), time.Unix(0, math.MaxInt64)

func (h *hasher) optInt(p *int) {
	if p == nil {
		h.b = append(h.b, 0)
		return
	}
	h.b = append(h.b, 1)
	h.int(*p)
}
func (h *hasher) prov(p Provenance) {
	// The source system is a label given at import, not content: the same
	// file imported under another --source name is the same data.
	h.str(p.ResourceType)
	h.str(p.ResourceID)
	h.str(p.Code.System)
	h.str(p.Code.Code)
	h.str(p.Code.Display)
	h.str(p.Unit)
	h.str(p.Value)
}
func (h *hasher) sum() [32]byte { return sha256.Sum256(h.b) }

// ContentHash returns a hash of everything the patient record holds except
// the System, File and Line of its provenance; equal hashes mean the same
// content.
func (p Patient) ContentHash() [32]byte {
	var h hasher
	h.str("patient")
	h.str(p.ID)
	h.time(p.BirthDate)
	h.int(int(p.Sex))
	h.prov(p.Provenance)
	// Fields added in store schema version 2 are hashed only when set, so
	// that a patient without them keeps the hash it had before.
	if p.BirthPrecision != PrecisionDay || p.Deceased || !p.DeceasedDate.IsZero() {
		h.str("v2")
		h.int(int(p.BirthPrecision))
		dead := 0
		if p.Deceased {
			dead = 1
		}
		h.int(dead)
		h.time(p.DeceasedDate)
	}
	return h.sum()
}

// ContentHash returns a hash of the observation's identity as a
// measurement: its id, patient, analyte, value with unit and comparator,
// and time. Equal hashes mean the same record.
//
// Provenance (the source system, resource type, code, the unit and value
// as the source wrote them, file and line), the importer's notes and the
// precision the time was written with are not part of it: they say where
// and how the value was read, not what was measured. The same measurement
// read back from another file (a CSV export of an observation first
// imported from FHIR, which carries neither the FHIR code nor the notes,
// and writes the date 2025-05-15 as 2025-05-15T00:00:00Z) is the same
// record, and the store keeps what it first stored (docs/caveats.md,
// "Identity"). No store keeps this hash (schema version 3 compares the
// columns); it states the rule the stores apply.
func (o Observation) ContentHash() [32]byte {
	h := hasher{b: make([]byte, 0, 128)}
	h.str("observation")
	h.str(o.ID)
	h.str(o.PatientID)
	h.int(int(o.Analyte))
	h.num(o.Value.Value)
	h.str(string(o.Value.Unit))
	h.str(string(o.Comparator))
	h.time(o.Time)
	return h.sum()
}

// ContentHash returns a hash of the condition's content.
func (c Condition) ContentHash() [32]byte {
	var h hasher
	h.str("condition")
	h.str(c.ID)
	h.str(c.PatientID)
	h.int(int(c.Kind))
	h.str(c.Stage)
	h.str(c.LNClass)
	h.time(c.Onset)
	h.time(c.Abatement)
	h.str(c.Status)
	h.prov(c.Provenance)
	if c.Verification != "" { // added in store schema version 2; see Patient.ContentHash
		h.str("v2")
		h.str(c.Verification)
	}
	return h.sum()
}

// ContentHash returns a hash of the finding's content.
func (f Finding) ContentHash() [32]byte {
	var h hasher
	h.str("finding")
	h.str(f.ID)
	h.str(f.PatientID)
	h.str(f.Code)
	if f.Present {
		h.int(1)
	} else {
		h.int(0)
	}
	if f.Score != nil {
		h.int(1)
		h.num(*f.Score)
	} else {
		h.int(0)
	}
	h.time(f.Time)
	h.prov(f.Provenance)
	return h.sum()
}

// ContentHash returns a hash of the biopsy's content.
func (b Biopsy) ContentHash() [32]byte {
	var h hasher
	h.str("biopsy")
	h.str(b.ID)
	h.str(b.PatientID)
	h.time(b.Time)
	h.int(len(b.Classes))
	for _, c := range b.Classes {
		h.str(c)
	}
	for _, p := range []*int{b.EndocapillaryHypercellularity, b.Neutrophils, b.FibrinoidNecrosis,
		b.HyalineDeposits, b.CellularCrescents, b.InterstitialInflammation, b.GlomerularSclerosis,
		b.FibrousCrescents, b.TubularAtrophy, b.InterstitialFibrosis, b.ActivityIndex, b.ChronicityIndex} {
		h.optInt(p)
	}
	h.prov(b.Provenance)
	return h.sum()
}

// ContentHash returns a hash of the therapy episode's content.
func (t Therapy) ContentHash() [32]byte {
	var h hasher
	h.str("therapy")
	h.str(t.ID)
	h.str(t.PatientID)
	h.int(int(t.Class))
	h.str(t.Name)
	h.time(t.Start)
	h.time(t.End)
	h.str(t.Dose)
	h.str(t.Status)
	h.prov(t.Provenance)
	return h.sum()
}

// ContentHash returns a hash of the event's content.
func (r Replacement) ContentHash() [32]byte {
	var h hasher
	h.str("replacement")
	h.str(r.ID)
	h.str(r.PatientID)
	h.int(int(r.Kind))
	h.time(r.Start)
	h.time(r.End)
	h.prov(r.Provenance)
	return h.sum()
}
