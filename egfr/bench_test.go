package egfr

import "testing"

// sink keeps the compiler from removing the benchmarked calls.
var sink float64

// Inputs vary a little per iteration so that both branches of each spline
// and the age splits are exercised.
func BenchmarkCKDEPI2021(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKDEPI2021(0.5+float64(i&7)*0.2, 50, Sex(1+i&1))
	}
}

func BenchmarkCKDEPI2021CrCys(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKDEPI2021CrCys(0.5+float64(i&7)*0.2, 0.6+float64(i&3)*0.2, 50, Sex(1+i&1))
	}
}

func BenchmarkCKDEPI2012Cys(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKDEPI2012Cys(0.6+float64(i&3)*0.2, 50, Sex(1+i&1))
	}
}

func BenchmarkCKDEPI2009(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKDEPI2009(0.5+float64(i&7)*0.2, 50, Sex(1+i&1), i&2 == 0)
	}
}

func BenchmarkMDRD(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += MDRD(0.5+float64(i&7)*0.2, 50+float64(i&15), Sex(1+i&1), false)
	}
}

func BenchmarkMDRD186(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += MDRD186(0.5+float64(i&7)*0.2, 50+float64(i&15), Sex(1+i&1), false)
	}
}

func BenchmarkEKFC(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += EKFC(0.5+float64(i&7)*0.2, 10+float64(i&63), Sex(1+i&1))
	}
}

func BenchmarkEKFCCys(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += EKFCCys(0.6+float64(i&3)*0.2, 10+float64(i&63))
	}
}

func BenchmarkCKiDU25Cr(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKiDU25Cr(0.5+float64(i&7)*0.2, 140, 5+float64(i&15), Sex(1+i&1))
	}
}

func BenchmarkCKiDU25Cys(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKiDU25Cys(0.6+float64(i&3)*0.2, 5+float64(i&15), Sex(1+i&1))
	}
}

func BenchmarkCKiDU25Avg(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CKiDU25Avg(0.5+float64(i&7)*0.2, 0.6+float64(i&3)*0.2, 140, 5+float64(i&15), Sex(1+i&1))
	}
}

func BenchmarkSchwartz(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += Schwartz(0.5+float64(i&7)*0.2, 140)
	}
}

func BenchmarkCockcroftGault(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		sink += CockcroftGault(0.5+float64(i&7)*0.2, 70, 50, Sex(1+i&1))
	}
}

// BenchmarkCompute measures the validating path, for comparison.
func BenchmarkCompute(b *testing.B) {
	in := Input{Creatinine: cr(1.2), Age: 50, Sex: Female}
	for b.Loop() {
		r, err := Compute("ckd-epi-2021", in)
		if err != nil {
			b.Fatal(err)
		}
		sink += r.Value
	}
}
