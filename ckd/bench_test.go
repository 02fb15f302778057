package ckd

import (
	"testing"

	"renalwatch/units"
)

var (
	sinkA    A
	sinkG    G
	sinkRisk Risk
	sinkEst  ACREstimate
)

func BenchmarkGCategory(b *testing.B) {
	for b.Loop() {
		sinkG, _ = GCategory(37.5)
	}
}

func BenchmarkACategory(b *testing.B) {
	q := units.Q(45, units.MgPerMmol)
	for b.Loop() {
		sinkA, _ = ACategory(q)
	}
}

func BenchmarkACategoryFromPCR(b *testing.B) {
	q := units.Q(320, units.MgPerG)
	for b.Loop() {
		sinkA, _ = ACategoryFromPCR(q)
	}
}

func BenchmarkHeatMapRisk(b *testing.B) {
	for b.Loop() {
		sinkRisk, _ = HeatMapRisk(G3b, A2)
	}
}

func BenchmarkEstimateACR(b *testing.B) {
	in := PCRInput{PCR: units.Q(800, units.MgPerG), Sex: Female, Hypertension: true}
	for b.Loop() {
		sinkEst, _ = EstimateACR(in)
	}
}
