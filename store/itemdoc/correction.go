package itemdoc

import (
	"encoding/json"
	"fmt"
	"time"

	"renalwatch/record"
	"renalwatch/units"
)

// KindCorrection is a correction (record.NewCorrection: an Observation
// re-sent with status amended or corrected and other content): the
// observation it replaces stays stored as it was, and so does every
// earlier correction.
const KindCorrection = "correction"

// correctionObs is a correction's replacement observation; its id is the
// correction's Target. Value is in Unit, the analyte's canonical unit.
type correctionObs struct {
	Analyte, Unit, Comparator, Precision string
	Value                                float64
	Time                                 time.Time
	Notes                                []string `json:",omitempty"`
	Prov                                 string   // PackProv
}

type correctionJSON struct {
	retractionJSON
	Replacement       correctionObs
	Updated, Received time.Time `json:",omitzero"`
}

// Correction returns the document stored for a correction (encode it with
// encoding/json).
func Correction(r record.Retraction) any {
	o := r.Replacement
	return correctionJSON{retractionJSON: retractionJSON{r.ID, r.PatientID, r.Kind, r.Target, r.Status, r.Sent, Bare(r.Provenance)},
		Replacement: correctionObs{Analyte: o.Analyte.String(), Unit: string(o.Value.Unit), Comparator: string(o.Comparator),
			Precision: o.TimePrecision.String(), Value: o.Value.Value, Time: o.Time.UTC(), Notes: o.Notes, Prov: PackProv(o)},
		Updated: r.Updated, Received: r.Received}
}

// decodeCorrection adds the correction stored as doc to b.
func decodeCorrection(doc []byte, b *record.Batch) error {
	var d correctionJSON
	if err := json.Unmarshal(doc, &d); err != nil {
		return err
	}
	x := d.Replacement
	a, ok := units.ParseAnalyte(x.Analyte)
	if !ok {
		return fmt.Errorf("unknown analyte %q", x.Analyte)
	}
	prec, ok := record.ParseDatePrecision(x.Precision)
	if !ok {
		return fmt.Errorf("unknown time precision %q", x.Precision)
	}
	o := &record.Observation{ID: d.Target, PatientID: d.PatientID, Analyte: a, Value: units.Quantity{Value: x.Value, Unit: units.Unit(x.Unit)},
		Comparator: record.Comparator(x.Comparator), Time: x.Time.UTC(), TimePrecision: prec, Notes: x.Notes}
	var pr ProvReader
	if err := pr.Set(o, []byte(x.Prov)); err != nil {
		return err
	}
	b.Retractions = append(b.Retractions, record.Retraction{ID: d.ID, PatientID: d.PatientID, Kind: d.Kind, Target: d.Target,
		Status: d.Status, Sent: d.Sent, Replacement: o, Updated: utc(d.Updated), Received: utc(d.Received), Provenance: d.Provenance})
	return nil
}
