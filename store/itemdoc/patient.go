package itemdoc

import (
	"encoding/json"
	"fmt"
	"time"

	"renalwatch/record"
)

// ParseTime reads a time both stores keep as text (RFC 3339, UTC); nil,
// a NULL column, is the zero time.
func ParseTime(s *string) (time.Time, error) {
	if s == nil {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", *s, err)
	}
	return t.UTC(), nil
}

// DecodePatient fills p (its ID and Deceased scanned already) from the
// other columns of a patients row, the same in both stores: birth_date
// and deceased_date (text times, nil when NULL), birth_precision, sex and
// prov (JSON).
func DecodePatient(p *record.Patient, birth, died, updated *string, prec, sex, prov string) error {
	var err error
	if p.Updated, err = ParseTime(updated); err != nil {
		return fmt.Errorf("patient %s meta.lastUpdated: %w", p.ID, err)
	}
	if p.BirthDate, err = ParseTime(birth); err != nil {
		return fmt.Errorf("patient %s birth date: %w", p.ID, err)
	}
	if p.DeceasedDate, err = ParseTime(died); err != nil {
		return fmt.Errorf("patient %s date of death: %w", p.ID, err)
	}
	var ok bool
	if p.BirthPrecision, ok = record.ParseDatePrecision(prec); !ok {
		return fmt.Errorf("patient %s: stored birth precision %q is not day, month or year", p.ID, prec)
	}
	p.Sex, _ = record.ParseSex(sex)
	if err := json.Unmarshal([]byte(prov), &p.Provenance); err != nil {
		return fmt.Errorf("patient %s provenance: %w", p.ID, err)
	}
	return nil
}
