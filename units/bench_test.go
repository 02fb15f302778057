package units

import "testing"

var sinkQ Quantity

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		sinkQ, _ = Parse("106 umol/L")
	}
}

func BenchmarkNormalize(b *testing.B) {
	b.ReportAllocs()
	q := Q(106, UmolPerL)
	for b.Loop() {
		sinkQ, _ = Creatinine.Normalize("creatinine", q)
	}
}
