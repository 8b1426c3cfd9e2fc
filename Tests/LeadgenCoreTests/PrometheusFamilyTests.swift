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
}
