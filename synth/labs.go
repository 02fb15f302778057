package synth

import (
	"math"
	"math/rand/v2"
)

// LabKind is a laboratory test or vital sign the generator emits.
type LabKind uint8

// Lab kinds.
const (
	Creatinine LabKind = iota
	UPCR
	ACR
	UrineRBC
	C3
	C4
	AntiDsDNA
	Hemoglobin
	Potassium
	BloodPressure // a panel: Value systolic, Value2 diastolic
	Height
	numLabKinds
)

// labUnit is one way of reporting a kind: UCUM code, the unit text a
// laboratory prints, the factor from the generator's internal unit, and the
// decimals reported.
type labUnit struct {
	code, text string
	factor     float64
	decimals   int
}

// labSpec is what the encoders need to write a kind. Codes are those
// fhir/codes.go maps today; the CSV analyte names are units analyte names.
type labSpec struct {
	loinc, display, category, csv string
	units                         []labUnit
}

// Internal units: creatinine mg/dL, UPCR and ACR mg/g, C3 and C4 g/L,
// anti-dsDNA IU/mL, haemoglobin g/dL, potassium mmol/L, RBC per high-power
// field, blood pressure mmHg, height cm. Conversions: creatinine 1 mg/dL =
// 88.4 µmol/L and ratios 1 mg/mmol = 8.84 mg/g (units package, molar mass of
// creatinine 113.12 g/mol).
var labSpecs = [numLabKinds]labSpec{
	Creatinine: {"2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "laboratory", "creatinine",
		[]labUnit{{"mg/dL", "mg/dL", 1, 2}, {"umol/L", "µmol/L", 88.4, 0}}},
	UPCR: {"2890-2", "Protein/Creatinine [Mass Ratio] in Urine", "laboratory", "pcr",
		[]labUnit{{"mg/g", "mg/g", 1, 0}, {"mg/mmol", "mg/mmol", 1 / 8.84, 1}, {"g/g", "g/g", 1e-3, 2}}},
	ACR: {"9318-7", "Albumin/Creatinine [Mass Ratio] in Urine", "laboratory", "acr",
		[]labUnit{{"mg/g", "mg/g", 1, 0}, {"mg/mmol", "mg/mmol", 1 / 8.84, 1}, {"mg/g", "mg/g", 1, 0}}},
	UrineRBC: {"13945-1", "Erythrocytes [#/area] in Urine sediment by Microscopy high power field", "laboratory", "urine_rbc",
		[]labUnit{{"/[HPF]", "/HPF", 1, 0}}},
	C3: {"4485-9", "Complement C3 [Mass/volume] in Serum or Plasma", "laboratory", "c3",
		[]labUnit{{"g/L", "g/L", 1, 2}}},
	C4: {"4498-2", "Complement C4 [Mass/volume] in Serum or Plasma", "laboratory", "c4",
		[]labUnit{{"g/L", "g/L", 1, 2}}},
	AntiDsDNA: {"5130-0", "DNA double strand Ab [Units/volume] in Serum", "laboratory", "anti_dsdna",
		[]labUnit{{"[IU]/mL", "IU/mL", 1, 0}}},
	Hemoglobin: {"718-7", "Hemoglobin [Mass/volume] in Blood", "laboratory", "hemoglobin",
		[]labUnit{{"g/dL", "g/dL", 1, 1}, {"g/L", "g/L", 10, 0}}},
	Potassium: {"2823-3", "Potassium [Moles/volume] in Serum or Plasma", "laboratory", "potassium",
		[]labUnit{{"mmol/L", "mmol/L", 1, 1}}},
	BloodPressure: {"85354-9", "Blood pressure panel with all children optional", "vital-signs", "",
		[]labUnit{{"mm[Hg]", "mmHg", 1, 0}}},
	Height: {"8302-2", "Body height", "vital-signs", "height",
		[]labUnit{{"cm", "cm", 1, 1}}},
}

// unitFor picks the unit a patient's laboratory reports kind in on day d.
func (p *Patient) unitFor(k LabKind, d int) uint8 {
	si := p.si
	if p.siSwitch != 0 && d >= p.siSwitch {
		si = !si
	}
	switch k {
	case Creatinine, Hemoglobin:
		if si {
			return 1
		}
	case UPCR, ACR:
		if si {
			return 1
		}
		if p.gfrOrGPerG && k == UPCR {
			return 2
		}
	}
	return 0
}

// ageAt is the age in years on day d.
func (p *Patient) ageAt(d int) float64 { return float64(d-p.birth) / year }

// visits lays out the visits and draws each result from the true curves.
// Visits are every 1-3 months, monthly for the year after nephritis onset
// and for 6 months after a flare (ASSUMPTION).
func (p *Patient) visits(r *rand.Rand) {
	ln := p.lnOnset != 0
	n := 0
	for d := p.sleOnset; d <= p.end; n++ {
		p.visit(r, d, n)
		step := 30 + r.IntN(61)
		if ln && d >= p.lnOnset-60 && d < p.lnOnset+365 {
			step = 28 + r.IntN(8)
		}
		for _, f := range p.flares {
			if d >= f-60 && d < f+180 {
				step = 28 + r.IntN(8)
			}
		}
		next := d + step
		if ln && d < p.lnOnset && next > p.lnOnset {
			next = p.lnOnset // the diagnostic visit
		}
		d = next
	}
}

func (p *Patient) lab(k LabKind, d int, v float64) {
	u := p.unitFor(k, d)
	p.Labs = append(p.Labs, Lab{Day: d, Kind: k, Value: v, Unit: u})
}

func (p *Patient) visit(r *rand.Rand, d, n int) {
	ln := p.lnOnset != 0 && d >= p.lnOnset-45
	age := p.ageAt(d)
	g := p.gfr.at(d)
	upcr := math.Exp(p.upcr.at(d))
	// Immunological activity while UPCR is above 1 g/g, not after kidney
	// failure (ASSUMPTION: lupus activity usually wanes on dialysis; the
	// proteinuria of a failed kidney is not activity).
	active := upcr > 1000 && ln && (p.kf == 0 || d < p.kf)
	female := p.sex == 'f'
	// The diagnostic visit always has creatinine and UPCR (ASSUMPTION: a
	// biopsy is not done without them).
	diag := d == p.lnOnset

	// Creatinine from the true GFR through the inverted equation, with 5%
	// variation; a height with it before 18 years (CKiD U25 needs one).
	if r.Float64() < 0.97 || diag {
		var scr float64
		var h float64
		if age < 18 {
			h = heightAt(age, female) * p.heightFactor
			scr = CreatinineCKiDU25(g, h, age, female)
		} else {
			scr = CreatinineCKDEPI2021(g, age, female)
		}
		scr = clamp(scr*math.Exp(creatinineCV*r.NormFloat64()), 0.15, 25)
		if r.Float64() < 0.005 && !diag {
			p.Labs = append(p.Labs, Lab{Day: d, Kind: Creatinine, Absent: true, Unit: p.unitFor(Creatinine, d)})
		} else {
			p.lab(Creatinine, d, scr)
			if age < 18 {
				p.lab(Height, d, h)
			}
		}
	}
	if pr := 0.3; ln || r.Float64() < pr {
		if !ln || r.Float64() < 0.92 || diag {
			p.lab(UPCR, d, clamp(upcr*math.Exp(upcrCV*r.NormFloat64()), 20, 40000))
		}
	}
	if r.Float64() < 0.15 {
		// ACR about 60% of UPCR in glomerular disease (ASSUMPTION).
		p.lab(ACR, d, clamp(0.6*upcr*math.Exp(0.25*r.NormFloat64()), 3, 25000))
	}
	rbc := math.Floor(uniform(r, 0, 4))
	c3, c4, dna := uniform(r, 0.9, 1.5), uniform(r, 0.15, 0.4), math.Floor(uniform(r, 2, 25))
	if active {
		rbc = math.Floor(uniform(r, 10, 60))
		c3, c4, dna = uniform(r, 0.45, 0.85), uniform(r, 0.05, 0.12), math.Floor(uniform(r, 60, 400))
	}
	if r.Float64() < 0.6 && ln || r.Float64() < 0.2 {
		p.lab(UrineRBC, d, rbc)
	}
	if r.Float64() < 0.5 {
		p.lab(C3, d, c3)
	}
	if r.Float64() < 0.4 {
		p.lab(C4, d, c4)
	}
	if r.Float64() < 0.4 {
		p.lab(AntiDsDNA, d, dna)
	}
	if r.Float64() < 0.7 {
		hb := 13.2
		if !female {
			hb = 14.5
		}
		if g < 60 {
			hb -= 0.06 * (60 - g)
		}
		if active {
			hb--
		}
		p.lab(Hemoglobin, d, clamp(hb+0.6*r.NormFloat64(), 6, 18))
	}
	if r.Float64() < 0.5 {
		k := 4.2 + 0.3*r.NormFloat64()
		if g < 45 {
			k += 0.03 * (45 - g)
		}
		p.lab(Potassium, d, clamp(k, 3, 7.5))
	}
	if r.Float64() < 0.9 {
		sys := 118 + 0.3*math.Max(0, age-30) + 9*r.NormFloat64()
		if age < 18 {
			sys = 105 + 8*r.NormFloat64()
		}
		if active {
			sys += 12
		}
		if g < 45 {
			sys += 10
		}
		sys = clamp(math.Round(sys), 85, 220)
		dia := clamp(math.Round(0.62*sys+3+5*r.NormFloat64()), 45, 130)
		p.Labs = append(p.Labs, Lab{Day: d, Kind: BloodPressure, Value: sys, Value2: dia})
	}
	// SLEDAI-2K descriptors every sixth visit and at the diagnostic visit,
	// consistent with the laboratory state: proteinuria > 0.5 g (UPCR > 500
	// mg/g as a proxy), haematuria > 5 RBC/hpf, low complement, raised
	// anti-dsDNA; other items rare (ASSUMPTION).
	if n%6 == 0 || d == p.lnOnset {
		for _, code := range sledaiCodes {
			present := false
			switch code {
			case "proteinuria":
				present = upcr > 500 && ln
			case "hematuria":
				present = rbc > 5
			case "urinary_casts":
				present = active && r.Float64() < 0.4
			case "pyuria":
				present = active && r.Float64() < 0.3
			case "low_complement":
				present = c3 < 0.9
			case "increased_dna_binding":
				present = dna > 30
			case "rash", "arthritis":
				present = r.Float64() < 0.08
			case "alopecia", "mucosal_ulcers":
				present = r.Float64() < 0.04
			case "fever", "pleurisy", "leukopenia", "thrombocytopenia":
				present = r.Float64() < 0.02
			}
			p.Findings = append(p.Findings, Finding{Day: d, Code: code, Present: present})
		}
	}
}

// sledaiCodes are the 24 SLEDAI-2K descriptors as record.FindingCodes names
// them (Gladman DD et al. J Rheumatol 2002;29:288-91).
var sledaiCodes = []string{
	"seizure", "psychosis", "organic_brain_syndrome", "visual_disturbance", "cranial_nerve_disorder",
	"lupus_headache", "cva", "vasculitis", "arthritis", "myositis", "urinary_casts", "hematuria",
	"proteinuria", "pyuria", "rash", "alopecia", "mucosal_ulcers", "pleurisy", "pericarditis",
	"low_complement", "increased_dna_binding", "fever", "thrombocytopenia", "leukopenia",
}

// heightAt is a median-like height in cm (ASSUMPTION: linear growth of 6
// cm a year from 86 cm at 2 years, slowing after 12 to an adult 163 cm for
// girls and 176 cm for boys; no growth chart is encoded).
func heightAt(age float64, female bool) float64 {
	h := 86 + 6*(math.Min(age, 12)-2)
	if age > 12 {
		if female {
			h = math.Min(163, h+4.5*(age-12))
		} else {
			h = math.Min(176, h+6*(age-12))
		}
	}
	return h
}
