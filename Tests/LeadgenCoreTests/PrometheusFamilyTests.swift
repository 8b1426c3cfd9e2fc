import Testing

@testable import LeadgenCore

@Suite struct PrometheusFamilyTests {
    @Test func aFamilyHasItsHelpTypeAndOneLinePerSample() {
        var family = PrometheusFamily("leadgen_things_total", .counter, help: "Things, by kind.")
        family.add(["kind": "a", "outcome": "ok"], 3)
        family.add(["kind": "b", "outcome": "failed"], seconds: 0.25)
        #expect(
            family.text == """
                # HELP leadgen_things_total Things, by kind.
                # TYPE leadgen_things_total counter
                leadgen_things_total{kind="a",outcome="ok"} 3
                leadgen_things_total{kind="b",outcome="failed"} 0.250000

                """)
    }

    @Test func labelValuesAreEscaped() {
        var family = PrometheusFamily("leadgen_routes", .gauge, help: "Routes.")
        family.add(["route": "/a\"b\\c\nd"], 1)
        #expect(family.text.hasSuffix(#"leadgen_routes{route="/a\"b\\c\nd"} 1"# + "\n"))
    }

    @Test func anEmptyFamilyStillSaysWhatItIs() {
        #expect(
            PrometheusFamily("leadgen_jobs", .gauge, help: "Jobs.").text
                == "# HELP leadgen_jobs Jobs.\n# TYPE leadgen_jobs gauge\n")
    }

    @Test func aHistogramHasCumulativeBucketsThenSumAndCount() {
        var histogram = LatencyHistogram(bounds: [0.1, 1, 10])
        for seconds in [0.05, 0.1, 0.5, 3, 60] { histogram.record(seconds) }
        #expect(histogram.count == 5 && abs(histogram.sum - 63.65) < 1e-9)
        var family = PrometheusFamily("leadgen_job_run_seconds", .histogram, help: "Job time.")
        family.add(["kind": "k"], histogram: histogram)
        #expect(
            family.text == """
                # HELP leadgen_job_run_seconds Job time.
                # TYPE leadgen_job_run_seconds histogram
                leadgen_job_run_seconds_bucket{kind="k",le="0.1"} 2
                leadgen_job_run_seconds_bucket{kind="k",le="1"} 3
                leadgen_job_run_seconds_bucket{kind="k",le="10"} 4
                leadgen_job_run_seconds_bucket{kind="k",le="+Inf"} 5
                leadgen_job_run_seconds_sum{kind="k"} 63.650000
                leadgen_job_run_seconds_count{kind="k"} 5

                """, "a bound holds the durations equal to it; above the last, only +Inf")
    }

    @Test func aHistogramTakesNoNegativeOrEndlessDuration() {
        var histogram = LatencyHistogram(bounds: LatencyHistogram.requestBounds)
        histogram.record(-1)
        histogram.record(.infinity)
        histogram.record(.nan)
        #expect(histogram.count == 3 && histogram.sum == 0)
        #expect(histogram.cumulative.first?.count == 3)
    }
}
